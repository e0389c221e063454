// What every benchmark hands back: rows for the printed table and numbers for results.json.
export type JsonNumberTree = number | string | boolean | null | JsonNumberTree[] | { [key: string]: JsonNumberTree };

export interface BenchRow {
  benchmark: string;
  metric: string;
  /** Formatted figure, or "not measured: <reason>". */
  value: string;
  target?: string;
}

export interface BenchResult {
  rows: BenchRow[];
  /** Keys merged into results.json (the required keys live here). */
  keys: Record<string, JsonNumberTree>;
  /** Everything else worth keeping: sizes used, raw samples, notes. */
  details: Record<string, JsonNumberTree>;
}

export interface BenchContext {
  quick: boolean;
  /** Seed of every random choice in the run (kill moments), printed so a run can be replayed. */
  seed: number;
  log(message: string): void;
}

export function fmtBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(2)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}

export function fmtMs(n: number): string {
  return n >= 100 ? `${Math.round(n)} ms` : `${n.toFixed(1)} ms`;
}

export function printTable(rows: readonly BenchRow[]): string {
  const head: BenchRow = { benchmark: 'Benchmark', metric: 'Metric', value: 'Value', target: 'Target' };
  const all = [head, ...rows];
  const w = {
    b: Math.max(...all.map((r) => r.benchmark.length)),
    m: Math.max(...all.map((r) => r.metric.length)),
    v: Math.max(...all.map((r) => r.value.length)),
  };
  const line = (r: BenchRow) => `${r.benchmark.padEnd(w.b)} | ${r.metric.padEnd(w.m)} | ${r.value.padEnd(w.v)} | ${r.target ?? ''}`.trimEnd();
  const sep = `${'-'.repeat(w.b)}-+-${'-'.repeat(w.m)}-+-${'-'.repeat(w.v)}-+-------`;
  return [line(head), sep, ...rows.map(line)].join('\n');
}
