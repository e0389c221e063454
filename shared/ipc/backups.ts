import { z } from 'zod';
import { BackupInfoSchema, IdSchema } from '../domain.ts';
import { channel, Empty } from './define.ts';

const BackupId = BackupInfoSchema.shape.id;

export const backupChannels = {
  'backups:list': channel(Empty, z.strictObject({ items: z.array(BackupInfoSchema) })),
  'backups:create': channel(Empty, BackupInfoSchema),
  'backups:verify': channel(z.strictObject({ id: BackupId }), BackupInfoSchema),
  'backups:restore': channel(
    z.strictObject({ id: BackupId, mode: z.enum(['replace', 'new-session']), sessionId: IdSchema.optional() }),
    z.strictObject({ safetyBackupId: z.string().max(200).nullable(), restoredSessions: z.array(IdSchema) }),
  ),
  'backups:prune': channel(Empty, z.strictObject({ removed: z.array(BackupId) })),
} as const;

export const backupEvents = {
  'backup:created': BackupInfoSchema,
} as const;
