// Where a provider's API key comes from. The key is returned to the caller
// that builds the client and nowhere else: it is never logged, printed,
// stored in a session or put in an error message.
import type { KeySource, ProviderProfile } from '../../../shared/domain.ts';
import { EngineError } from '../errors.ts';

/** Supplied by the desktop shell (encrypted with safeStorage) or the CLI. */
export interface KeyStore {
  get(profile: string): Promise<string | null>;
}

export interface KeyDeps {
  env?: Readonly<Record<string, string | undefined>>;
  keyStore?: KeyStore | null;
}

export interface ResolvedKey {
  apiKey: string;
  /** Human description of the source, safe to show: "environment variable X". */
  source: string;
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
  const value = deps.keyStore ? (await deps.keyStore.get(ks.profile))?.trim() : null;
  if (!value) {
    throw new EngineError({
      category: 'auth', code: 'missing_key',
      message: deps.keyStore
        ? `No API key for ${profile.name} in the key store (profile "${ks.profile}").`
        : `No API key for ${profile.name}: the key store is not available in this process.`,
      hint: deps.keyStore ? 'Open Settings → Providers and save a key for this provider.' : 'Use an environment variable as the key source when running headless.',
    });
  }
  return { apiKey: value, source };
}
