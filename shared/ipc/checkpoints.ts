import { z } from 'zod';
import { CheckpointSchema, IdSchema, MAX_NAME, SessionSchema, TimelineRowSchema } from '../domain.ts';
import { channel } from './define.ts';

export const VerifyReportSchema = z.strictObject({
  ok: z.boolean(),
  checkedCheckpoints: z.number().int().nonnegative(),
  checkedBlobs: z.number().int().nonnegative(),
  damaged: z.array(z.strictObject({ checkpointId: z.string().max(64), problem: z.string().max(1_000) })).max(100_000),
  integrityCheck: z.string().max(10_000),
});
export type VerifyReport = z.infer<typeof VerifyReportSchema>;

export const checkpointChannels = {
  'checkpoints:timeline': channel(
    z.strictObject({ sessionId: IdSchema, limit: z.number().int().min(1).max(5_000).default(500), cursor: z.string().max(200).optional() }),
    z.strictObject({ items: z.array(TimelineRowSchema), nextCursor: z.string().nullable(), total: z.number().int().nonnegative() }),
    { owner: 'engine' },
  ),
  'checkpoints:inspect': channel(
    z.strictObject({ checkpointId: IdSchema }),
    z.strictObject({
      checkpoint: CheckpointSchema,
      output: z.string().max(2_000_000).nullable(),
      /** Checkpoints on the head's path that a rollback to this one would hide. */
      hiddenByRollback: z.number().int().nonnegative(),
      diffAgainstHead: z.array(z.strictObject({ op: z.enum(['same', 'add', 'remove']), text: z.string().max(200_000) })).max(10_000),
    }),
    { owner: 'engine' },
  ),
  'checkpoints:rollback': channel(
    z.strictObject({ sessionId: IdSchema, checkpointId: IdSchema }),
    z.strictObject({ session: SessionSchema, hidden: z.number().int().nonnegative(), backupId: z.string().max(200).nullable() }),
    { owner: 'engine', long: true },
  ),
  'checkpoints:undoRollback': channel(z.strictObject({ sessionId: IdSchema }), SessionSchema, { owner: 'engine' }),
  'checkpoints:fork': channel(
    z.strictObject({ sessionId: IdSchema, checkpointId: IdSchema, task: z.string().min(1).max(20_000).optional(), name: z.string().max(MAX_NAME).optional() }),
    SessionSchema,
    { owner: 'engine' },
  ),
  'checkpoints:verify': channel(z.strictObject({ sessionId: IdSchema.optional() }), VerifyReportSchema, { owner: 'engine', long: true }),
} as const;

export const checkpointEvents = {
  'checkpoint:added': z.strictObject({ sessionId: IdSchema, checkpoint: CheckpointSchema }),
} as const;
