import { z } from 'zod';
import { MAX_NAME, ProviderProfileSchema } from '../domain.ts';
import { channel, Empty } from './define.ts';

export const ProviderTestResultSchema = z.strictObject({
  ok: z.boolean(),
  models: z.array(z.string().max(MAX_NAME)).max(5_000),
  message: z.string().max(4_000),
  hint: z.string().max(1_000).optional(),
});
export type ProviderTestResult = z.infer<typeof ProviderTestResultSchema>;

export const providerChannels = {
  'providers:list': channel(Empty, z.strictObject({ items: z.array(ProviderProfileSchema) }), { owner: 'main' }),
  'providers:save': channel(z.strictObject({ profile: ProviderProfileSchema }), z.strictObject({ items: z.array(ProviderProfileSchema) }), { owner: 'main' }),
  'providers:delete': channel(z.strictObject({ name: z.string().min(1).max(MAX_NAME) }), z.strictObject({ items: z.array(ProviderProfileSchema) }), { owner: 'main' }),
  'providers:test': channel(z.strictObject({ name: z.string().min(1).max(MAX_NAME) }), ProviderTestResultSchema, { owner: 'engine', long: true }),
} as const;
