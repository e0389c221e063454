// User settings: one schema shared by the desktop shell (electron-store) and
// the renderer. Keys are never part of settings; only whether one is stored.
import { z } from 'zod';
import { MAX_NAME, ProviderProfileSchema, ResumePolicySchema } from './domain.ts';

export const PriceEntrySchema = z.strictObject({
  model: z.string().min(1).max(MAX_NAME),
  inputPerMTok: z.number().nonnegative(),
  outputPerMTok: z.number().nonnegative(),
  /** ISO date the price was set, so a stale table is visible. */
  setAt: z.string().max(40),
});
export type PriceEntry = z.infer<typeof PriceEntrySchema>;

export const ContextWindowSchema = z.strictObject({
  model: z.string().min(1).max(MAX_NAME),
  tokens: z.number().int().positive(),
});

export const RetryPolicySchema = z.strictObject({
  maxAttempts: z.number().int().min(1).max(100).default(8),
  baseMs: z.number().int().min(10).max(600_000).default(1_000),
  capMs: z.number().int().min(100).max(3_600_000).default(60_000),
  stallMs: z.number().int().min(1_000).max(3_600_000).default(60_000),
});

/** The languages the interface speaks. */
export const UI_LANGUAGES = ['en', 'vi', 'en-XA'] as const;
export type UiLanguage = (typeof UI_LANGUAGES)[number];
export const LanguageSettingSchema = z.enum(['system', ...UI_LANGUAGES]);
export type LanguageSetting = z.infer<typeof LanguageSettingSchema>;

export const SettingsSchema = z.strictObject({
  schemaVersion: z.literal(1).default(1),
  theme: z.enum(['system', 'light', 'dark']).default('system'),
  /** The interface's language; 'system' follows the OS (en-XA is the pseudo-locale that shows untranslated text). */
  language: LanguageSettingSchema.default('system'),
  /** Shared with the CLI; null means the per-user default. */
  dataDir: z.string().max(4_096).nullable().default(null),
  providers: z.array(ProviderProfileSchema).max(100).default([]),
  defaultProvider: z.string().max(MAX_NAME).nullable().default(null),
  prices: z.array(PriceEntrySchema).max(1_000).default([]),
  contextWindows: z.array(ContextWindowSchema).max(1_000).default([]),
  checkpointIntervalMs: z.number().int().min(20).max(10_000).default(250),
  retry: RetryPolicySchema.default({ maxAttempts: 8, baseMs: 1_000, capMs: 60_000, stallMs: 60_000 }),
  resumePolicy: ResumePolicySchema.default('restart'),
  autoResume: z.boolean().default(false),
  backupRetention: z.strictObject({ keepLast: z.number().int().min(1).max(1_000), dailyDays: z.number().int().min(0).max(3_650) }).default({ keepLast: 10, dailyDays: 7 }),
  notifications: z.boolean().default(true),
  preventSleep: z.boolean().default(false),
});
export type Settings = z.infer<typeof SettingsSchema>;

/** A partial update; nested objects are replaced whole. */
export const SettingsPatchSchema = SettingsSchema.omit({ schemaVersion: true }).partial().strict();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;
