// Where a provider's API key comes from. The key is returned to the caller
// that builds the client and nowhere else: it is never logged, printed,
// stored in a session or put in an error message.
import type { KeySource, ProviderProfile } from '../../../shared/domain.ts';
import { originOf } from '../../../shared/providers.ts';
import { EngineError } from '../errors.ts';

/** A stored secret and the one origin it may be sent to (null: stored before origins were kept, so sent nowhere). */
export interface BoundSecret {
  value: string;
  origin: string | null;
}

/** Supplied by the desktop shell (encrypted with safeStorage) or the CLI. */
export interface KeyStore {
  get(profile: string): Promise<BoundSecret | null>;
  /** Secret header values of a provider profile, by header name. */
  headers?(provider: string): Promise<Record<string, BoundSecret>>;
}

export interface KeyDeps {
  env?: Readonly<Record<string, string | undefined>>;
  keyStore?: KeyStore | null;
}

export interface ResolvedKey {
  apiKey: string;
  /** Human description of the source, safe to show: "environment variable X". */
  source: string;
  /** Values of the profile's secret headers, checked against its origin. */
  headers: Record<string, string>;
}

/** A stored secret goes to the origin it was saved for, and nowhere else. */
function checkOrigin(profile: ProviderProfile, secret: BoundSecret, what: string): string {
  const target = originOf(profile.baseUrl);
  if (secret.origin !== null && secret.origin === target) return secret.value;
  throw new EngineError({
    category: 'auth', code: 'key_origin_mismatch',
    message: `The stored ${what} for ${profile.name} was saved for ${secret.origin ?? 'an address Cairn did not record'}, so Cairn does not send it to ${target ?? profile.baseUrl}.`,
    hint: 'Open Settings → Providers: if this address is right, save the provider again and confirm, or enter the key again.',
  });
}

async function secretHeaders(profile: ProviderProfile, deps: KeyDeps): Promise<Record<string, string>> {
  const names = profile.secretHeaders ?? [];
  if (names.length === 0) return {};
  const stored = deps.keyStore?.headers ? await deps.keyStore.headers(profile.name) : {};
  const out: Record<string, string> = {};
  for (const name of names) {
    const secret = stored[name];
    if (!secret) {
      throw new EngineError({
        category: 'auth', code: 'missing_key',
        message: `The secret header ${name} of ${profile.name} is not in the key store.`,
        hint: deps.keyStore ? `Open Settings → Providers, edit ${profile.name} and enter "${name}: <value>" under Extra headers.` : 'Secret headers are kept by the desktop app\'s key store, which this process cannot read.',
      });
    }
    out[name] = checkOrigin(profile, secret, `header ${name}`);
  }
  return out;
}

/** Sent when no key is needed; local servers ignore the Authorization header. */
export const NO_KEY = 'no-key-needed';

export function describeKeySource(ks: KeySource): string {
  switch (ks.kind) {
    case 'none':
      return 'no key (none configured)';
    case 'env':
      return `environment variable ${ks.variable}`;
    case 'keystore':
      return `the key store (profile "${ks.profile}")`;
  }
}

export async function resolveApiKey(profile: ProviderProfile, deps: KeyDeps = {}): Promise<ResolvedKey> {
  const headers = await secretHeaders(profile, deps);
  const { apiKey, source } = await resolveKeyOnly(profile, deps);
  return { apiKey, source, headers };
}

async function resolveKeyOnly(profile: ProviderProfile, deps: KeyDeps): Promise<Omit<ResolvedKey, 'headers'>> {
  const ks = profile.keySource;
  const source = describeKeySource(ks);
  if (ks.kind === 'none') return { apiKey: NO_KEY, source };
  if (ks.kind === 'env') {
    const value = (deps.env ?? process.env)[ks.variable]?.trim();
    if (!value) {
      throw new EngineError({
        category: 'auth', code: 'missing_key',
        message: `No API key for ${profile.name}: the environment variable ${ks.variable} is not set.`,
        hint: `Set ${ks.variable} to your ${profile.name} key (export ${ks.variable}=…), or choose another key source for the provider.`,
      });
    }
    return { apiKey: value, source };
  }
  const secret = deps.keyStore ? await deps.keyStore.get(ks.profile) : null;
  if (!secret?.value.trim()) {
    throw new EngineError({
      category: 'auth', code: 'missing_key',
      message: deps.keyStore
        ? `No API key for ${profile.name} in the key store (profile "${ks.profile}").`
        : `No API key for ${profile.name}: the key store is not available in this process.`,
      hint: deps.keyStore ? 'Open Settings → Providers and save a key for this provider.' : 'Use an environment variable as the key source when running headless.',
    });
  }
  return { apiKey: checkOrigin(profile, secret, 'API key').trim(), source };
}
