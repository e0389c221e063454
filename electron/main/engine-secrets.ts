// What the engine is told about keys. The engine starts without them: the OS
// keychain may show a prompt (macOS, some Linux keyrings) and nothing should
// wait for the user's answer unless it needs a key. The first provider that
// needs one asks (`keys-needed`), main decrypts, and configures the engine
// again; meanwhile the engine reports "waiting for the system keychain".
import type { DecryptedSecrets, KeyStore } from './key-store.ts';
import type { KeychainState, ServiceConfig } from '../service/types.ts';
import type { Settings } from '../../shared/settings.ts';

export interface EngineSecretsOptions {
  keys: Pick<KeyStore, 'decryptAll' | 'isEmpty'>;
  /** The decrypted keys changed (or the keychain answered): send a new configuration. */
  onChange: () => void;
  /** Every decrypted value, so that the log can redact it. */
  onSecrets?: (values: string[]) => void;
  log?: (line: string) => void;
}

export class EngineSecrets {
  readonly #opts: EngineSecretsOptions;
  #state: KeychainState = 'locked';
  #secrets: DecryptedSecrets = { keys: {}, headers: {}, failed: [] };
  #decrypting: Promise<void> | null = null;
  /** Keys changed while decrypting: decrypt once more when that is done. */
  #stale = false;

  constructor(opts: EngineSecretsOptions) {
    this.#opts = opts;
    // Nothing stored, nothing to ask the keychain for.
    if (opts.keys.isEmpty()) this.#state = 'ready';
  }

  get state(): KeychainState {
    return this.#state;
  }

  /** The engine's configuration now: never waits for the keychain. */
  config(settings: Settings): ServiceConfig {
    return { settings, keys: { ...this.#secrets.keys }, headers: { ...this.#secrets.headers }, keychain: this.#state };
  }

  /** Decrypts the stored keys (once at a time); the engine is configured again when they are in. */
  unlock(): void {
    if (this.#decrypting) return;
    this.#stale = false;
    if (this.#state === 'locked') this.#state = 'unlocking';
    this.#decrypting = this.#opts.keys.decryptAll().then(
      (secrets) => {
        this.#secrets = secrets;
        this.#opts.onSecrets?.([...Object.values(secrets.keys), ...Object.values(secrets.headers).flatMap((h) => Object.values(h))].map((s) => s.value));
        if (secrets.failed.length) this.#opts.log?.(`keys: ${secrets.failed.length} stored secret(s) could not be decrypted`);
      },
      (err: unknown) => this.#opts.log?.(`keys: could not be decrypted (${(err as Error).message})`),
    ).finally(() => {
      this.#decrypting = null;
      this.#state = 'ready';
      this.#opts.onChange();
      if (this.#stale) this.unlock();
    });
  }

  /** A key was stored or removed. Decrypt again only when the keychain was already answered. */
  keysChanged(): void {
    if (this.#decrypting) this.#stale = true;
    else if (this.#state === 'ready' && !this.#opts.keys.isEmpty()) this.unlock();
    else if (this.#state === 'ready') {
      this.#secrets = { keys: {}, headers: {}, failed: [] };
      this.#opts.onChange();
    }
  }
}
