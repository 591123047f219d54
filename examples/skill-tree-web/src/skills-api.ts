// The skill-tree API's routes the page uses (examples/skill-tree). The signed-in user travels in
// X-User-Id, standing in for the session a real gateway would check.

/** `GET /api/feature-flags/skill_tree_layout`: the rollout in force. */
export interface RolloutStatus {
  readonly enabled: boolean;
  readonly percentage: number;
}

/** A skill in the tree layout: under the first skill it requires. */
export interface SkillNode {
  readonly id: string;
  readonly name: string;
  readonly children: readonly SkillNode[];
}

/** A skill in the list layout: every skill in order, with what it requires. */
export interface SkillItem {
  readonly id: string;
  readonly name: string;
  readonly requires: readonly string[];
}

/** `GET /api/v1/skills/tree`: the layout the API decided for the user, and the skills in that shape. */
export type SkillsResponse = { readonly layout: 'tree'; readonly skills: readonly SkillNode[] } | { readonly layout: 'list'; readonly skills: readonly SkillItem[] };

async function json<T>(response: Response): Promise<T> {
  if (!response.ok) throw new Error(`${response.url}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

export const fetchRolloutStatus = async (): Promise<RolloutStatus> => json(await fetch('/api/feature-flags/skill_tree_layout'));

export const fetchSkills = async (user: string, signal: AbortSignal): Promise<SkillsResponse> =>
  json(await fetch('/api/v1/skills/tree', { headers: { 'X-User-Id': user }, signal }));

// Reports are fire-and-forget: a failure only costs the measurement, never the page.
function post(path: string, user: string, body: object): void {
  void fetch(path, {
    method: 'POST',
    headers: { 'X-User-Id': user, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  }).catch(() => {});
}

/** Tells the API how long the skills took to show (the guardrail on load time). */
export const reportLoaded = (user: string, durationMs: number): void => post('/api/v1/skills/tree/loaded', user, { duration_ms: Math.round(durationMs) });

/** Tells the API the skills could not be shown (the guardrail on errors). */
export const reportError = (user: string, code: 'skills_unavailable' | 'layout_mismatch'): void => post('/api/v1/skills/tree/errors', user, { code });
