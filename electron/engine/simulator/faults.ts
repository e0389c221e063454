// Faults the simulator injects, and the queue that decides which request gets
// which. Rules are plain data (so they can be set over the admin endpoint)
// plus an optional predicate for programmatic use.
import { z } from 'zod';

export const FaultSchema = z.discriminatedUnion('kind', [
  /** Destroy the socket after N content chunks (connection reset mid-stream). */
  z.strictObject({ kind: z.literal('drop'), afterChunks: z.number().int().nonnegative() }),
  /** 429. Retry-After in seconds, as an HTTP date, or retry-after-ms; none = let the client back off. */
  z.strictObject({
    kind: z.literal('rate_limit'),
    retryAfterSeconds: z.number().nonnegative().optional(),
    retryAfterMs: z.number().nonnegative().optional(),
    retryAfterDate: z.string().max(100).optional(),
  }),
  z.strictObject({ kind: z.literal('server_error'), status: z.number().int().min(500).max(599).optional() }),
  z.strictObject({ kind: z.literal('unauthorized') }),
  z.strictObject({ kind: z.literal('forbidden') }),
  z.strictObject({ kind: z.literal('model_not_found') }),
  z.strictObject({ kind: z.literal('context_length') }),
  /** Rejects `stream_options` the way some OpenAI-compatible servers do. */
  z.strictObject({ kind: z.literal('reject_stream_options') }),
  /** Stop sending after N chunks without closing the connection. */
  z.strictObject({ kind: z.literal('stall'), afterChunks: z.number().int().nonnegative() }),
  /** Close the response cleanly after N chunks, without finish_reason or [DONE]. */
  z.strictObject({ kind: z.literal('no_done'), afterChunks: z.number().int().nonnegative() }),
  /** Send a chunk that is not JSON after N chunks, then close. */
  z.strictObject({ kind: z.literal('malformed'), afterChunks: z.number().int().nonnegative() }),
  /** End with [DONE] but without a finish_reason chunk, as some servers do. */
  z.strictObject({ kind: z.literal('no_finish_reason') }),
  /** Answer normally but never send usage, as providers without include_usage do. */
  z.strictObject({ kind: z.literal('no_usage') }),
]);
export type Fault = z.infer<typeof FaultSchema>;
export type FaultKind = Fault['kind'];

/** What a rule can look at when deciding whether a request gets its fault. */
export interface RequestInfo {
  seq: number;
  model: string;
  stream: boolean;
  requestKey: string;
  messagesHash: string;
  /** All message contents joined, for `contains` matching. */
  text: string;
}

/** Serialisable match: every given field must match. */
export const FaultMatchSchema = z.strictObject({
  model: z.string().max(200).optional(),
  requestKey: z.string().max(200).optional(),
  contains: z.string().max(2_000).optional(),
  stream: z.boolean().optional(),
});
export type FaultMatch = z.infer<typeof FaultMatchSchema>;

export const FaultRuleSpecSchema = z.strictObject({
  fault: FaultSchema,
  /** How many matching requests get it; omitted = 1; null = every matching request until cleared. */
  times: z.number().int().positive().nullable().optional(),
  match: FaultMatchSchema.optional(),
});
export type FaultRuleSpec = z.infer<typeof FaultRuleSpecSchema>;

export interface FaultRule extends FaultRuleSpec {
  predicate?: (req: RequestInfo) => boolean;
}

interface ActiveRule {
  fault: Fault;
  remaining: number; // Infinity for unlimited
  match: FaultMatch | undefined;
  predicate: ((req: RequestInfo) => boolean) | undefined;
}

function matches(rule: ActiveRule, req: RequestInfo): boolean {
  const m = rule.match;
  if (m?.model !== undefined && m.model !== req.model) return false;
  if (m?.requestKey !== undefined && m.requestKey !== req.requestKey) return false;
  if (m?.stream !== undefined && m.stream !== req.stream) return false;
  if (m?.contains !== undefined && !req.text.includes(m.contains)) return false;
  return rule.predicate ? rule.predicate(req) : true;
}

/** First matching rule wins and is consumed once per request it applies to. */
export class FaultQueue {
  #rules: ActiveRule[] = [];

  set(rules: readonly FaultRule[]): void {
    this.#rules = [];
    for (const r of rules) this.add(r);
  }

  add(rule: FaultRule): void {
    const fault = FaultSchema.parse(rule.fault);
    const remaining = rule.times === null ? Number.POSITIVE_INFINITY : (rule.times ?? 1);
    this.#rules.push({ fault, remaining, match: rule.match, predicate: rule.predicate });
  }

  /** The next request gets this fault. */
  next(fault: Fault): void {
    this.add({ fault, times: 1 });
  }

  /** The next `count` requests get this fault. */
  forNext(count: number, fault: Fault): void {
    this.add({ fault, times: count });
  }

  /** Requests the predicate accepts get this fault (`times` of them; default every one). */
  when(predicate: (req: RequestInfo) => boolean, fault: Fault, times: number | null = null): void {
    this.add({ fault, times, predicate });
  }

  clear(): void {
    this.#rules = [];
  }

  pending(): Array<{ fault: Fault; remaining: number | null }> {
    return this.#rules.map((r) => ({ fault: r.fault, remaining: Number.isFinite(r.remaining) ? r.remaining : null }));
  }

  take(req: RequestInfo): Fault | null {
    const i = this.#rules.findIndex((r) => r.remaining > 0 && matches(r, req));
    if (i < 0) return null;
    const rule = this.#rules[i] as ActiveRule;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.#rules.splice(i, 1);
    return rule.fault;
  }
}
