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
import type { BoundSecret } from '../engine/provider/keys.ts';

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

const Cipher = z.string().regex(/^[A-Za-z0-9+/=]{1,100000}$/);
/** A stored secret and the origin (scheme://host:port) it may be sent to; null for keys stored before origins were kept. */
const EntrySchema = z.strictObject({ cipher: Cipher, origin: z.string().max(2_100).nullable() });
type Entry = z.infer<typeof EntrySchema>;
const KeyFileV1Schema = z.strictObject({
  version: z.literal(1),
  keys: z.record(z.string().min(1).max(MAX_NAME), Cipher),
});
const KeyFileSchema = z.strictObject({
  version: z.literal(2),
  /** API keys by key-store profile. */
  keys: z.record(z.string().min(1).max(MAX_NAME), EntrySchema),
  /** Secret header values by provider name, then header name. */
  headers: z.record(z.string().min(1).max(MAX_NAME), z.record(z.string().min(1).max(200), EntrySchema)),
});
type KeyFile = z.infer<typeof KeyFileSchema>;
const KeyFileAnySchema = z.union([KeyFileSchema, KeyFileV1Schema.transform((v1): KeyFile => ({
  version: 2,
  keys: Object.fromEntries(Object.entries(v1.keys).map(([profile, cipher]) => [profile, { cipher, origin: null }])),
  headers: {},
}))]);

export interface DecryptedSecrets {
  keys: Record<string, BoundSecret>;
  headers: Record<string, Record<string, BoundSecret>>;
  /** Names of what could not be decrypted: "profile" or "provider: header". */
  failed: string[];
}

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
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 2, keys: {}, headers: {} };
      throw new IpcFailure('keystore_unreadable', `The key file ${this.#file} could not be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).`, 'Check the permissions of the Cairn data folder.');
    }
    let parsed: ReturnType<typeof KeyFileAnySchema.safeParse>;
    try {
      parsed = KeyFileAnySchema.safeParse(JSON.parse(text));
    } catch {
      parsed = KeyFileAnySchema.safeParse(null);
    }
    if (parsed.success) return parsed.data;
    // Kept aside, never overwritten: the ciphertext may still be recoverable.
    const movedTo = `${this.#file}.corrupt-${fileStamp(this.#now())}`;
    fs.renameSync(this.#file, movedTo);
    this.warning = `The stored API keys could not be read; the file was kept as ${path.basename(movedTo)}. Enter your keys again in Settings → Providers.`;
    this.#log(`keys: ${this.warning}`);
    return { version: 2, keys: {}, headers: {} };
  }

  #write(file: KeyFile): void {
    writePrivate(this.#file, JSON.stringify(file, null, 2) + '\n');
  }

  /** Key-store profiles that have a key, without asking the OS anything. */
  profiles(): string[] {
    return Object.keys(this.#read().keys).sort();
  }

  /** True when no key and no secret header is stored (nothing to ask the keychain for). */
  isEmpty(): boolean {
    const file = this.#read();
    return Object.keys(file.keys).length === 0 && Object.keys(file.headers).length === 0;
  }

  async status(): Promise<KeyStatus> {
    return { stored: Object.keys(this.#read().keys).sort(), encryptionAvailable: await this.encryptionAvailable(), backend: this.backend() };
  }

  async #encrypt(value: string, what: string): Promise<string> {
    if (!(await this.encryptionAvailable())) {
      const backend = this.backend();
      const why = backend === 'basic_text'
        ? 'no OS keyring is available (Electron reports the "basic_text" backend, which would keep the key practically in clear)'
        : 'the operating system\'s encryption service is not available';
      throw new IpcFailure('keystore_unavailable', `Cairn cannot store this ${what} safely: ${why}. Nothing was saved.`, ENV_HINT);
    }
    const trimmed = value.trim();
    if (!trimmed) throw new IpcFailure('invalid_request', `The ${what} is empty.`);
    try {
      return (await this.#safe.encryptStringAsync(trimmed)).toString('base64');
    } catch (err) {
      // The message of a safeStorage error never contains the plaintext, but say nothing of it anyway.
      this.#log(`keys: encryption failed for a ${what} (${(err as Error).name})`);
      throw new IpcFailure('keystore_failed', `The operating system refused to encrypt the ${what}. Nothing was saved.`, ENV_HINT);
    }
  }

  /** Stores `key` for `profile`, to be sent to `origin` only. */
  async set(profile: string, key: string, origin: string): Promise<KeyStatus> {
    const cipher = await this.#encrypt(key, 'API key');
    const file = this.#read();
    file.keys[profile] = { cipher, origin };
    this.#write(file);
    this.#log(`keys: stored a key for profile "${profile}" (bound to ${origin})`);
    return this.status();
  }

  /** The origin a stored key is bound to: undefined when there is no key, null for a key stored before origins were kept. */
  originOf(profile: string): string | null | undefined {
    return this.#read().keys[profile]?.origin;
  }

  /** Binds a stored key to another origin (the user confirmed it in main's dialog). */
  rebind(profile: string, origin: string): void {
    const file = this.#read();
    const entry = file.keys[profile];
    if (!entry) return;
    file.keys[profile] = { ...entry, origin };
    this.#write(file);
    this.#log(`keys: the key of profile "${profile}" is now bound to ${origin}`);
  }

  /** Names of the secret headers stored for a provider, with the origin they are bound to. */
  headerEntries(provider: string): Array<{ name: string; origin: string | null }> {
    return Object.entries(this.#read().headers[provider] ?? {}).map(([name, e]) => ({ name, origin: e.origin }));
  }

  async setHeader(provider: string, name: string, value: string, origin: string): Promise<void> {
    const cipher = await this.#encrypt(value, `value of the header ${name}`);
    const file = this.#read();
    file.headers[provider] = { ...file.headers[provider], [name]: { cipher, origin } };
    this.#write(file);
    this.#log(`keys: stored the header "${name}" of provider "${provider}" (bound to ${origin})`);
  }

  /** Keeps only `keep` of a provider's secret headers, each bound to `origin` when given. */
  retainHeaders(provider: string, keep: readonly string[], origin?: string): void {
    const file = this.#read();
    const current = file.headers[provider];
    if (!current) return;
    const next: Record<string, Entry> = {};
    for (const [name, e] of Object.entries(current)) if (keep.includes(name)) next[name] = origin ? { ...e, origin } : e;
    if (Object.keys(next).length) file.headers[provider] = next;
    else delete file.headers[provider];
    this.#write(file);
  }

  async delete(profile: string): Promise<KeyStatus> {
    const file = this.#read();
    if (profile in file.keys) {
      delete file.keys[profile];
      this.#write(file);
      this.#log(`keys: removed the key of profile "${profile}"`);
    }
    return this.status();
  }

  async #decrypt(entry: Entry): Promise<{ value: string; reEncrypted: string | null }> {
    const { result, shouldReEncrypt } = await this.#safe.decryptStringAsync(Buffer.from(entry.cipher, 'base64'));
    return { value: result, reEncrypted: shouldReEncrypt ? (await this.#safe.encryptStringAsync(result)).toString('base64') : null };
  }

  /** Decrypted secrets for the engine process only, each with its origin. What cannot be decrypted is left out and reported by name. */
  async decryptAll(): Promise<DecryptedSecrets> {
    const file = this.#read();
    const out: DecryptedSecrets = { keys: {}, headers: {}, failed: [] };
    let changed = false;
    for (const [profile, entry] of Object.entries(file.keys)) {
      try {
        const { value, reEncrypted } = await this.#decrypt(entry);
        out.keys[profile] = { value, origin: entry.origin };
        if (reEncrypted) {
          file.keys[profile] = { ...entry, cipher: reEncrypted };
          changed = true;
        }
      } catch {
        out.failed.push(profile);
        this.#log(`keys: the key of profile "${profile}" could not be decrypted`);
      }
    }
    for (const [provider, headers] of Object.entries(file.headers)) {
      for (const [name, entry] of Object.entries(headers)) {
        try {
          const { value, reEncrypted } = await this.#decrypt(entry);
          (out.headers[provider] ??= {})[name] = { value, origin: entry.origin };
          if (reEncrypted) {
            headers[name] = { ...entry, cipher: reEncrypted };
            changed = true;
          }
        } catch {
          out.failed.push(`${provider}: ${name}`);
          this.#log(`keys: the header "${name}" of provider "${provider}" could not be decrypted`);
        }
      }
    }
    if (changed) this.#write(file);
    return out;
  }
}
