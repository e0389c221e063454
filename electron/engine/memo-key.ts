// The memo key of a model call: sha256 of a canonical JSON of everything that
// decides its answer. Object keys are sorted so the key does not depend on
// property order; undefined fields are dropped like JSON.stringify does.
import { createHash } from 'node:crypto';

export type Canonical = string | number | boolean | null | Canonical[] | { [key: string]: Canonical | undefined };

export function canonicalJson(value: Canonical | undefined): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
}

export interface MemoInput {
  messages: ReadonlyArray<{ role: string; content: string }>;
  task: string;
  model: string;
  parameters: { [key: string]: Canonical | undefined };
}

export function memoKeyFor(input: MemoInput): string {
  const canonical = canonicalJson({
    messages: input.messages.map((m) => ({ role: m.role, content: m.content })),
    task: input.task,
    model: input.model,
    parameters: input.parameters,
  });
  return createHash('sha256').update(canonical).digest('hex');
}
