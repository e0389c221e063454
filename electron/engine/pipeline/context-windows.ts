// How many tokens a model can read, for reduce grouping and follow-up context.
// Editable in Settings; these defaults are conservative published figures.
import { SIMULATOR_MODEL } from '../../../shared/providers.ts';

export const DEFAULT_CONTEXT_WINDOWS: ReadonlyArray<{ model: string; tokens: number }> = [
  { model: SIMULATOR_MODEL, tokens: 16_384 },
  { model: 'gpt-4o', tokens: 128_000 },
  { model: 'gpt-4o-mini', tokens: 128_000 },
  { model: 'gpt-4.1', tokens: 1_000_000 },
  { model: 'gpt-4.1-mini', tokens: 1_000_000 },
  { model: 'gpt-4', tokens: 8_192 },
  { model: 'gpt-3.5-turbo', tokens: 16_385 },
  { model: 'deepseek-chat', tokens: 64_000 },
  { model: 'deepseek-reasoner', tokens: 64_000 },
  { model: 'llama3', tokens: 8_192 },
];

export const FALLBACK_CONTEXT_TOKENS = 32_768;

/** Exact id, then without a router prefix, then the longest known prefix; user entries win. */
export function contextWindowFor(model: string, user: ReadonlyArray<{ model: string; tokens: number }> = [], profileTokens?: number): number {
  if (profileTokens) return profileTokens;
  const id = model.toLowerCase();
  const bare = id.includes('/') ? id.slice(id.lastIndexOf('/') + 1) : id;
  for (const table of [user, DEFAULT_CONTEXT_WINDOWS]) {
    let best: { model: string; tokens: number } | null = null;
    for (const e of table) {
      const key = e.model.toLowerCase();
      if (key === id || key === bare) return e.tokens;
      if ((bare.startsWith(`${key}-`) || bare.startsWith(`${key}:`)) && (!best || key.length > best.model.length)) best = e;
    }
    if (best) return best.tokens;
  }
  return FALLBACK_CONTEXT_TOKENS;
}
