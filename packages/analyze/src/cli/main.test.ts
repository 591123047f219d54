import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../policy/presets.js';
import { simulateExport } from '../simulate/simulate.js';
import { cliSandbox } from './cli-sandbox.test-helper.js';
import { useSlowTestTimeouts } from '../../../../test-support/slow-tests.js';

// runCli in every test: the generous timeout (slow-tests.test.ts).
useSlowTestTimeouts();

const { dir, run, write } = cliSandbox();

const healthy = write('healthy.jsonl', simulateExport({ users: 20_000, rollout: 10, seed: 7, lift: 0.05 }));
const srm = write('srm.jsonl', simulateExport({ users: 20_000, rollout: 10, seed: 7, lift: 0.05, srm: true, badLines: 5 }));
const PRESETS_SMOKE = PRESETS['smoke-10']!;
const SKILL_TREE = ['--experiment', 'skill_tree_layout', '--expected-variant', 'tree', '--expected-variant', 'list'];

describe('bucketry analyze', () => {
  it('exits 0 and prints the report when the smoke test is healthy', async () => {
    const { code, stdout, stderr } = await run(['analyze', healthy, '--policy', 'smoke-10']);
    expect(stderr).toBe('');
    expect(stdout).toContain('Decision: PROCEED');
    expect(code).toBe(0);
  });

  it('exits 1 on a sample ratio mismatch, with bad lines on stderr when the report goes elsewhere', async () => {
    const args = ['analyze', srm, ...SKILL_TREE, '--weights', '90,10'];
    const { code, stdout, stderr } = await run([...args, '--format', 'json']);
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.srm.status).toBe('fail');
    expect(report.decision).toBe('hold');
    expect(report.checks[report.reasons[0]]).toMatchObject({ check: 'srm', status: 'fail', outcome: 'hold' });
    const { count, examples } = report.input.badLines as { count: number; examples: { line: number; reason: string }[] };
    const listed = (some: typeof examples) => some.map(({ line, reason }) => `line ${line}: ${reason}\n`).join('');
    expect(count).toBeGreaterThan(2);
    expect(examples).toHaveLength(count);
    expect(stderr).toBe(listed(examples));
    // --max-bad-lines: fewer listed, in the report and on stderr, all counted.
    const capped = await run([...args, '--format', 'json', '--max-bad-lines', '2']);
    expect(JSON.parse(capped.stdout).input.badLines).toEqual({ ...report.input.badLines, examples: examples.slice(0, 2) });
    expect(capped.stderr).toBe(`${listed(examples.slice(0, 2))}… ${count - 2} more bad lines (${count} in all)\n`);
    // The text report on stdout lists them itself.
    const text = await run(args);
    expect(text.stdout).toContain(`\n  ${listed(examples).trimEnd().split('\n').join('\n  ')}\n`);
    expect(text.stderr).toBe('');
  });

  it('reads stdin with -, and gzip, into the report of the plain file', async () => {
    const text = readFileSync(join(dir, healthy));
    writeFileSync(join(dir, 'healthy.jsonl.gz'), gzipSync(text));
    const json = ['--policy', 'smoke-10', '--format', 'json'];
    const fromFile = await run(['analyze', healthy, ...json]);
    expect(JSON.parse(fromFile.stdout).variants[0].units).toBeGreaterThan(17_000);
    const fromStdin = await run(['analyze', '-', ...json], text);
    const fromGzip = await run(['analyze', 'healthy.jsonl.gz', ...json]);
    const fromGzipStdin = await run(['analyze', '-', ...json], gzipSync(text));
    for (const other of [fromStdin, fromGzip, fromGzipStdin]) expect(other).toEqual(fromFile);
    expect(fromFile.code).toBe(0);
  });

  it('writes a self-contained HTML page with --out and says the decision on stderr', async () => {
    const { code, stdout, stderr } = await run(['analyze', healthy, '--policy', 'smoke-10', '--format', 'html', '--out', 'report.html', '--interval', '6h']);
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toBe('Decision: PROCEED (html report written to report.html)\n');
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toMatch(/^<!doctype html>[\s\S]*<svg [\s\S]*<\/html>\n$/);
  });

  it('makes the folder --out names, and says clearly when it cannot', async () => {
    const { code, stderr } = await run(['analyze', healthy, '--policy', 'smoke-10', '--format', 'json', '--out', 'reports/2025-06/smoke.json']);
    expect([code, stderr]).toEqual([0, 'Decision: PROCEED (json report written to reports/2025-06/smoke.json)\n']);
    expect(JSON.parse(readFileSync(join(dir, 'reports/2025-06/smoke.json'), 'utf8')).decision).toBe('proceed');
    expect((await run(['simulate', '--users', '50', '--rollout', '10', '--out', 'sims/a.jsonl'])).code).toBe(0);
    expect(readFileSync(join(dir, 'sims/a.jsonl'), 'utf8')).toContain('experiment_exposure');
    const blocked = await run(['analyze', healthy, '--policy', 'smoke-10', '--out', `${healthy}/report.txt`]);
    expect(blocked).toEqual({ code: 2, stdout: '', stderr: `bucketry analyze: --out ${healthy}/report.txt: the folder ${healthy} is a file, not a folder\n` });
  });

  it('runs a policy file and adds --guardrail checks to it', async () => {
    writeFileSync(
      join(dir, 'policy.json'),
      JSON.stringify({ experiment: 'skill_tree_layout', variants: ['tree', 'list'], weights: [90, 10], guardrails: [{ type: 'rate', metric: 'skill_tree_error', hold: 0.02, rollback: 0.05 }] }),
    );
    const { code, stdout } = await run(['analyze', healthy, '--policy', 'policy.json', '--guardrail', 'p95:skill_tree_loaded:1s:1.5s', '--format', 'json']);
    const report = JSON.parse(stdout);
    expect(report.guardrails.map((g: { guardrail: object; outcome: string }) => [g.guardrail, g.outcome])).toMatchObject([
      [{ type: 'rate', metric: 'skill_tree_error', hold: 0.02, rollback: 0.05 }, 'proceed'],
      [{ type: 'percentile', event: 'skill_tree_loaded', percentile: 95, hold: 1000, rollback: 1500 }, 'rollback'],
    ]);
    expect(code).toBe(1);
  });

  it("rolls back on a success metric significantly worse than control when the policy's onSignificantHarm says so", async () => {
    const harmed = write('harmed.jsonl', simulateExport({ users: 10_000, rollout: 50, seed: 7, lift: -0.3 }));
    const policy = { experiment: 'skill_tree_layout', variants: ['tree', 'list'], metrics: ['session_started_from_tree'] };
    writeFileSync(join(dir, 'harm-holds.json'), JSON.stringify(policy));
    writeFileSync(join(dir, 'harm-rolls-back.json'), JSON.stringify({ ...policy, onSignificantHarm: 'rollback' }));
    const holds = await run(['analyze', harmed, '--policy', 'harm-holds.json', '--format', 'json']);
    expect([holds.code, JSON.parse(holds.stdout).decision]).toEqual([1, 'hold']);
    const rollsBack = await run(['analyze', harmed, '--policy', 'harm-rolls-back.json']);
    expect(rollsBack.code).toBe(1);
    expect(rollsBack.stdout).toMatch(/\nDecision: ROLLBACK\n {2}- Success metric session_started_from_tree: list is significantly worse than control tree \(.*\): roll back\n/);
  });

  it('reports the always-valid tests beside the fixed-horizon ones, and decides on them with --sequential or a policy\'s "sequential": true', async () => {
    const args = ['analyze', healthy, '--policy', 'smoke-10', '--metric', 'session_started_from_tree'];
    const fixed = await run(args);
    expect(fixed.stdout).toMatch(/\n {4}list, always-valid: p = [0-9.e-]+, adj\. p = [0-9.e-]+ ?\*?, abs\. lift \[.*\] pts, rel\. lift \[.*\]\n/);
    expect(fixed.stdout).toContain('  always-valid: the mSPRT\'s p-value and 95% confidence sequence, valid however often the experiment is analysed (tuned for 10,000 units); the fixed-horizon tests decide (--sequential for these)\n');
    expect(fixed.stdout).toMatch(/\n {4}list vs tree, always-valid: mean \[.*\], p = /);
    const sequential = await run([...args, '--sequential', '--sequential-horizon', '40000', '--format', 'json']);
    const report = JSON.parse(sequential.stdout);
    expect(report.sequential).toEqual({ decides: true, horizon: 40_000 });
    expect(report.guardrails[0].arms[0].reading).toMatchObject({ kind: 'bounds', alpha: 0.05, alwaysValid: true });
    writeFileSync(join(dir, 'sequential.json'), JSON.stringify({ ...PRESETS_SMOKE, sequential: true, sequentialHorizon: 40_000, metrics: ['session_started_from_tree'] }));
    expect(JSON.parse((await run(['analyze', healthy, '--policy', 'sequential.json', '--format', 'json'])).stdout)).toEqual(report);
  });

  it('reports numeric properties with --value and ratios with --ratio, on units', async () => {
    const lines: string[] = [];
    for (let k = 0; k < 200; k++) {
      const [userId, variant] = [`u${k}`, k % 2 === 0 ? 'tree' : 'list'];
      const timestamp = (s: number) => new Date(Date.UTC(2025, 5, 2, 8, 0, s)).toISOString();
      lines.push(JSON.stringify({ event: 'experiment_exposure', userId, properties: { experiment: 'skill_tree_layout', variant }, timestamp: timestamp(0) }));
      for (let j = 0; j <= k % 3; j++) lines.push(JSON.stringify({ event: 'llm_call', userId, properties: { cost_usd: 0.01 * (1 + ((k + j) % 5)), hit: j % 2 }, timestamp: timestamp(1 + j) }));
    }
    const file = write('llm.jsonl', lines);
    const { stdout } = await run(['analyze', file, ...SKILL_TREE, '--value', 'llm_call.cost_usd', '--ratio', 'llm_call.hit/llm_call', '--guardrail', 'lift:llm_call.cost_usd:-35%']);
    expect(stdout).toContain("\nValues (on units: each unit's total, and each unit's mean; Welch's test on units; 95% intervals)\n  llm_call.cost_usd\n");
    expect(stdout).toMatch(/\n {4}list vs tree, total per unit: .*, Welch t = .*, p = .*; always-valid p = /);
    expect(stdout).toContain("\nRatios (Σ numerator / Σ denominator over each variant's units; delta method on units; 95% intervals)\n  llm_call.hit / llm_call (count)\n");
    expect(stdout).toMatch(/\n {2}(PROCEED|HOLD|ROLLBACK) +llm_call\.cost_usd per unit \(total\) at most −35\.0% against control\n/);
  });

  it('reports a funnel with --funnel', async () => {
    const { stdout } = await run(['analyze', healthy, '--policy', 'smoke-10', '--funnel', 'skill_tree_loaded,session_started_from_tree']);
    expect(stdout).toContain('\n  skill_tree_loaded → session_started_from_tree\n    variant   units  skill_tree_loaded  session_started_from_tree\n');
    expect(stdout).toMatch(/\n {4}list vs tree, reach: skill_tree_loaded .* pts \[.*\], adj\. p .*; session_started_from_tree .* pts \[.*\], adj\. p /);
  });

  it.each([
    [['analyze'], 'bucketry analyze: missing input: give a .jsonl or .jsonl.gz export, or - to read stdin'],
    [['analyze', 'nope.jsonl', ...SKILL_TREE], 'bucketry analyze: cannot read'],
    [['analyze', healthy, '--expected-variant', 'tree'], 'missing --experiment'],
    [['analyze', healthy, '--experiment', 'x', '--expected-variant', 'tree'], '--expected-variant given 1 time(s) (tree): give every variant, at least two, control first'],
    [['analyze', healthy, ...SKILL_TREE, '--weights', '90,x'], '--weights "90,x": must be comma-separated numbers >= 0, not all 0, 2 of them (one per variant: tree, list)'],
    [['analyze', healthy, ...SKILL_TREE, '--weights', '80,10,10'], '--weights "80,10,10": must be comma-separated numbers >= 0'],
    [['analyze', healthy, ...SKILL_TREE, '--interval', '10 minutes'], '--interval "10 minutes": must be a duration like 30s, 10m, 1h or 1d, at least 1s'],
    [['analyze', healthy, ...SKILL_TREE, '--format', 'pdf'], '--format "pdf": must be text, json or html'],
    [['analyze', healthy, ...SKILL_TREE, '--confidence', '95'], '--confidence "95": must be a number between 0 and 1 (exclusive)'],
    [['analyze', healthy, ...SKILL_TREE, '--threads', '1.5'], '--threads "1.5": must be a whole number'],
    [['analyze', healthy, ...SKILL_TREE, '--srm-test', 'bayes'], '--srm-test "bayes": must be chi-square or sequential'],
    [['analyze', healthy, ...SKILL_TREE, '--sequential-horizon', '0'], '--sequential-horizon "0": must be a whole number >= 1'],
    [['analyze', healthy, ...SKILL_TREE, '--value', 'cost_usd'], '--value "cost_usd" names no property: write <event>.<property>'],
    [['analyze', healthy, ...SKILL_TREE, '--ratio', 'a.b'], '--ratio "a.b" must be <event>.<property>/<event>[.<property>]'],
    [['analyze', healthy, ...SKILL_TREE, '--funnel', 'checkout'], '--funnel "checkout": must be two or more different event names, comma-separated'],
    [['analyze', healthy, ...SKILL_TREE, '--guardrail', 'rate:skill_tree_error:5%'], '--guardrail "rate:skill_tree_error:5%": rollback is missing'],
    [['analyze', healthy, '--policy', 'smoke-11'], '--policy "smoke-11": not a preset (smoke-10, ramp-50, staged-5, staged-25, staged-100) and no such file'],
    [['analyze', healthy, ...SKILL_TREE, '--colour'], 'unknown flag --colour for bucketry analyze'],
    [['analyze', healthy, ...SKILL_TREE, '--weights'], '--weights needs a value'],
    [['analyze', healthy, 'second.jsonl', ...SKILL_TREE], 'unexpected argument "second.jsonl"'],
    [['analyze', healthy, '--experiment', 'skill_tree_layuot', '--expected-variant', 'tree', '--expected-variant', 'list'], 'no exposures of experiment "skill_tree_layuot" ('],
  ])('exits 2 on %j, saying why', async (args, message) => {
    const { code, stderr, stdout } = await run(args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
  });

  it('names the rule broken in a policy file', async () => {
    writeFileSync(join(dir, 'bad-policy.json'), JSON.stringify({ guardrails: [{ type: 'rate', metric: 'e', hold: 0.05, rollback: 0.02 }] }));
    const { code, stderr } = await run(['analyze', healthy, ...SKILL_TREE, '--policy', 'bad-policy.json']);
    expect(code).toBe(2);
    expect(stderr).toBe('bucketry analyze: --policy bad-policy.json: guardrails[0].hold (0.05) must not be above guardrails[0].rollback (0.02)\n');
    writeFileSync(join(dir, 'not-json.json'), '{ guardrails: ');
    expect((await run(['analyze', healthy, ...SKILL_TREE, '--policy', 'not-json.json'])).stderr).toMatch(/--policy not-json.json: not valid JSON \(/);
  });
});
