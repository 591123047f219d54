import { useExperiment } from '@bucketry/react';
import { useEffect, useRef, useState } from 'react';
import { SkillListView, SkillTreeView } from './layouts.js';
import { fetchSkills, reportError, reportLoaded, type SkillsResponse } from './skills-api.js';

/**
 * The signed-in user's skills, in the layout the experiment gives them (mounted once per user).
 * The layout is known before the skills arrive (the client assigns synchronously); the API's
 * answer must agree.
 */
export function SkillsPage({ user }: { user: string }) {
  const { variant } = useExperiment('skill_tree_layout', 'tree');
  const [response, setResponse] = useState<SkillsResponse | 'failed' | null>(null);
  const startedAt = useRef(0);
  const reported = useRef(false);

  useEffect(() => {
    const controller = new AbortController();
    startedAt.current = performance.now();
    fetchSkills(user, controller.signal).then(setResponse, () => controller.signal.aborted || setResponse('failed'));
    return () => controller.abort();
  }, [user]);

  const outcome = response === null ? null : response === 'failed' ? 'skills_unavailable' : response.layout === variant ? 'shown' : 'layout_mismatch';

  // Once, however often StrictMode runs effects: the load time, or what went wrong.
  useEffect(() => {
    if (outcome === null || reported.current) return;
    reported.current = true;
    if (outcome === 'shown') reportLoaded(user, performance.now() - startedAt.current);
    else reportError(user, outcome);
  }, [outcome, user]);

  if (response === null) return <p aria-busy="true">Loading your skills…</p>;
  if (response === 'failed') return <p role="alert">The skills could not be loaded. Try again in a moment.</p>;
  if (response.layout !== variant) {
    // The rollout changed between the page's start and this request: reload to get both from the same configuration.
    return <p role="alert" data-testid="layout-mismatch">The skills page was updated. Reload to see it.</p>;
  }
  return (
    <section data-testid="skills" data-variant={variant}>
      {response.layout === 'list' ? <SkillListView skills={response.skills} /> : <SkillTreeView skills={response.skills} />}
    </section>
  );
}
