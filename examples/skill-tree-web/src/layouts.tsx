import type { SkillItem, SkillNode } from './skills-api.js';

/** Control: each skill nested under the first skill it requires. */
export function SkillTreeView({ skills }: { skills: readonly SkillNode[] }) {
  return (
    <ul className="skill-tree">
      {skills.map((skill) => (
        <li key={skill.id}>
          {skill.name}
          {skill.children.length > 0 && <SkillTreeView skills={skill.children} />}
        </li>
      ))}
    </ul>
  );
}

/** Treatment: every skill in order, with what it requires. */
export function SkillListView({ skills }: { skills: readonly SkillItem[] }) {
  const names = new Map(skills.map((skill) => [skill.id, skill.name]));
  return (
    <ol className="skill-list">
      {skills.map((skill) => (
        <li key={skill.id}>
          {skill.name}
          {skill.requires.length > 0 && <small> (after {skill.requires.map((id) => names.get(id) ?? id).join(', ')})</small>}
        </li>
      ))}
    </ol>
  );
}
