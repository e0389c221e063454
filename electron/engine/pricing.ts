// Prices per million tokens, editable in Settings (shared/settings.ts
// PriceEntry). The defaults are public list prices with the date they were
// taken, so a stale table is visible; the simulator is free.
import type { PriceEntry } from '../../shared/settings.ts';
import type { Usage } from '../../shared/domain.ts';
import { countChatTokens } from './tokens.ts';
import { SIMULATOR_MODEL } from '../../shared/providers.ts';

export type { PriceEntry };

export const DEFAULT_PRICES: readonly PriceEntry[] = [
  { model: SIMULATOR_MODEL, inputPerMTok: 0, outputPerMTok: 0, setAt: '2026-01-01' },
  { model: 'gpt-4o', inputPerMTok: 2.5, outputPerMTok: 10, setAt: '2025-06-01' },
  { model: 'gpt-4o-mini', inputPerMTok: 0.15, outputPerMTok: 0.6, setAt: '2025-06-01' },
  { model: 'gpt-4.1', inputPerMTok: 2, outputPerMTok: 8, setAt: '2025-06-01' },
  { model: 'gpt-4.1-mini', inputPerMTok: 0.4, outputPerMTok: 1.6, setAt: '2025-06-01' },
  { model: 'gpt-4.1-nano', inputPerMTok: 0.1, outputPerMTok: 0.4, setAt: '2025-06-01' },
  { model: 'deepseek-chat', inputPerMTok: 0.27, outputPerMTok: 1.1, setAt: '2025-06-01' },
  { model: 'deepseek-reasoner', inputPerMTok: 0.55, outputPerMTok: 2.19, setAt: '2025-06-01' },
];

export interface CostResult {
  usd: number;
  /** false when the model has no price: the cost shown is 0 and budgets cannot protect. */
  known: boolean;
  price: PriceEntry | null;
}

export class PriceTable {
  readonly #entries: Map<string, PriceEntry>;

  /** User entries override the defaults for the same model. */
  constructor(entries: readonly PriceEntry[] = [], opts: { withDefaults?: boolean } = {}) {
    this.#entries = new Map();
    if (opts.withDefaults !== false) for (const e of DEFAULT_PRICES) this.#entries.set(e.model.toLowerCase(), e);
    for (const e of entries) this.#entries.set(e.model.toLowerCase(), e);
  }

  entries(): PriceEntry[] {
    return [...this.#entries.values()];
  }

  /** Exact id, then without a router prefix ("openai/gpt-4o"), then the longest known prefix ("gpt-4o-2024-08-06"). */
  lookup(model: string): PriceEntry | null {
    const id = model.toLowerCase();
    const bare = id.includes('/') ? id.slice(id.lastIndexOf('/') + 1) : id;
    for (const candidate of [id, bare]) {
      const hit = this.#entries.get(candidate);
      if (hit) return hit;
    }
    let best: PriceEntry | null = null;
    for (const [key, entry] of this.#entries) {
      if (bare.startsWith(`${key}-`) && (!best || key.length > best.model.length)) best = entry;
    }
    return best;
  }

  cost(model: string, inputTokens: number, outputTokens: number): CostResult {
    const price = this.lookup(model);
    if (!price) return { usd: 0, known: false, price: null };
    const usd = (inputTokens * price.inputPerMTok + outputTokens * price.outputPerMTok) / 1_000_000;
    return { usd, known: true, price };
  }

  usage(model: string, inputTokens: number, outputTokens: number, estimated: boolean): Usage {
    return { inputTokens, outputTokens, costUsd: this.cost(model, inputTokens, outputTokens).usd, estimated };
  }
}

export interface PlannedCall {
  messages: ReadonlyArray<{ role: string; content: string }>;
  /** Expected answer length; the max_tokens of the call when it has one. */
  expectedOutputTokens: number;
}

export interface DryRunEstimate {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  priceKnown: boolean;
  price: PriceEntry | null;
}

/** What a run would cost before anything is sent (`--dry-run`, the budget check). */
export function estimateCalls(model: string, calls: readonly PlannedCall[], prices: PriceTable): DryRunEstimate {
  let inputTokens = 0;
  let outputTokens = 0;
  for (const c of calls) {
    inputTokens += countChatTokens(c.messages, model);
    outputTokens += c.expectedOutputTokens;
  }
  const cost = prices.cost(model, inputTokens, outputTokens);
  return { calls: calls.length, inputTokens, outputTokens, costUsd: cost.usd, priceKnown: cost.known, price: cost.price };
}
