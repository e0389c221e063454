import { z } from 'zod';
import { ProviderLimitsSchema } from '../provider-limits.ts';
import {
  IdSchema, MAX_NAME, ProgressSchema, ResumePolicySchema, SessionSchema, SessionStatusSchema,
  TaskTemplateSchema, UsageSchema,
} from '../domain.ts';
import { channel, Empty, Ok } from './define.ts';

const ById = z.strictObject({ id: IdSchema });

/** What the renderer may ask for: provider by profile name, never a key or a raw URL. */
export const NewSessionSchema = z.strictObject({
  name: z.string().max(MAX_NAME).optional(),
  task: z.string().min(1).max(20_000),
  template: TaskTemplateSchema.default('custom'),
  providerName: z.string().min(1).max(MAX_NAME),
  model: z.string().min(1).max(MAX_NAME).optional(),
  documents: z.array(z.string().min(1).max(4_096)).min(1).max(500),
  chunkTokens: z.number().int().min(64).max(200_000).optional(),
  concurrency: z.number().int().min(1).max(32).optional(),
  budgetUsd: z.number().positive().nullable().optional(),
  resumePolicy: ResumePolicySchema.optional(),
  start: z.boolean().default(true),
});
export type NewSession = z.infer<typeof NewSessionSchema>;

export const DocumentPreviewSchema = z.strictObject({
  path: z.string().max(4_096),
  name: z.string().max(1_000),
  ok: z.boolean(),
  error: z.strictObject({ code: z.string().max(64), message: z.string().max(4_000), hint: z.string().max(1_000).optional() }).nullable(),
  pages: z.number().int().nonnegative().nullable(),
  sample: z.string().max(2_000),
  tokens: z.number().int().nonnegative(),
  chunks: z.number().int().nonnegative(),
  warnings: z.array(z.string().max(1_000)).max(20),
});
export type DocumentPreview = z.infer<typeof DocumentPreviewSchema>;

export const EstimateSchema = z.strictObject({
  chunks: z.number().int().nonnegative(),
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative().nullable(),
  seconds: z.number().nonnegative().nullable(),
});
export type Estimate = z.infer<typeof EstimateSchema>;

export const ChunkResultSchema = z.strictObject({
  index: z.number().int().nonnegative(),
  stepKey: z.string().max(512),
  source: z.string().max(500),
  status: z.enum(['pending', 'running', 'done', 'failed', 'interrupted']),
  output: z.string().max(200_000).nullable(),
  error: z.string().max(4_000).nullable(),
});
export type ChunkResult = z.infer<typeof ChunkResultSchema>;

export const CitationSchema = z.strictObject({
  label: z.string().max(100),
  chunkIndex: z.number().int().nonnegative().nullable(),
  valid: z.boolean(),
  /** The phrase quoted just before the citation; absent for reports written before quotes were checked. */
  quote: z.string().max(2_000).nullable().optional(),
  /** Whether `quote` occurs in the chunk the citation resolves to (checked on every run). */
  quoteCheck: z.enum(['verified', 'unverified', 'no-quote']).optional(),
});

export const TurnSchema = z.strictObject({
  role: z.enum(['user', 'assistant']),
  text: z.string().max(200_000),
  checkpointId: IdSchema.nullable(),
});

export const SessionDetailSchema = z.strictObject({
  session: SessionSchema,
  chunks: z.array(ChunkResultSchema).max(100_000),
  report: z.string().max(2_000_000).nullable(),
  citations: z.array(CitationSchema).max(10_000),
  conversation: z.array(TurnSchema).max(10_000),
  simulator: z.boolean(),
});
export type SessionDetail = z.infer<typeof SessionDetailSchema>;

/**
 * What a paused session may change before it resumes: its spending limit (null
 * removes it) and the model it asks. Steps already finished stay; a new model
 * only changes the memo keys of the steps still to run.
 */
export const SessionUpdateSchema = z
  .strictObject({
    id: IdSchema,
    budgetUsd: z.number().positive().nullable().optional(),
    model: z.string().trim().min(1).max(MAX_NAME).optional(),
  })
  .refine((u) => u.budgetUsd !== undefined || u.model !== undefined, { message: 'Name a new budget or a new model.' });
export type SessionUpdate = z.infer<typeof SessionUpdateSchema>;

export const ExportFormatSchema = z.enum(['md', 'json', 'html']);

/** What to do when the file's session is already here: say so (`refuse`), leave it (`skip`), or add a second copy. */
export const OnDuplicateSchema = z.enum(['refuse', 'skip', 'keep-both']);

/**
 * The answer to an import. `duplicate`: the session is already here (imported before, or the
 * one it was exported from) and nothing was imported; ask again with `skip` or `keep-both`.
 */
const ImportAnswerSchema = z.discriminatedUnion('outcome', [
  z.strictObject({ outcome: z.literal('imported'), session: SessionSchema }),
  z.strictObject({ outcome: z.literal('skipped'), session: SessionSchema }),
  z.strictObject({ outcome: z.literal('duplicate'), existing: z.strictObject({ id: IdSchema, name: z.string().max(MAX_NAME) }) }),
]);

export const sessionChannels = {
  'sessions:list': channel(
    z.strictObject({
      query: z.string().max(MAX_NAME).optional(),
      status: SessionStatusSchema.optional(),
      includeArchived: z.boolean().optional(),
      limit: z.number().int().min(1).max(500).default(100),
      cursor: z.string().max(200).optional(),
    }),
    z.strictObject({ items: z.array(SessionSchema), nextCursor: z.string().nullable() }),
    { owner: 'engine' },
  ),
  'sessions:get': channel(ById, SessionSchema, { owner: 'engine' }),
  'sessions:detail': channel(ById, SessionDetailSchema, { owner: 'engine' }),
  'sessions:create': channel(NewSessionSchema, SessionSchema, { owner: 'engine' }),
  'sessions:start': channel(ById, SessionSchema, { owner: 'engine' }),
  'sessions:pause': channel(ById, SessionSchema, { owner: 'engine' }),
  'sessions:resume': channel(ById, SessionSchema, { owner: 'engine' }),
  'sessions:resumeAll': channel(Empty, z.strictObject({ resumed: z.array(IdSchema) }), { owner: 'engine' }),
  'sessions:stop': channel(ById, SessionSchema, { owner: 'engine' }),
  'sessions:rename': channel(z.strictObject({ id: IdSchema, name: z.string().min(1).max(MAX_NAME) }), SessionSchema, { owner: 'engine' }),
  'sessions:update': channel(SessionUpdateSchema, SessionSchema, { owner: 'engine' }),
  /** `archived: false` brings an archived session back into the list. */
  'sessions:archive': channel(z.strictObject({ id: IdSchema, archived: z.boolean().default(true) }), SessionSchema, { owner: 'engine' }),
  /** To the trash: nothing is deleted until `sessions:emptyTrash`. */
  'sessions:delete': channel(ById, Ok, { owner: 'engine' }),
  'sessions:trash': channel(Empty, z.strictObject({ items: z.array(SessionSchema).max(500) }), { owner: 'engine' }),
  'sessions:restore': channel(ById, SessionSchema, { owner: 'engine' }),
  /** Deletes what is in the trash for good; `kept` stay because a fork still descends from them. */
  'sessions:emptyTrash': channel(Empty, z.strictObject({ purged: z.number().int().nonnegative(), kept: z.number().int().nonnegative() }), { owner: 'engine' }),
  'sessions:retryChunk': channel(z.strictObject({ id: IdSchema, index: z.number().int().nonnegative() }), SessionSchema, { owner: 'engine' }),
  'sessions:ask': channel(z.strictObject({ id: IdSchema, question: z.string().min(1).max(20_000) }), z.strictObject({ answer: z.string().max(200_000), checkpointId: IdSchema }), { owner: 'engine', long: true }),
  'sessions:export': channel(
    z.strictObject({ id: IdSchema, format: ExportFormatSchema, save: z.boolean().default(false) }),
    z.strictObject({ content: z.string().max(20_000_000), savedTo: z.string().max(4_096).nullable() }),
    { owner: 'engine', long: true },
  ),
  'sessions:estimate': channel(NewSessionSchema, EstimateSchema, { owner: 'engine', long: true }),
  /** Opens the OS file dialog for a session file (made by Export session); the file chosen becomes readable by `sessions:import`. Null when cancelled. */
  'sessions:pickImport': channel(Empty, z.strictObject({ path: z.string().max(4_096).nullable() }), { owner: 'main' }),
  /** Adds the session in a file the user chose (verified first); a session already here is answered `duplicate` unless `onDuplicate` says what to do. */
  'sessions:import': channel(z.strictObject({ path: z.string().min(1).max(4_096), onDuplicate: OnDuplicateSchema.default('refuse') }), ImportAnswerSchema, { owner: 'engine' }),
  /** Opens the OS file dialog; the files chosen there become readable by the channels below. */
  'documents:pick': channel(Empty, z.strictObject({ paths: z.array(z.string().max(4_096)).max(500) }), { owner: 'main' }),
  /** Preload only (never on window.cairn): the paths of files dropped on the window, from webUtils.getPathForFile. */
  'documents:dropped': channel(
    z.strictObject({ paths: z.array(z.string().min(1).max(4_096)).min(1).max(500) }),
    z.strictObject({ paths: z.array(z.string().max(4_096)).max(500) }),
    { owner: 'main', preloadOnly: true },
  ),
  /** Only files the user chose (picked or dropped) are read; any other path is refused by main. */
  'documents:preview': channel(
    z.strictObject({ paths: z.array(z.string().min(1).max(4_096)).min(1).max(500), chunkTokens: z.number().int().min(64).max(200_000).optional() }),
    z.strictObject({ documents: z.array(DocumentPreviewSchema) }),
    { owner: 'engine', long: true },
  ),
} as const;

export const sessionEvents = {
  'session:changed': SessionSchema,
  'session:progress': z.strictObject({ sessionId: IdSchema, progress: ProgressSchema, usage: UsageSchema }),
  /** Something the analyst should know that does not stop the run (a passage that failed, a document that changed on disk). */
  'session:warning': z.strictObject({ sessionId: IdSchema, message: z.string().min(1).max(2_000), hint: z.string().max(1_000).optional() }),
  /** What the provider's limits hold a running session to, each time that changes. */
  'session:limits': z.strictObject({ sessionId: IdSchema, limits: ProviderLimitsSchema }),
  /** Coalesced stream text: at most one per ~50 ms per stream; `done` marks the flushed end. */
  'stream:text': z.strictObject({
    sessionId: IdSchema,
    stepKey: z.string().max(512),
    attempt: z.number().int().nonnegative(),
    text: z.string().max(1_000_000),
    done: z.boolean(),
  }),
  'engine:restarted': z.strictObject({ interrupted: z.array(IdSchema) }),
} as const;
