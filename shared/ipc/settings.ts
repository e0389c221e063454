import { z } from 'zod';
import { MAX_NAME } from '../domain.ts';
import { SettingsPatchSchema, SettingsSchema } from '../settings.ts';
import { channel, Empty } from './define.ts';

export const KeyStatusSchema = z.strictObject({
  /** Profile names that have a stored key; the keys themselves never leave main. */
  stored: z.array(z.string().max(MAX_NAME)),
  /** false when the OS keyring is unavailable (e.g. Linux basic_text): use an environment variable instead. */
  encryptionAvailable: z.boolean(),
  backend: z.string().max(50),
});

export const AppInfoSchema = z.strictObject({
  version: z.string().max(50),
  dataDir: z.string().max(4_096),
  platform: z.string().max(50),
  settingsWarning: z.string().max(4_000).nullable(),
  /** The OS's preferred languages (Electron's app.getPreferredSystemLanguages()), most preferred first. */
  systemLanguages: z.array(z.string().max(35)).max(20).optional(),
});

export const settingsChannels = {
  'settings:get': channel(Empty, SettingsSchema, { owner: 'main' }),
  'settings:set': channel(SettingsPatchSchema, SettingsSchema, { owner: 'main' }),
  'keys:status': channel(Empty, KeyStatusSchema, { owner: 'main' }),
  'keys:set': channel(z.strictObject({ profile: z.string().min(1).max(MAX_NAME), key: z.string().min(1).max(4_096) }), KeyStatusSchema, { owner: 'main' }),
  'keys:delete': channel(z.strictObject({ profile: z.string().min(1).max(MAX_NAME) }), KeyStatusSchema, { owner: 'main' }),
  'app:info': channel(Empty, AppInfoSchema, { owner: 'main' }),
  /** Opens an http(s) link in the OS browser after main has asked the user in a native dialog showing the whole URL. */
  'app:openExternal': channel(z.strictObject({ url: z.url().max(4_096) }), z.strictObject({ opened: z.boolean() }), { owner: 'main' }),
  /** Versions, settings without secrets, the last log lines and verify's answer, for a bug report; redacted in main. */
  'app:diagnostics': channel(Empty, z.strictObject({ text: z.string().max(2_000_000) }), { owner: 'main' }),
  /** Writes text to the OS clipboard through main (the page is denied clipboard permissions). */
  'app:copyText': channel(z.strictObject({ text: z.string().max(20_000_000) }), z.strictObject({ copied: z.literal(true) }), { owner: 'main' }),
} as const;

export const settingsEvents = {
  'settings:changed': SettingsSchema,
} as const;
