// OS notifications for what happens while the user looks elsewhere: a long
// session finished, or a session stopped and needs them (paused for a budget
// or a rejected key, failed, interrupted). And an optional power-save blocker
// so a laptop does not sleep in the middle of a night-long analysis.
import type { App } from 'electron';
import type { Session } from '../../shared/domain.ts';
import { isActive, needsAttention } from '../../shared/session-state.ts';

/** electron-builder's appId (electron-builder.yml): the installer registers the Start-menu shortcut under it. */
export const APP_USER_MODEL_ID = 'app.cairn.desktop';

/**
 * Windows shows a toast only for an app whose AppUserModelID matches the
 * installer's shortcut; without it notifications silently do nothing. Called
 * before the first notification (at start).
 */
export function registerNotificationIdentity(app: Pick<App, 'setAppUserModelId'>, platform: NodeJS.Platform = process.platform): void {
  if (platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);
}

export interface Notice {
  title: string;
  body: string;
  sessionId: string;
}

export interface SessionNotifierOptions {
  notify: (notice: Notice) => void;
  /** No notification while the user is looking at the window. */
  isFocused: () => boolean;
  enabled: () => boolean;
  /** A session counts as long after running this long. */
  longAfterMs?: number;
  now?: () => number;
}

export class SessionNotifier {
  readonly #opts: Required<SessionNotifierOptions>;
  readonly #startedAt = new Map<string, number>();

  constructor(opts: SessionNotifierOptions) {
    this.#opts = { longAfterMs: 2 * 60_000, now: () => Date.now(), ...opts };
  }

  /** Feed every session:changed payload here. */
  observe(session: Pick<Session, 'id' | 'name' | 'status' | 'reason'> & { retryAt?: string | null }): void {
    const { id, status } = session;
    if (isActive(session)) {
      if (!this.#startedAt.has(id)) this.#startedAt.set(id, this.#opts.now());
      return;
    }
    const started = this.#startedAt.get(id);
    this.#startedAt.delete(id);
    if (started === undefined || !this.#opts.enabled() || this.#opts.isFocused()) return;
    const name = session.name || 'A session';
    if (status === 'done' && this.#opts.now() - started >= this.#opts.longAfterMs) {
      this.#opts.notify({ sessionId: id, title: 'Analysis finished', body: `${name} is done.` });
    } else if (needsAttention(session)) {
      const why = session.reason?.message ?? (status === 'interrupted' ? 'It was interrupted and can be resumed.' : `It is ${status}.`);
      this.#opts.notify({ sessionId: id, title: `${name} needs your attention`, body: why.slice(0, 300) });
    }
  }
}

export interface PowerSaveBlockerLike {
  start(type: 'prevent-app-suspension' | 'prevent-display-sleep'): number;
  stop(id: number): boolean;
}

/** Holds one 'prevent-app-suspension' blocker while sessions run and the setting is on. */
export class PowerSaveGuard {
  readonly #blocker: PowerSaveBlockerLike;
  #id: number | null = null;

  constructor(blocker: PowerSaveBlockerLike) {
    this.#blocker = blocker;
  }

  get active(): boolean {
    return this.#id !== null;
  }

  update(runningCount: number, enabled: boolean): void {
    const want = enabled && runningCount > 0;
    if (want && this.#id === null) this.#id = this.#blocker.start('prevent-app-suspension');
    if (!want && this.#id !== null) {
      this.#blocker.stop(this.#id);
      this.#id = null;
    }
  }
}
