import { ExperimentProvider } from '@bucketry/react';
import { headers } from 'next/headers';
import { bucketry } from '../../bucketry';
import { childrenOf, skills } from '../../skills';
import { LayoutBadge } from './layout-badge';

function SkillTree({ parent }: { parent?: string }) {
  const children = childrenOf(parent);
  if (children.length === 0) return null;
  return (
    <ul>
      {children.map((skill) => (
        <li key={skill.name}>
          {skill.name}
          <SkillTree parent={skill.name} />
        </li>
      ))}
    </ul>
  );
}

function SkillList() {
  return (
    <ol>
      {skills.map((skill) => (
        <li key={skill.name}>
          {skill.name}
          {skill.after.length > 0 && ` (after ${skill.after.join(', ')})`}
        </li>
      ))}
    </ol>
  );
}

// Reading headers() makes the page dynamic: it is rendered per request, with that request's variant.
export default async function SkillsPage() {
  const experiments = bucketry.fromHeaders(await headers());
  const layout = experiments.variant('skill_tree_layout');
  return (
    <ExperimentProvider assignments={experiments.assignments}>
      <main data-layout={layout}>
        <h1>Skills</h1>
        <LayoutBadge />
        {layout === 'list' ? <SkillList /> : <SkillTree />}
      </main>
    </ExperimentProvider>
  );
}
