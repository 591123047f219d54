/** Where the dev server and `vite preview` send /api (vite.config.ts). */
declare const __SKILL_TREE_API__: string;

/** The command that starts the example API where this page looks for it. */
export function apiStartCommand(api: string): string {
  const port = new URL(api).port || '80';
  return `${port === '3000' ? '' : `PORT=${port} `}SKILL_TREE_LIST_ROLLOUT=50 pnpm --dir examples/skill-tree start`;
}

/**
 * What the page shows when the skills service does not answer: what it is, where the page looks
 * for it, the command that starts it, and a way to try again once it runs.
 */
export function ApiDown({ onRetry }: { onRetry: () => void }) {
  return (
    <section className="card empty-state" role="alert" data-testid="api-down">
      <div className="empty-state-icon" aria-hidden="true">
        <svg viewBox="0 0 24 24" width="22" height="22" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
          <path d="M12 3v8" />
          <path d="M6.3 7.3a8 8 0 1 0 11.4 0" />
        </svg>
      </div>
      <h2>The skills service isn’t answering</h2>
      <p>
        This page gets its skills from the skill-tree example API, which it reaches at <code>{__SKILL_TREE_API__}</code>. Start it in
        another terminal, from the repository root:
      </p>
      <pre data-testid="api-start-command">
        <code>{apiStartCommand(__SKILL_TREE_API__)}</code>
      </pre>
      <p className="muted">
        Running it somewhere else? Start this page with <code>SKILL_TREE_API=http://host:port</code>.
      </p>
      <button type="button" className="primary" onClick={onRetry}>
        Try again
      </button>
    </section>
  );
}
