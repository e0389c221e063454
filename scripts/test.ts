// `npm test`: everything that can run on this machine, in one command, with a
// closing line that says what passed, what failed and what was not run.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { root, run } from './run-step.ts';

const major = Number(process.versions.node.split('.')[0]);
console.log(`cairn test: Node ${process.versions.node} (${process.execPath})`);
if (major < 22) {
  console.error('Cairn needs Node 22 or newer; run the tests with `npm test`, which uses the Node 24 installed in node_modules.');
  process.exit(2);
}

const steps: Array<{ name: string; ok: boolean }> = [];
const notRun: string[] = [];
const quick = process.argv.includes('--quick');

async function step(name: string, cmd: string, args: string[], env?: Record<string, string>): Promise<boolean> {
  const started = Date.now();
  console.log(`\n▶ ${name}`);
  const code = await run(cmd, args, env ? { env } : {});
  const ok = code === 0;
  console.log(`${ok ? '✔' : '✘'} ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  steps.push({ name, ok });
  return ok;
}

mkdirSync(join(root, 'test-results'), { recursive: true });
await step('typecheck', 'tsc', ['-p', 'tsconfig.node.json']);
await step('typecheck renderer', 'tsc', ['-p', 'tsconfig.web.json']);
await step('lint', 'eslint', ['.']);
await step('dead code (knip)', 'knip', ['--no-progress']);
await step('build (renderer and Electron bundles)', 'node', ['scripts/build.ts']);

const report = join(root, 'test-results', 'vitest.json');
await step('unit, integration, crash and e2e tests (vitest)', 'vitest', ['run', '--project', 'node', '--project', 'renderer', '--project', 'renderer-service', '--project', 'e2e', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]);
if (!quick) await step('Electron e2e', 'node', ['scripts/test-electron.ts']);
if (existsSync(join(root, 'bench', 'run.ts'))) await step('benchmarks (quick)', 'node', ['bench/run.ts', '--quick']);

const Assertion = z.object({ fullName: z.string(), status: z.string(), failureMessages: z.array(z.string()).default([]) });
const VitestReport = z.object({
  numPassedTests: z.number(),
  numFailedTests: z.number(),
  numPendingTests: z.number(),
  numTodoTests: z.number(),
  testResults: z.array(z.object({ name: z.string(), status: z.string(), message: z.string().default(''), assertionResults: z.array(Assertion).default([]) })).default([]),
});
let passed = 0;
let failed = 0;
let skipped = 0;
// The names of what failed go at the very end, where a log cut to its tail still shows them.
const failures: string[] = [];
if (existsSync(report)) {
  const r = VitestReport.safeParse(JSON.parse(readFileSync(report, 'utf8')));
  if (r.success) {
    passed = r.data.numPassedTests;
    failed = r.data.numFailedTests;
    skipped = r.data.numPendingTests + r.data.numTodoTests;
    for (const file of r.data.testResults) {
      const where = file.name.startsWith(root) ? file.name.slice(root.length + 1) : file.name;
      const failedTests = file.assertionResults.filter((a) => a.status === 'failed');
      for (const a of failedTests) failures.push(`${where} › ${a.fullName}: ${firstLine(a.failureMessages[0] ?? '')}`);
      if (file.status === 'failed' && failedTests.length === 0) failures.push(`${where}: ${firstLine(file.message)}`);
    }
  }
}

function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? '';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
for (const s of steps) if (!s.ok && !s.name.startsWith('unit')) failed += 1;
const electronNote = join(root, 'test-results', 'electron-not-run.txt');
if (existsSync(electronNote)) notRun.push(readFileSync(electronNote, 'utf8').trim());

console.log('\nSummary');
for (const s of steps) console.log(`  ${s.ok ? 'ok  ' : 'FAIL'} ${s.name}`);
for (const n of notRun) console.log(`  ${n}`);
for (const f of failures) console.log(`  failed: ${f}`);
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(steps.every((s) => s.ok) && failed === 0 ? 0 : 1);
