// Valid domain objects for renderer tests, built through the shared schemas so
// a fixture can never drift from the contract.
import {
  CheckpointSchema, SessionConfigSchema, SessionSchema,
  type BackupInfo, type Checkpoint, type CheckpointKind, type ProviderProfile, type Session, type TimelineRow,
} from '../../shared/domain.ts';
import type { SessionDetail } from '../../shared/ipc/sessions.ts';
import { SettingsSchema, type Settings } from '../../shared/settings.ts';

let counter = 0;
/** A valid ULID-shaped id (Crockford base32 digits only). */
export function makeId(n = ++counter): string {
  return '01HX' + String(n).padStart(22, '0');
}

export const SIMULATOR: ProviderProfile = {
  name: 'Simulator', baseUrl: 'http://127.0.0.1:4010/v1', model: 'sim-1', headers: {}, keySource: { kind: 'none' }, simulator: true,
};
export const OPENAI: ProviderProfile = {
  name: 'OpenAI', baseUrl: 'https://api.openai.com/v1', model: 'gpt-4.1-mini', headers: {}, keySource: { kind: 'keystore', profile: 'OpenAI' }, simulator: false,
};

export function makeSession(over: Partial<Session> & { task?: string; provider?: ProviderProfile } = {}): Session {
  const { task = 'Summarise the contract.', provider = SIMULATOR, ...rest } = over;
  const now = new Date().toISOString();
  return SessionSchema.parse({
    id: makeId(), name: 'Contract review', status: 'running', reason: null, retryAt: null,
    progress: { done: 3, total: 10, failed: 0, etaSeconds: 42 },
    usage: { inputTokens: 12_000, outputTokens: 3_000, costUsd: 0.0421, estimated: false },
    config: SessionConfigSchema.parse({ task, provider }),
    headId: null, forkOf: null, createdAt: now, updatedAt: now, archived: false, trashed: false,
    ...rest,
  });
}

export function makeDetail(session: Session, over: Partial<SessionDetail> = {}): SessionDetail {
  return {
    session,
    chunks: [
      { index: 0, stepKey: 'map:0', source: 'contract.pdf p. 1–3', status: 'done', output: 'Chunk one findings.', error: null },
      { index: 1, stepKey: 'map:1', source: 'contract.pdf p. 12', status: 'done', output: 'Payment due in **30 days**.', error: null },
      { index: 2, stepKey: 'map:2', source: 'contract.pdf p. 14', status: 'failed', output: null, error: 'The provider closed the stream before it finished.' },
    ],
    report: null,
    citations: [],
    conversation: [],
    simulator: session.config.provider.simulator,
    ...over,
  };
}

const HASH = 'a'.repeat(64);

export function makeCheckpoint(sessionId: string, kind: CheckpointKind, index: number, parentId: string | null): Checkpoint {
  return CheckpointSchema.parse({
    id: makeId(), sessionId, parentId, kind, stepKey: kind === 'map' ? `map:${index}` : null,
    state: { index }, outputHash: null,
    usage: { inputTokens: 100 * index, outputTokens: 10 * index, costUsd: 0.001 * index, estimated: false },
    createdAt: new Date(Date.UTC(2026, 0, 1, 9, 0, index % 60)).toISOString(), hash: HASH,
  });
}

/** A linear chain of `count` checkpoints; the last is the head. */
export function makeTimeline(sessionId: string, count: number): TimelineRow[] {
  const rows: TimelineRow[] = [];
  let parent: string | null = null;
  for (let i = 0; i < count; i++) {
    const kind: CheckpointKind = i === 0 ? 'session' : i === count - 1 ? 'report' : 'map';
    const cp = makeCheckpoint(sessionId, kind, i, parent);
    parent = cp.id;
    rows.push({ checkpoint: cp, onHeadPath: true, isHead: i === count - 1, depth: 0, integrity: 'ok' });
  }
  return rows;
}

export function makeBackup(over: Partial<BackupInfo> = {}): BackupInfo {
  return {
    id: `backup-${++counter}.sqlite`, createdAt: new Date(Date.UTC(2026, 0, 2, 10, 0, counter % 60)).toISOString(),
    sizeBytes: 2_400_000, verified: 'ok', reason: 'manual', appVersion: '0.1.0', schemaVersion: 1, ...over,
  };
}

export function makeSettings(over: Partial<Settings> = {}): Settings {
  return SettingsSchema.parse({ providers: [SIMULATOR, OPENAI], defaultProvider: 'Simulator', ...over });
}
