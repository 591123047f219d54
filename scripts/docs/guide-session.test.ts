import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { isRunning } from '../../test-support/process-running.js';
import { createGuideSession, GuideMismatchError } from './guide-session.mjs';
import { parseGuide } from './markdown-commands.mjs';

type Session = Awaited<ReturnType<typeof createGuideSession>>;

// A guide's blocks are run the way docs/guides.test.ts runs them; these tests check that a guide
// that drifts from what the commands do fails, and says where.
const SERVER_FILE = [
  '```js file=server.mjs',
  "import { createServer } from 'node:http';",
  "const server = createServer((req, res) => res.end(`hi from http://127.0.0.1:${server.address().port}\\n`));",
  "server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}`));",
  "process.on('SIGTERM', () => server.close());",
  '```',
];
const SERVER = [
  ...SERVER_FILE,
  '```sh server',
  '$ node server.mjs',
  'listening on http://127.0.0.1:3000',
  '```',
];

let session: Session | undefined;
async function runWith(options: Parameters<typeof createGuideSession>[0], ...lines: string[]): Promise<Session> {
  session = await createGuideSession(options);
  for (const block of parseGuide(lines.join('\n'))) await session.run(block, `guide.md:${block.line}`);
  return session;
}
const run = (...lines: string[]) => runWith({}, ...lines);
/**
 * Takes `port` on 127.0.0.1 for the rest of the test, as something on a developer's machine would:
 * a server the guide kept on its documented port would not start, or the commands would reach this
 * one. EADDRINUSE (something else holds it already) is just as good.
 */
async function holdPort(port: number): Promise<void> {
  const holder = createServer((_req, res) => res.end('not the guide server\n'));
  await new Promise<void>((resolve) => {
    holder.once('error', () => resolve());
    holder.listen(port, '127.0.0.1', resolve);
  });
  onTestFinished(() => void holder.close());
}
afterEach(async () => {
  const dir = session?.dir;
  await session?.close('guide.md: at the end');
  session = undefined;
  if (dir !== undefined) expect(existsSync(dir)).toBe(false);
});

describe('a guide session', () => {
  it('starts a documented server on a free port and reads 3000 in the guide as that port, both ways', async () => {
    // Port 3000 is taken: the server must get another one, and the commands must reach it there.
    await holdPort(3000);
    await run(...SERVER, '```sh', '$ curl -s http://127.0.0.1:3000/', 'hi from http://127.0.0.1:3000', '```');
  });

  it('fails a command whose output differs, showing both', async () => {
    const drifted = run(...SERVER, '```sh', '$ curl -s http://127.0.0.1:3000/', 'hello from http://127.0.0.1:3000', '```');
    await expect(drifted).rejects.toThrow(GuideMismatchError);
    await expect(drifted).rejects.toThrow(/guide\.md:12: \$ curl -s http:\/\/127\.0\.0\.1:3000\/\nthe guide says it prints:\n {4}\| hello from http:\/\/127\.0\.0\.1:3000\nit printed:\n {4}\| hi from http:\/\/127\.0\.0\.1:3000/);
  });

  it('fails a command that exits with an error, and one that prints what the guide does not show', async () => {
    await expect(run('```sh', '$ ls no-such-file', '...', '```')).rejects.toThrow(/exited with 2, not 0/);
    await session!.close('end');
    await expect(run('```sh', '$ echo surprise', '```')).rejects.toThrow(/it printed:\n {4}\| surprise/);
  });

  it('keeps files the guide writes in its scratch directory, not in the repository', async () => {
    const done = await run('```txt file=notes/hello.txt', 'hello', '```', '```sh', '$ cat notes/hello.txt', 'hello', '$ test -L packages && test -L examples && echo linked', 'linked', '```');
    expect(existsSync(`${done.dir}/notes/hello.txt`)).toBe(true);
  });

  it('runs servers side by side on the ports the guide names, each on a free one, and restarts only the one a new block names', async () => {
    // 3001 is taken: a server that kept the guide's PORT=3001 would not start, or the commands would reach the wrong one.
    await holdPort(3001);
    const done = await run(
      ...SERVER,
      '```sh server',
      '$ PORT=3001 node server.mjs',
      'listening on http://127.0.0.1:3001',
      '```',
      '```sh',
      '$ curl -s http://127.0.0.1:3000/ http://127.0.0.1:3001/',
      'hi from http://127.0.0.1:3000',
      'hi from http://127.0.0.1:3001',
      '```',
      '```sh server',
      '$ PORT=3001 node server.mjs',
      'listening on http://127.0.0.1:3001',
      '```',
      '```sh',
      '$ curl -s http://127.0.0.1:3001/ http://127.0.0.1:3000/',
      'hi from http://127.0.0.1:3001',
      'hi from http://127.0.0.1:3000',
      '```',
    );
    const starts = done.starts();
    expect(starts.map(({ port, where }) => [port, where])).toEqual([
      [3000, 'guide.md:7'],
      [3001, 'guide.md:11'],
      [3001, 'guide.md:20'],
    ]);
    // The restart stopped the first 3001 only; 3000 is the process the guide started first.
    expect([isRunning(starts[0]!.pid), isRunning(starts[1]!.pid), isRunning(starts[2]!.pid)]).toEqual([true, false, true]);
  });

  it('runs a server that names its port with --serve (bucketry monitor) on a free one, beside the 3000 one', async () => {
    await holdPort(4000);
    const done = await run(
      ...SERVER,
      '```js file=status.mjs',
      "import { createServer } from 'node:http';",
      "const server = createServer((req, res) => res.end('status\\n'));",
      "server.listen(Number(process.argv[process.argv.indexOf('--serve') + 1]), '127.0.0.1', () => console.error(`status page listening on http://127.0.0.1:${server.address().port}`));",
      "process.on('SIGTERM', () => server.close());",
      '```',
      '```sh server',
      '$ node status.mjs --serve 4000',
      'status page listening on http://127.0.0.1:4000',
      '```',
      '```sh',
      '$ curl -s http://127.0.0.1:4000/ http://127.0.0.1:3000/',
      'status',
      'hi from http://127.0.0.1:3000',
      '```',
    );
    expect(done.starts().map(({ port }) => port)).toEqual([3000, 4000]);
    await session!.close('end');
    await expect(run('```sh server', '$ node status.mjs --serve 80', '```')).rejects.toThrow('a server in a guide sets --serve only to name its documented port, 1024-65535, got --serve 80');
  });

  it('wants each server to stop cleanly on SIGTERM: exit 0, or for next start (ready at its `- Local:` line) 143 or the signal', async () => {
    // A server that prints the ready line of argv[2] and exits on SIGTERM with argv[3] once closed.
    const stopsWith = (ready: string, code: number) => [
      '```js file=stops.mjs',
      "import { createServer } from 'node:http';",
      "const [ready, code] = process.argv.slice(2);",
      "const server = createServer((req, res) => res.end('hi\\n'));",
      "server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log(`${ready} http://127.0.0.1:${server.address().port}`));",
      "process.on('SIGTERM', () => server.close(() => process.exit(Number(code))));",
      '```',
      '```sh server',
      `$ node stops.mjs '${ready}' ${code}`,
      `${ready} http://127.0.0.1:3000`,
      '```',
      '```sh',
      '$ curl -s http://127.0.0.1:3000/',
      'hi',
      '```',
    ];
    await run(...stopsWith('- Local:       ', 143));
    await session!.close('end');
    await run(...stopsWith('- Local:', 0));
    await session!.close('end');
    await run(...stopsWith('listening on', 143));
    await expect(session!.close('guide.md: at the end')).rejects.toThrow(/^guide\.md: at the end: \$ node stops\.mjs 'listening on' 143\nthe server exited with 143 on SIGTERM, not 0:\n {4}\| listening on http:\/\/127\.0\.0\.1:\d+\n {4}\| $/);
    session = undefined;
    await run(...stopsWith('- Local:', 3));
    await expect(session!.close('end')).rejects.toThrow('the server exited with 3 on SIGTERM, not 0 or 143 or SIGTERM');
    session = undefined;
  });

  it('refuses a server that sets PORT to anything but a documented port, and a server that does not start', async () => {
    await expect(run('```sh server', '$ PORT=0 node server.mjs', '```')).rejects.toThrow('a server in a guide sets PORT only to name its documented port, 1024-65535, got PORT=0');
    await session!.close('end');
    await expect(run('```sh server', '$ PORT=$P node server.mjs', '```')).rejects.toThrow('got PORT=$P');
    await session!.close('end');
    await expect(run('```sh server', '$ node -e "process.exit(3)"', '```')).rejects.toThrow(/the server did not start: .*exited with 3/s);
  });

  it('keeps an exported variable for the commands and servers after it, or the value a test stands in for it', async () => {
    const guide = [
      '```sh',
      '$ echo "store: ${BUCKETRY_STORE:-none}"',
      'store: none',
      "$ export BUCKETRY_STORE='file:rollouts.json'",
      '$ echo "store: $BUCKETRY_STORE"',
      'store: ...',
      '```',
      '```sh server',
      '$ node -e "process.on(\'SIGTERM\', () => process.exit(0)); setInterval(() => {}, 1000); console.log(\'listening on http://127.0.0.1:3000 with \' + process.env.BUCKETRY_STORE)"',
      'listening on http://127.0.0.1:3000 with file:rollouts.json',
      '```',
    ];
    const plain = await runWith({}, ...guide);
    expect(plain.exported()).toEqual(new Set(['BUCKETRY_STORE']));
    await session!.close('end');
    // The test's value replaces the guide's, for the commands and the server alike.
    const replaced = runWith({ exports: { BUCKETRY_STORE: 'redis://127.0.0.1:6379?prefix=t:' } }, ...guide.slice(0, 4), '$ echo "store: $BUCKETRY_STORE"', 'store: file:rollouts.json', '```');
    await expect(replaced).rejects.toThrow(/it printed:\n {4}\| store: redis:\/\/127\.0\.0\.1:6379\?prefix=t:/);
    await session!.close('end');
    const server = runWith({ exports: { BUCKETRY_STORE: 'redis://127.0.0.1:6379?prefix=t:' } }, ...guide);
    await expect(server).rejects.toThrow(/it printed:\n {4}\| listening on http:\/\/127\.0\.0\.1:3000 with redis:\/\/127\.0\.0\.1:6379\?prefix=t:/);
  });

  it('refuses an export that runs something or prints something', async () => {
    await expect(run('```sh', '$ export WHO=$(whoami)', '```')).rejects.toThrow('an export sets one variable to a plain value');
    await session!.close('end');
    await expect(run('```sh', '$ export WHO=me', 'me', '```')).rejects.toThrow('an export prints nothing');
  });

  it('checks an install against the workspace: published packages, with their peer dependencies', async () => {
    await expect(run('```sh install', '$ pnpm add @bucketry/express @bucketry/core', '```')).rejects.toThrow('@bucketry/express needs its peer dependencies express installed too');
    await session!.close('end');
    await expect(run('```sh install', '$ pnpm add @bucketry/nope', '```')).rejects.toThrow('@bucketry/nope is not a published package of this repository');
    await session!.close('end');
    await expect(run('```sh install', '$ pnpm add left-pad', '```')).rejects.toThrow('left-pad is used by no package of this repository');
    await session!.close('end');
    // Installed packages are linked into the scratch directory's node_modules, and only those.
    await run(
      '```sh install',
      '$ pnpm add @bucketry/core',
      '```',
      '```sh',
      `$ node --input-type=module -e "import('@bucketry/core').then((m) => console.log(typeof m.assignVariant))"`,
      'function',
      `$ node --input-type=module -e "import('express').then(() => console.log('express'), () => console.log('no express'))"`,
      'no express',
      '```',
    );
  });
  it('in packed mode, installs @bucketry packages for real from their tarballs, into an app with nothing of the repository linked', async () => {
    // A package of one file, packed as scripts/pack-packages.mjs packs the real ones.
    const work = mkdtempSync(join(tmpdir(), 'guide-packed-'));
    onTestFinished(() => rmSync(work, { recursive: true, force: true }));
    writeFileSync(join(work, 'package.json'), JSON.stringify({ name: '@bucketry/fake', version: '1.0.0', main: 'index.js' }));
    writeFileSync(join(work, 'index.js'), "module.exports = 'fake, from its tarball';\n");
    execFileSync('npm', ['pack', '--pack-destination', work], { cwd: work, stdio: 'ignore' });
    const packed = { with: 'npm' as const, tarballs: new Map([['@bucketry/fake', join(work, 'bucketry-fake-1.0.0.tgz')]]) };
    await runWith(
      { packed },
      '```sh install',
      '$ pnpm add @bucketry/fake',
      '```',
      '```sh',
      `$ node -e "console.log(require('@bucketry/fake'))"`,
      'fake, from its tarball',
      '$ ls',
      'node_modules',
      'package-lock.json',
      'package.json',
      'tmp',
      '```',
    );
    await session!.close('end');
    await expect(runWith({ packed }, '```sh install', '$ pnpm add @bucketry/core', '```')).rejects.toThrow('@bucketry/core is not a published package of this repository');
  }, 120_000);
});
