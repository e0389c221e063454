// The app and the CLI take a run's policy from the settings through one function.
import { describe, expect, test } from 'vitest';
import { depsFromSettings } from '../../../electron/engine/pipeline/settings-deps.ts';
import { SettingsSchema } from '../../../shared/settings.ts';

describe('a run’s policy from the settings', () => {
  test('every figure comes from the settings the user saved', () => {
    const settings = SettingsSchema.parse({
      checkpointIntervalMs: 400,
      retry: { baseMs: 250, capMs: 9_000, stallMs: 45_000 },
      prices: [{ model: 'm-1', inputPerMTok: 1, outputPerMTok: 2, setAt: '2026-11-01' }],
      contextWindows: [{ model: 'm-1', tokens: 32_000 }],
    });
    const deps = depsFromSettings(settings);
    expect(deps).toMatchObject({ flushMs: 400, stallMs: 45_000, retry: { baseMs: 250, capMs: 9_000 }, contextWindows: [{ model: 'm-1', tokens: 32_000 }] });
    expect(deps.prices.cost('m-1', 1_000_000, 1_000_000).usd).toBe(3);
  });
});
