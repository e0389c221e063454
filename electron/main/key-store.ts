// API keys, encrypted with Electron's safeStorage (async API) and kept as
// ciphertext in keys.json beside the settings: never in settings, never in
// clear, never sent to the renderer, never logged. When the OS offers no
// keyring (Linux `basic_text`, where "encryption" is a fixed key anyone can
// undo) the store refuses to hold keys and tells the user to use an
// environment variable instead.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { IpcFailure } from '../service/ipc-errors.ts';
import { writeFileAtomic } from '../store/fs-safe.ts';
import { fileStamp } from '../store/paths.ts';
import { MAX_NAME } from '../../shared/domain.ts';

/** The part of Electron's safeStorage this store uses; tests pass their own. */
export interface SafeStorageLike {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  encryptStringAsync(plainText: string): Promise<Buffer>;
  decryptStringAsync(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }>;
  getSelectedStorageBackend?(): string;
}

export interface KeyStatus {
  stored: string[];
  encryptionAvailable: boolean;
  backend: string;
}

const KeyFileSchema = z.strictObject({
  version: z.literal(1),
  keys: z.record(z.string().min(1).max(MAX_NAME), z.string().regex(/^[A-Za-z0-9+/=]{1,100000}$/)),
});
type KeyFile = z.infer<typeof KeyFileSchema>;

export const ENV_HINT = 'Put the key in an environment variable (for example OPENAI_API_KEY) before starting Cairn, then choose "Environment variable" as the key source in Settings → Providers.';

export interface KeyStoreOptions {
  file: string;
  safeStorage: SafeStorageLike;
  platform?: NodeJS.Platform;
  log?: (line: string) => void;
  now?: () => Date;
}

/** Key files are readable by their owner only. */
const writePrivate = (file: string, data: string): void => writeFileAtomic(file, data, 0o600);

export class KeyStore {
  readonly #file: string;
  readonly #safe: SafeStorageLike;
  readonly #platform: NodeJS.Platform;
  readonly #log: (line: string) => void;
  readonly #now: () => Date;
  /** A problem with keys.json found on load, reported once through status(). */
  warning: string | null = null;

  constructor(opts: KeyStoreOptions) {
    this.#file = opts.file;
    this.#safe = opts.safeStorage;
    this.#platform = opts.platform ?? process.platform;
    this.#log = opts.log ?? (() => undefined);
    this.#now = opts.now ?? (() => new Date());
  }

  backend(): string {
    if (this.#platform === 'linux') return this.#safe.getSelectedStorageBackend?.() ?? 'unknown';
    if (this.#platform === 'darwin') return 'keychain';
    if (this.#platform === 'win32') return 'dpapi';
    return 'unknown';
  }

  /** Real protection only: Linux's basic_text backend is refused even though it "works". */
  async encryptionAvailable(): Promise<boolean> {
    if (this.backend() === 'basic_text') return false;
    try {
      return await this.#safe.isAsyncEncryptionAvailable();
    } catch {
      return false;
    }
  }

  #read(): KeyFile {
    let text: string;
    try {
      text = fs.readFileSync(this.#file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, keys: {} };
      throw new IpcFailure('keystore_unreadable', `The key file ${this.#file} could not be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).`, 'Check the permissions of the Cairn data folder.');
    }
    let parsed: ReturnType<typeof KeyFileSchema.safeParse>;
    try {
      parsed = KeyFileSchema.safeParse(JSON.parse(text));
    } catch {
      parsed = KeyFileSchema.safeParse(null);
    }
    if (parsed.success) return parsed.data;
    // Kept aside, never overwritten: the ciphertext may still be recoverable.
    const movedTo = `${this.#file}.corrupt-${fileStamp(this.#now())}`;
    fs.renameSync(this.#file, movedTo);
    this.warning = `The stored API keys could not be read; the file was kept as ${path.basename(movedTo)}. Enter your keys again in Settings → Providers.`;
    this.#log(`keys: ${this.warning}`);
    return { version: 1, keys: {} };
  }

  async status(): Promise<KeyStatus> {
    return { stored: Object.keys(this.#read().keys).sort(), encryptionAvailable: await this.encryptionAvailable(), backend: this.backend() };
  }

  async set(profile: string, key: string): Promise<KeyStatus> {
    if (!(await this.encryptionAvailable())) {
      const backend = this.backend();
      const why = backend === 'basic_text'
        ? 'no OS keyring is available (Electron reports the "basic_text" backend, which would keep the key practically in clear)'
        : 'the operating system\'s encryption service is not available';
      throw new IpcFailure('keystore_unavailable', `Cairn cannot store this API key safely: ${why}. Nothing was saved.`, ENV_HINT);
    }
    const trimmed = key.trim();
    if (!trimmed) throw new IpcFailure('invalid_request', 'The API key is empty.');
    let cipher: Buffer;
    try {
      cipher = await this.#safe.encryptStringAsync(trimmed);
    } catch (err) {
      // The message of a safeStorage error never contains the plaintext, but say nothing of it anyway.
      this.#log(`keys: encryption failed for profile "${profile}" (${(err as Error).name})`);
      throw new IpcFailure('keystore_failed', 'The operating system refused to encrypt the key. Nothing was saved.', ENV_HINT);
    }
    const file = this.#read();
    file.keys[profile] = cipher.toString('base64');
    writePrivate(this.#file, JSON.stringify(file, null, 2) + '\n');
    this.#log(`keys: stored a key for profile "${profile}"`);
    return this.status();
  }

  async delete(profile: string): Promise<KeyStatus> {
    const file = this.#read();
    if (profile in file.keys) {
      delete file.keys[profile];
      writePrivate(this.#file, JSON.stringify(file, null, 2) + '\n');
      this.#log(`keys: removed the key of profile "${profile}"`);
    }
    return this.status();
  }

  /** Decrypted keys for the engine process only. A key that cannot be decrypted is left out and reported by name. */
  async decryptAll(): Promise<{ keys: Record<string, string>; failed: string[] }> {
    const file = this.#read();
    const keys: Record<string, string> = {};
    const failed: string[] = [];
    if (Object.keys(file.keys).length === 0) return { keys, failed };
    let changed = false;
    for (const [profile, b64] of Object.entries(file.keys)) {
      try {
        const { result, shouldReEncrypt } = await this.#safe.decryptStringAsync(Buffer.from(b64, 'base64'));
        keys[profile] = result;
        if (shouldReEncrypt) {
          file.keys[profile] = (await this.#safe.encryptStringAsync(result)).toString('base64');
          changed = true;
        }
      } catch {
        failed.push(profile);
        this.#log(`keys: the key of profile "${profile}" could not be decrypted`);
      }
    }
    if (changed) writePrivate(this.#file, JSON.stringify(file, null, 2) + '\n');
    return { keys, failed };
  }
}
