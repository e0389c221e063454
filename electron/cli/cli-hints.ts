// The CLI's words for what to do next. The engine and the store say what
// happened (a code, a message, their own hint for the desktop app); the CLI
// picks its hint by code, so it can name a command instead of a panel. A code
// without an entry keeps the hint it came with.
import type { Reason, Session } from '../../shared/domain.ts';

/** What the CLI knows beside the reason: the session it ran and where its key comes from. */
export interface HintContext {
  sessionId?: string;
  /** The environment variable the session's key is read from, when it is one. */
  keyVariable?: string;
}

type HintFor = (c: { id: string; key: string }) => string;

const HINTS: Readonly<Record<string, HintFor>> = {
  corrupt: () => 'Check the database with: cairn verify; then restore the newest verified backup: cairn backup list, cairn backup restore <id> --mode replace',
  invalid_id: () => 'Session and checkpoint ids are 26-character codes such as 01JABCDEFGHJKMNPQRSTVWXYZ0 (see cairn sessions, cairn timeline <session>); backup ids are listed by cairn backup list.',
  not_found: () => 'See what exists with: cairn sessions, cairn timeline <session> or cairn backup list',
  newer_schema: () => 'Use the newer Cairn, or another data directory with --data-dir <dir>.',
  data_dir_unusable: () => 'Point --data-dir (or CAIRN_DATA_DIR) at a folder you can write to.',
  read_only: () => 'Make the folder writable, or use another one with --data-dir <dir> (or CAIRN_DATA_DIR).',
  permission_denied: () => 'Give your user read and write access to the folder, or use another one with --data-dir <dir>.',
  io_error: () => 'Check the disk, then check the database with: cairn verify',
  busy: () => 'Another Cairn window or command is writing; wait a moment and run the command again.',
  unauthorized: ({ id, key }) => `Replace the key in ${key}, then: cairn resume ${id}`,
  missing_key: ({ id, key }) => `Export the key in ${key}, then: cairn resume ${id}`,
  budget_exceeded: ({ id }) => `Resume with a higher budget: cairn resume ${id} --budget-usd <amount>`,
  context_length_exceeded: () => 'Use smaller chunks (cairn run … --chunk-tokens <n>) or a model with a larger context window.',
  attempts_exhausted: ({ id }) => `Retry just those passages with: cairn resume ${id} (nothing already analysed is requested again).`,
  unreachable: ({ id }) => `Start the server or fix the base URL (--base-url), then: cairn resume ${id}`,
  stopped: ({ id }) => `Continue where it stopped with: cairn resume ${id}`,
};

export function hintContext(session: Session): HintContext {
  const source = session.config.provider.keySource;
  return { sessionId: session.id, ...(source.kind === 'env' ? { keyVariable: source.variable } : {}) };
}

/** Engine reasons carry `category:code`; store errors a bare code. */
function bareCode(code: string): string {
  const i = code.lastIndexOf(':');
  return i >= 0 ? code.slice(i + 1) : code;
}

/** The hint the CLI prints for a reason: its own for codes it knows, else the one the reason brought. */
export function cliHint(reason: Pick<Reason, 'code' | 'hint'>, context: HintContext = {}): string | undefined {
  const own = HINTS[bareCode(reason.code)];
  const key = context.keyVariable ? `environment variable ${context.keyVariable}` : 'the environment variable given by --api-key-env (see cairn providers list)';
  return own ? own({ id: context.sessionId || '<session>', key }) : reason.hint || undefined;
}
