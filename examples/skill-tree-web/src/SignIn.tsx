import { useState, type FormEvent } from 'react';

/** Stands in for a real sign-in: the user id the API will trust from X-User-Id. */
export function SignIn({ user, onChange }: { user: string | null; onChange: (user: string | null) => void }) {
  const [draft, setDraft] = useState('');
  if (user !== null) {
    return (
      <p>
        Signed in as <strong data-testid="user">{user}</strong>{' '}
        <button type="button" onClick={() => onChange(null)}>
          Sign out
        </button>
      </p>
    );
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (draft.trim()) onChange(draft.trim());
  };
  return (
    <form onSubmit={submit}>
      <label>
        User id <input name="user" value={draft} onChange={(event) => setDraft(event.target.value)} autoComplete="username" />
      </label>{' '}
      <button type="submit">Sign in</button>
    </form>
  );
}
