// What a run or a follow-up question takes from the user's settings: prices,
// the retry policy, how often a streaming answer is checkpointed, when a silent
// stream counts as stalled, and the models' context windows. Built here once,
// so the desktop service and the CLI run the engine with the same policy.
import type { Settings } from '../../../shared/settings.ts';
import { PriceTable } from '../pricing.ts';
import type { AnalysisDeps } from './analysis.ts';

export type SettingsDeps = Required<Pick<AnalysisDeps, 'prices' | 'retry' | 'flushMs' | 'stallMs' | 'contextWindows'>>;

export function depsFromSettings(settings: Settings): SettingsDeps {
  return {
    prices: new PriceTable(settings.prices),
    retry: { baseMs: settings.retry.baseMs, capMs: settings.retry.capMs },
    flushMs: settings.checkpointIntervalMs,
    stallMs: settings.retry.stallMs,
    contextWindows: settings.contextWindows,
  };
}
