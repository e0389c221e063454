// Domain types shared by main, engine, store, CLI and renderer.
// Runtime-free: no Node, no DOM. Every type is inferred from a zod schema so the
// same definition validates data at each trust boundary.
import { z } from 'zod';

/** Strings that cross a boundary are bounded so a hostile payload cannot balloon memory. */
export const MAX_TEXT = 200_000;
export const MAX_NAME = 200;

/** Time-ordered ids (ULID, Crockford base32, 26 chars). Never used unvalidated. */
export const IdSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'not a Cairn id');
export type Id = z.infer<typeof IdSchema>;

/** The statuses; what each allows is decided in `shared/session-state.ts`, nowhere else. */
export const SessionStatusSchema = z.enum([
  'created', // the draft: made, never run
  'running',
  'waiting', // a timed retry (rate limit / transient fault): always has retryAt
  'paused', // budget, disk, auth, user, rolled back: see reason; resumable
  'interrupted', // the process running it stopped without finishing; resumable
  'done',
  'failed',
  'stopped', // ended by the user for good: not resumable; fork and export still work
]);
export type SessionStatus = z.infer<typeof SessionStatusSchema>;

/** What a reason's message is about, as data, so the renderer can say it in the user's language. */
export const ReasonParamsSchema = z.record(z.string().max(64), z.union([z.string().max(1_000), z.number()]));
export type ReasonParams = z.infer<typeof ReasonParamsSchema>;

/** An error or pause reason a person can act on. Crosses IPC as plain data. */
export const ReasonSchema = z.strictObject({
  code: z.string().max(64),
  message: z.string().max(4_000),
  hint: z.string().max(1_000).optional(),
  params: ReasonParamsSchema.optional(),
});
export type Reason = z.infer<typeof ReasonSchema>;

export const UsageSchema = z.strictObject({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative(),
  /** true when tokens were counted locally because the provider sent no usage. */
  estimated: z.boolean().default(false),
});
export type Usage = z.infer<typeof UsageSchema>;
export const ZERO_USAGE: Usage = { inputTokens: 0, outputTokens: 0, costUsd: 0, estimated: false };

export const ProgressSchema = z.strictObject({
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative().default(0),
  etaSeconds: z.number().nonnegative().nullable().default(null),
});
export type Progress = z.infer<typeof ProgressSchema>;

export const ResumePolicySchema = z.enum(['restart', 'continue']);
export type ResumePolicy = z.infer<typeof ResumePolicySchema>;

export const TaskTemplateSchema = z.enum(['summary', 'obligations', 'risks', 'key-figures', 'question', 'custom']);
export type TaskTemplate = z.infer<typeof TaskTemplateSchema>;

/** Where the API key comes from. The key itself never lives in a session. */
export const KeySourceSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({ kind: z.literal('env'), variable: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/) }),
  z.strictObject({ kind: z.literal('keystore'), profile: z.string().min(1).max(MAX_NAME) }),
]);
export type KeySource = z.infer<typeof KeySourceSchema>;

export const ProviderProfileSchema = z.strictObject({
  name: z.string().min(1).max(MAX_NAME),
  baseUrl: z.url().max(2_000),
  model: z.string().min(1).max(MAX_NAME),
  /** Plain extra headers. Credentials never sit here: see secretHeaders. */
  headers: z.record(z.string().max(200), z.string().max(2_000)).default({}),
  /** Names of extra headers whose values are kept in the key store, bound to this profile's origin (Azure's api-key, gateways' x-api-key). */
  secretHeaders: z.array(z.string().min(1).max(200)).max(50).optional(),
  keySource: KeySourceSchema,
  /** The built-in simulator is always labelled as such. */
  simulator: z.boolean().default(false),
  contextTokens: z.number().int().positive().optional(),
});
export type ProviderProfile = z.infer<typeof ProviderProfileSchema>;

export const SessionConfigSchema = z.strictObject({
  task: z.string().min(1).max(20_000),
  template: TaskTemplateSchema.default('custom'),
  provider: ProviderProfileSchema,
  documents: z.array(z.string().max(4_096)).max(500).default([]),
  chunkTokens: z.number().int().min(64).max(200_000).default(1_500),
  overlapTokens: z.number().int().min(0).max(20_000).default(100),
  concurrency: z.number().int().min(1).max(32).default(4),
  budgetUsd: z.number().positive().nullable().default(null),
  resumePolicy: ResumePolicySchema.default('restart'),
  temperature: z.number().min(0).max(2).default(0),
  maxAttempts: z.number().int().min(1).max(100).default(8),
});
export type SessionConfig = z.infer<typeof SessionConfigSchema>;

export const SessionSchema = z.strictObject({
  id: IdSchema,
  name: z.string().max(MAX_NAME),
  status: SessionStatusSchema,
  reason: ReasonSchema.nullable(),
  /** ISO time of the next retry while status is 'waiting'. */
  retryAt: z.string().nullable(),
  progress: ProgressSchema,
  usage: UsageSchema,
  config: SessionConfigSchema,
  headId: IdSchema.nullable(),
  forkOf: z.strictObject({ sessionId: IdSchema, checkpointId: IdSchema }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  archived: z.boolean(),
  trashed: z.boolean(),
});
export type Session = z.infer<typeof SessionSchema>;

export const CheckpointKindSchema = z.enum([
  'session', // root: the session's config
  'document', // a document ingested
  'chunks', // chunking done
  'map', // one chunk analysed
  'reduce', // findings combined
  'report', // final report
  'question', // follow-up asked
  'answer', // follow-up answered
  'interrupted', // a partial kept when a step was interrupted (restart policy)
  'context', // follow-up context truncated
  'fork', // root of a forked session
  'note',
]);
export type CheckpointKind = z.infer<typeof CheckpointKindSchema>;

/** JSON that is safe to store and send: bounded depth is enforced by size limits at the boundary. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export const JsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.string().max(MAX_TEXT),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(JsonValueSchema).max(10_000),
    z.record(z.string().max(200), JsonValueSchema),
  ]),
);

export const CheckpointSchema = z.strictObject({
  id: IdSchema,
  sessionId: IdSchema,
  parentId: IdSchema.nullable(),
  kind: CheckpointKindSchema,
  stepKey: z.string().max(512).nullable(),
  state: JsonValueSchema,
  /** Hash of the output blob, when the step produced text. */
  outputHash: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
  usage: UsageSchema,
  createdAt: z.string(),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type Checkpoint = z.infer<typeof CheckpointSchema>;

/** A row of the timeline: the checkpoint plus whether it is on the head's path and its integrity. */
export const TimelineRowSchema = z.strictObject({
  checkpoint: CheckpointSchema,
  onHeadPath: z.boolean(),
  isHead: z.boolean(),
  depth: z.number().int().nonnegative(),
  integrity: z.enum(['ok', 'damaged', 'unchecked']),
});
export type TimelineRow = z.infer<typeof TimelineRowSchema>;

export const BackupInfoSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9._-]{1,200}$/),
  createdAt: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  verified: z.enum(['ok', 'failed', 'unverified']),
  reason: z.string().max(200),
  appVersion: z.string().max(50),
  schemaVersion: z.number().int().nonnegative(),
});
export type BackupInfo = z.infer<typeof BackupInfoSchema>;
