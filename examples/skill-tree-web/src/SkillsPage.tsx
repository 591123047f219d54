import { useExperiment } from '@bucketry/react';
import { useEffect, useRef, useState } from 'react';
import { SkillListView, SkillTreeView } from './layouts.js';
import { fetchSkills, reportError, reportLoaded, type SkillsResponse } from './skills-api.js';

type Loaded = { readonly user: string; readonly response: SkillsResponse } | { readonly user: string; readonly failed: true };

/**
 * The signed-in user's skills, in the layout the experiment gives them. The layout is known
 * before the skills arrive (the client assigns synchronously); the API's answer must agree.
 */
export function SkillsPage({ user }: { user: string }) {
  const { variant } = useExperiment('skill_tree_layout', 'tree');
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const startedAt = useRef(0);
  const reportedFor = useRef<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    startedAt.current = performance.now();
    fetchSkills(user, controller.signal).then(
      (response) => setLoaded({ user, response }),
      () => controller.signal.aborted || setLoaded({ user, failed: true }),
    );
    return () => controller.abort();
  }, [user]);

  const current = loaded?.user === user ? loaded : null;
  const outcome = current === null ? null : 'failed' in current ? 'skills_unavailable' : current.response.layout === variant ? 'shown' : 'layout_mismatch';

  // Once per user, however often StrictMode runs effects: the load time, or what went wrong.
  useEffect(() => {
    if (outcome === null || reportedFor.current === user) return;
    reportedFor.current = user;
    if (outcome === 'shown') reportLoaded(user, performance.now() - startedAt.current);
    else reportError(user, outcome);
  }, [outcome, user]);

  if (current === null) return <p aria-busy="true">Loading your skills…</p>;
  if ('failed' in current) return <p role="alert">The skills could not be loaded. Try again in a moment.</p>;
  if (current.response.layout !== variant) {
    // The rollout changed between the page's start and this request: reload to get both from the same configuration.
    return <p role="alert" data-testid="layout-mismatch">The skills page was updated. Reload to see it.</p>;
  }
  return (
    <section data-testid="skills" data-variant={variant}>
      {current.response.layout === 'list' ? <SkillListView skills={current.response.skills} /> : <SkillTreeView skills={current.response.skills} />}
    </section>
  );
}
