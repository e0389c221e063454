// The engine's public surface. The CLI, the desktop shell and the pipeline
// import from here, never from the files behind it.
export { SessionBudget } from './budget.ts';
export { ManualClock, realClock, type Clock } from './clock.ts';
export {
  CONTINUATION_INSTRUCTION, continuationMessages, MAX_OVERLAP_CHARS, MIN_OVERLAP_CHARS, OverlapStitcher, overlapLength, stitch,
} from './continuation.ts';
export {
  budgetError, cancelledError, classifyError, EngineError, isEngineError, noTerminalEventError, parseRetryAfter, redactSecrets, stallError,
  type EngineErrorInit, type ErrorCategory, type ErrorContext,
} from './errors.ts';
export { canonicalJson, memoKeyFor, type Canonical, type MemoInput } from './memo-key.ts';
export { DEFAULT_PRICES, estimateCalls, PriceTable, type CostResult, type DryRunEstimate, type PlannedCall, type PriceEntry } from './pricing.ts';
export {
  createProviderClient, ProviderClient, type ChatCompletionChunk, type ChatMessage, type ChatParams, type ProviderClientOptions, type StreamOptions,
} from './provider/client.ts';
export { testConnection } from './provider/connection-test.ts';
export { describeKeySource, NO_KEY, resolveApiKey, type KeyDeps, type KeyStore, type ResolvedKey } from './provider/keys.ts';
export { backoffDelay, DEFAULT_RETRY, RateLimitGate, RetryPolicy, type RetryDecision, type RetryPolicyOptions } from './retry-policy.ts';
export {
  StepRunner, type AttemptMode, type StepEventMap, type StepOutcome, type StepParameters, type StepRunnerOptions, type StepSpec, type StepStore,
} from './step-runner.ts';
export { StreamBatcher } from './stream-batcher.ts';
export * from './simulator/index.ts';
export { countChatTokens, countTokens, tokenizerFor } from './tokens.ts';
