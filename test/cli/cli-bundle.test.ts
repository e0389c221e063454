// The prebuilt `cairn` bundle (dist-cli/, `npm run build`) runs only while
// every file it was built from is unchanged; anything else runs the sources.
// The real bundle is built into a temporary folder of the project (it resolves
// better-sqlite3 and pdf.js from the project's node_modules; never dist-cli/,
// which other tests may be running) and must read a PDF through its own worker
// and resume a session, like the sources.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BUNDLE_ENTRY, FROM_SOURCES_ENV, freshBundle, importBundle, loadCli, MANIFEST, stampOf, type BundleManifest } from '../../electron/cli/cli-bundle.ts';
import { main as sourcesMain } from '../../electron/cli/main.ts';
import { buildCli } from '../../scripts/build-cli.ts';
import { startSimulator } from '../../electron/engine/simulator/index.ts';
import { ROOT, SAMPLE, simArgs, sleep } from './helpers.ts';

const dirs: string[] = [];
const temp = (label: string) => {
  const d = mkdtempSync(join(tmpdir(), `cairn-bundle-${label}-`));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A stand-in bundle whose main answers 7, built from one input file, with its manifest. */
function fakeBundle(): { dir: string; input: string; entry: string } {
  const dir = temp('fake');
  const input = join(dir, 'input.ts');
  const entry = join(dir, BUNDLE_ENTRY);
  writeFileSync(input, 'export const x = 1;\n');
  writeFileSync(entry, 'export async function main() { return 7; }\n');
  const manifest: BundleManifest = { version: 1, entry: BUNDLE_ENTRY, files: [stampOf(input), stampOf(entry)] };
  writeFileSync(join(dir, MANIFEST), JSON.stringify(manifest));
  return { dir, input, entry };
}

describe('choosing the bundle or the sources', () => {
  test('a fresh bundle is used', async () => {
    const { dir, entry } = fakeBundle();
    expect(freshBundle(dir, {})).toBe(entry);
    const cli = await loadCli(dir, {});
    expect(cli.from).toBe('bundle');
    expect(await cli.main([])).toBe(7);
  });

  test('an input rewritten with its size and mtime kept is caught by its ctime', async () => {
    const { dir, input } = fakeBundle();
    // A whole-second mtime, so that it can be put back exactly; then the manifest is stamped again.
    utimesSync(input, 1_700_000_000, 1_700_000_000);
    const manifestFile = join(dir, MANIFEST);
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as BundleManifest;
    writeFileSync(manifestFile, JSON.stringify({ ...manifest, files: manifest.files.map((f) => (f[0] === input ? stampOf(input) : f)) }));
    expect(freshBundle(dir, {})).not.toBeNull();
    const before = stampOf(input);
    await sleep(30); // past the file system's time granularity
    writeFileSync(input, 'export const x = 2;\n');
    utimesSync(input, 1_700_000_000, 1_700_000_000);
    expect(stampOf(input).slice(1, 3)).toEqual(before.slice(1, 3));
    expect(stampOf(input)[3]).not.toBe(before[3]);
    expect(freshBundle(dir, {})).toBeNull();
    const cli = await loadCli(dir, {});
    expect(cli.from).toBe('sources');
    expect(cli.main).toBe(sourcesMain);
  });

  test('an input that grew, a missing input, a changed bundle, or a bad manifest: the sources run', () => {
    const grew = fakeBundle();
    writeFileSync(grew.input, 'export const x = 1; // and more\n');
    expect(freshBundle(grew.dir, {})).toBeNull();

    const missing = fakeBundle();
    unlinkSync(missing.input);
    expect(freshBundle(missing.dir, {})).toBeNull();

    const edited = fakeBundle();
    writeFileSync(edited.entry, 'export async function main() { return 8; }\n');
    expect(freshBundle(edited.dir, {})).toBeNull();

    const bad = fakeBundle();
    const manifestFile = join(bad.dir, MANIFEST);
    const good = readFileSync(manifestFile, 'utf8');
    for (const text of ['', '{', 'null', '[]', JSON.stringify({ ...JSON.parse(good), version: 2 }), JSON.stringify({ ...JSON.parse(good), files: [] }),
      JSON.stringify({ ...JSON.parse(good), entry: '../elsewhere.mjs' }), JSON.stringify({ ...JSON.parse(good), files: [[bad.input, 'size', 0, 0]] }),
      // An entry the manifest does not stamp is not trusted.
      JSON.stringify({ ...JSON.parse(good), files: [stampOf(bad.input)] })]) {
      writeFileSync(manifestFile, text);
      expect(freshBundle(bad.dir, {}), text).toBeNull();
    }
    unlinkSync(manifestFile);
    expect(freshBundle(bad.dir, {})).toBeNull();
  });

  test(`${FROM_SOURCES_ENV} runs the sources even with a fresh bundle`, async () => {
    const { dir } = fakeBundle();
    expect(freshBundle(dir, { [FROM_SOURCES_ENV]: '1' })).toBeNull();
    expect((await loadCli(dir, { [FROM_SOURCES_ENV]: '1' })).from).toBe('sources');
  });

  test('a bundle swapped away after the check falls back; a broken bundle is an error, not silently skipped', async () => {
    const dir = temp('broken');
    expect(await importBundle(join(dir, 'gone.mjs'))).toBeNull();
    const broken = join(dir, 'broken.mjs');
    writeFileSync(broken, 'export const = ;\n');
    await expect(importBundle(broken)).rejects.toThrow();
  });
});

describe('the real bundle', () => {
  let out = '';
  beforeAll(async () => {
    // A `.dist-cli-*` folder: ignored by git and lint like dist-cli/ itself.
    out = mkdtempSync(join(ROOT, '.dist-cli-test-'));
    dirs.push(out);
    await buildCli(out);
  }, 120_000);

  /** Runs the bundle's main in a child process, as bin/cairn.js would (asynchronously: the simulator answers from this process). */
  async function runBundle(args: string[], env: Record<string, string> = {}): Promise<string> {
    const entry = freshBundle(out, {});
    expect(entry).toBe(join(out, BUNDLE_ENTRY));
    const runner = join(temp('runner'), 'run.mjs');
    writeFileSync(runner, `const { main } = await import(${JSON.stringify(pathToFileURL(entry!).href)});\nprocess.exitCode = await main(process.argv.slice(2));\n`);
    const { stdout } = await promisify(execFile)(process.execPath, [runner, ...args], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
    return stdout;
  }

  test('is fresh against the project it was built from, and stamps its inputs', () => {
    const manifest = JSON.parse(readFileSync(join(out, MANIFEST), 'utf8')) as BundleManifest;
    const files = manifest.files.map(([f]) => f);
    expect(files).toContain(join(ROOT, 'electron', 'cli', 'main.ts'));
    expect(files).toContain(join(ROOT, 'electron', 'engine', 'documents', 'ingest-worker.ts'));
    expect(files.some((f) => /node_modules[/\\]openai[/\\]package\.json$/.test(f))).toBe(true);
    expect(files).toEqual(expect.arrayContaining([join(ROOT, 'package.json'), join(ROOT, 'tsconfig.json'), join(ROOT, 'tsconfig.base.json')]));
    expect(files).toContain(join(out, 'ingest-worker.cjs'));
  });

  test('reads a PDF through its bundled worker, pauses on a 401, and resumes without asking for anything twice', async () => {
    const sim = await startSimulator({ words: 30, tokensPerSecond: 0 });
    try {
      const data = temp('data');
      const pdf = join(ROOT, 'samples', 'master-services-agreement.pdf');
      sim.setFaults([{ fault: { kind: 'unauthorized' }, times: 1, predicate: (req) => req.seq === 4 }]);
      const first = await runBundle(['--data-dir', data, '--json', 'run', pdf, SAMPLE, '--task', 'List obligations', '--chunk-tokens', '2000', '--concurrency', '1', ...simArgs(sim.baseURL)])
        .then(() => null, (err: { code?: number; stdout?: string }) => err);
      expect(first?.code).toBe(3);
      const events = first!.stdout!.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(events.filter((e) => e.type === 'step' && e.kind === 'document')).toHaveLength(2);
      expect(events.at(-1)).toMatchObject({ type: 'paused', status: 'paused' });
      const id = String(events[0]!.id);

      const resumed = (await runBundle(['--data-dir', data, '--json', 'resume', id])).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(resumed.at(-1)).toMatchObject({ type: 'done', status: 'done' });
      const answered = sim.log.completions().filter((c) => c.status === 200).map((c) => c.requestKey);
      expect(answered.length).toBeGreaterThan(4);
      expect(new Set(answered).size).toBe(answered.length);
    } finally {
      await sim.close();
    }
  }, 90_000);
});
