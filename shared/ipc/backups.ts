import { z } from 'zod';
import { BackupInfoSchema, IdSchema, MAX_NAME, ProgressSchema, SessionStatusSchema } from '../domain.ts';
import { channel, Empty } from './define.ts';

const BackupId = BackupInfoSchema.shape.id;

/**
 * A session as the backup holds it (not as it is now), and whether it is still
 * here: `here` when a session with its id is in the list now, `trash` when it
 * is in the trash, `gone` when it was deleted since (what restore is for).
 */
export const BackupSessionSchema = z.strictObject({
  id: IdSchema,
  name: z.string().max(MAX_NAME),
  status: SessionStatusSchema,
  progress: ProgressSchema,
  /** The session's last activity when the backup was taken. */
  updatedAt: z.string().max(64),
  /** It was in the trash when the backup was taken. */
  trashed: z.boolean(),
  now: z.enum(['here', 'trash', 'gone']),
});
export type BackupSession = z.infer<typeof BackupSessionSchema>;

export const backupChannels = {
  'backups:list': channel(Empty, z.strictObject({ items: z.array(BackupInfoSchema) }), { owner: 'engine' }),
  'backups:create': channel(Empty, BackupInfoSchema, { owner: 'engine', long: true }),
  'backups:verify': channel(z.strictObject({ id: BackupId }), BackupInfoSchema, { owner: 'engine', long: true }),
  /** What is in a backup, read from the backup file itself (opened read-only), newest activity first. */
  'backups:sessions': channel(z.strictObject({ id: BackupId }), z.strictObject({ items: z.array(BackupSessionSchema).max(10_000) }), { owner: 'engine', long: true }),
  /** `new-session` with `sessionIds` restores those sessions of the backup as new ones; without, every session in it. */
  'backups:restore': channel(
    z.strictObject({ id: BackupId, mode: z.enum(['replace', 'new-session']), sessionIds: z.array(IdSchema).min(1).max(10_000).optional() }),
    z.strictObject({ safetyBackupId: z.string().max(200).nullable(), restoredSessions: z.array(IdSchema) }),
    { owner: 'engine', long: true },
  ),
  'backups:prune': channel(Empty, z.strictObject({ removed: z.array(BackupId) }), { owner: 'engine', long: true }),
} as const;

export const backupEvents = {
  'backup:created': BackupInfoSchema,
} as const;
