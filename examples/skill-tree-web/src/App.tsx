import { ExperimentProvider } from '@bucketry/react';
import { useEffect, useState } from 'react';
import { LayoutBadge, LayoutHint } from './LayoutBadge.js';
import { SignIn } from './SignIn.js';
import { SkillsPage } from './SkillsPage.js';
import { createSkillTreeClient, type SkillTreeClient } from './skill-tree-client.js';
import { fetchRolloutStatus } from './skills-api.js';

const userFromUrl = (): string | null => new URLSearchParams(window.location.search).get('user')?.trim() || null;

export function App() {
  const [client, setClient] = useState<SkillTreeClient | null>(null);
  const [unavailable, setUnavailable] = useState(false);
  const [user, setUser] = useState(userFromUrl);

  useEffect(() => {
    let current = true;
    fetchRolloutStatus().then(
      (status) => current && setClient(createSkillTreeClient(status)),
      () => current && setUnavailable(true),
    );
    return () => {
      current = false;
    };
  }, []);

  const signIn = (next: string | null) => {
    const url = new URL(window.location.href);
    if (next === null) url.searchParams.delete('user');
    else url.searchParams.set('user', next);
    window.history.replaceState(null, '', url);
    setUser(next);
  };

  // Nothing experiment-dependent renders before the rollout is known: no flash of the control.
  if (client === null) return <p aria-busy={!unavailable}>{unavailable ? 'The skills service is unavailable.' : 'Loading…'}</p>;
  return (
    <ExperimentProvider client={client} unit={user} onError={(error, context) => console.warn('bucketry', context.source, error)}>
      <header>
        <h1>Skills</h1> <LayoutBadge />
        <SignIn user={user} onChange={signIn} />
      </header>
      {/* keyed by user: a new user starts with nothing loaded and nothing reported */}
      <main>{user === null ? <p>Sign in to see your skills.</p> : <SkillsPage key={user} user={user} />}</main>
      <footer>
        <LayoutHint />
      </footer>
    </ExperimentProvider>
  );
}
