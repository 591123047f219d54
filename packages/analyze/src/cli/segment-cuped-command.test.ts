import { describe, expect, it } from 'vitest';
import { useSlowTestTimeouts } from '../../../../test-support/slow-tests.js';
import { SEGMENT_CUPED_EXPORT } from '../analysis/segment-cuped.test-helper.js';
import { cliSandbox } from './cli-sandbox.test-helper.js';

useSlowTestTimeouts();

const { run } = cliSandbox();

const ARGS = ['analyze', SEGMENT_CUPED_EXPORT, '--experiment', 'checkout_v2', '--expected-variant', 'control', '--expected-variant', 'treatment', '--metric', 'order_placed', '--value', 'order_placed.amount'];

describe('bucketry analyze --segment / --cuped', () => {
  it('prints the segments and CUPED sections in the text report, with the small slices and the changed values named', async () => {
    const { code, stdout } = await run([...ARGS, '--segment', 'role,region', '--cuped', '14d']);
    expect(code).toBe(0);
    expect(stdout).toContain("Segments (each unit in the slice of its first exposure's value; success metrics' p-values Holm-adjusted over 7 slice comparisons");
    expect(stdout).toMatch(/^ {4}guest \(small\) +24\/21 +order_placed/m);
    expect(stdout).toContain("    ! guest: 21 units in its smallest arm, under 100: its comparisons are too noisy to read alone");
    expect(stdout).toContain("    ! 132 units had exposures with different values: each is counted in its first exposure's slice");
    expect(stdout).toContain("CUPED (covariate X: the same metric over each unit's events in the 14d before its first exposure");
    expect(stdout).toMatch(/^ {2}page_loaded \(mean duration per unit\): units with a pre-period 505 of 964, 473 of 984 \(control, treatment\)$/m);
    expect(stdout).toMatch(/^ {4}treatment vs control: adjusted [+−][\d.]+ pts \[.+\], Welch t = .+; θ = 0\.1788; variance reduced 4\.8%$/m);
  });

  it('carries both in --format json as plain data, and shows both in --format html', async () => {
    const json = JSON.parse((await run([...ARGS, '--segment', 'role', '--segment', 'region', '--cuped', '14d', '--format', 'json'])).stdout);
    expect(json.segments.map((s: { property: string }) => s.property)).toEqual(['role', 'region']);
    expect(json.segments[0].warnings).toContainEqual({ code: 'value-changed', units: 132 });
    expect(json.cuped.windowMs).toBe(14 * 86_400_000);
    expect(json.cuped.metrics.map((m: { kind: string }) => m.kind)).toEqual(['conversion', 'duration', 'value']);
    const { stdout: html } = await run([...ARGS, '--segment', 'role', '--cuped', '14d', '--format', 'html']);
    expect(html).toContain('<h2>Segment: role</h2>');
    expect(html).toContain('<tr class="unjudged"><td>guest (small)</td><td>24/21</td>');
    expect(html).toContain('<h2>CUPED</h2>');
    expect(html).toContain('<td>order_placed.amount (total per unit)</td>');
  });

  it('refuses bad values naming the flag, the value and the rule', async () => {
    expect((await run([...ARGS, '--cuped', '30m'])).stderr).toContain('--cuped "30m": must be a duration like 30s, 10m, 1h or 1d, at least 3600s');
    expect((await run([...ARGS, '--segment', 'role,,region'])).stderr).toContain('--segment "role,,region": must name properties');
    expect((await run([...ARGS, '--segment', 'role', '--segment', 'role'])).stderr).toContain('--segment "role" is given twice');
    expect((await run([...ARGS, '--segment-min-units', '0'])).stderr).toContain('--segment-min-units "0": must be a whole number >= 1');
    expect((await run([...ARGS, '--cuped', '30m'])).code).toBe(2);
  });

  it('lists the flags in --help', async () => {
    const { stdout } = await run(['analyze', '--help']);
    expect(stdout).toContain('--segment <property>');
    expect(stdout).toContain('--segment-min-units <n>');
    expect(stdout).toContain('--cuped <window>');
  });
});
