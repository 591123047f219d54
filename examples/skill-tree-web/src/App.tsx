import { ExperimentProvider } from '@bucketry/react';
import { useEffect, useState, type ReactNode } from 'react';
import { ApiDown } from './ApiDown.js';
import { LayoutBadge, LayoutHint } from './LayoutBadge.js';
import { SignIn } from './SignIn.js';
import { SkillsPage } from './SkillsPage.js';
import { createSkillTreeClient, type SkillTreeClient } from './skill-tree-client.js';
import { fetchRolloutStatus } from './skills-api.js';

const userFromUrl = (): string | null => new URLSearchParams(window.location.search).get('user')?.trim() || null;

/** The page's frame: the product's bar (and what the signed-in part adds to it), the content. */
function Shell({ bar, children }: { bar?: ReactNode; children: ReactNode }) {
  return (
    <div className="shell">
      <header className="top-bar">
        <span className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <h1>Skills</h1>
        </span>
        {bar}
      </header>
      {children}
    </div>
  );
}

export function App() {
  const [client, setClient] = useState<SkillTreeClient | null>(null);
  const [unavailable, setUnavailable] = useState(false);
  const [user, setUser] = useState(userFromUrl);
  // Bumped by "Try again" on the notice shown while the API is down.
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let current = true;
    fetchRolloutStatus().then(
      (status) => current && setClient(createSkillTreeClient(status)),
      () => current && setUnavailable(true),
    );
    return () => {
      current = false;
    };
  }, [attempt]);

  const retry = () => {
    setUnavailable(false);
    setAttempt((n) => n + 1);
  };

  const signIn = (next: string | null) => {
    const url = new URL(window.location.href);
    if (next === null) url.searchParams.delete('user');
    else url.searchParams.set('user', next);
    window.history.replaceState(null, '', url);
    setUser(next);
  };

  // Nothing experiment-dependent renders before the rollout is known: no flash of the control.
  if (client === null) {
    return (
      <Shell>
        <main>{unavailable ? <ApiDown onRetry={retry} /> : <p className="card muted" aria-busy="true">Loading…</p>}</main>
      </Shell>
    );
  }
  return (
    <ExperimentProvider client={client} unit={user} onError={(error, context) => console.warn('bucketry', context.source, error)}>
      <Shell
        bar={
          <>
            <LayoutBadge />
            <SignIn user={user} onChange={signIn} />
          </>
        }
      >
        {/* keyed by user: a new user starts with nothing loaded and nothing reported */}
        <main className="card">
          {user === null ? <p className="muted">Sign in to see your skills.</p> : <SkillsPage key={user} user={user} />}
        </main>
        <footer>
          <LayoutHint />
        </footer>
      </Shell>
    </ExperimentProvider>
  );
}
