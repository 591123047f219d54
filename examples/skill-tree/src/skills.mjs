// The skill tree the API serves, and its two layouts: nested (tree, control) and flat (list).
export const SKILLS = [
  { id: 'basics', name: 'Basics', requires: [] },
  { id: 'variables', name: 'Variables', requires: ['basics'] },
  { id: 'functions', name: 'Functions', requires: ['variables'] },
  { id: 'loops', name: 'Loops', requires: ['variables'] },
  { id: 'recursion', name: 'Recursion', requires: ['functions'] },
  { id: 'async', name: 'Async', requires: ['functions', 'loops'] },
];

/** The tree layout: each skill under the first skill it requires. */
export function skillTree() {
  const children = (parent) =>
    SKILLS.filter((skill) => (skill.requires[0] ?? null) === parent).map((skill) => ({
      id: skill.id,
      name: skill.name,
      children: children(skill.id),
    }));
  return children(null);
}

/** The list layout: every skill in order, with what it requires. */
export function skillList() {
  return SKILLS.map((skill) => ({ id: skill.id, name: skill.name, requires: skill.requires }));
}
