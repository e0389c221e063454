// The built-in simulator as a provider profile. It is always offered, so a new
// user can try everything offline; the engine replaces its address with the
// simulator it starts itself, and every output from it is labelled.
import type { ProviderProfile } from './domain.ts';

export const SIMULATOR_PROVIDER_NAME = 'Simulator';
/** The model id the simulator answers to (and lists at /models); priced at 0. */
export const SIMULATOR_MODEL = 'cairn-simulator';

/** The simulator's profile, at the address of a running simulator. */
export function simulatorProfileAt(baseUrl: string): ProviderProfile {
  return { name: SIMULATOR_PROVIDER_NAME, baseUrl, model: SIMULATOR_MODEL, headers: {}, keySource: { kind: 'none' }, simulator: true };
}

export const BUILT_IN_SIMULATOR: Readonly<ProviderProfile> = Object.freeze(simulatorProfileAt('http://127.0.0.1/v1'));

/** The profiles to offer: the built-in simulator first, then the user's own. */
export function withBuiltInSimulator(profiles: readonly ProviderProfile[]): ProviderProfile[] {
  return [{ ...BUILT_IN_SIMULATOR }, ...profiles.filter((p) => p.name !== SIMULATOR_PROVIDER_NAME)];
}

/**
 * The origin a stored secret is bound to: scheme, host and port of a base URL.
 * A key saved for one origin is never sent to another. Null for a URL that
 * cannot be parsed (the schema refuses those before they get here).
 */
export function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.origin === 'null' ? null : u.origin;
  } catch {
    return null;
  }
}

/** Header names that carry credentials: their values are kept in the key store, never in settings or sessions. */
const SECRET_HEADER_NAME = /key|token|secret|passw|auth|cookie|session|signature/i;

export function looksLikeSecretHeader(name: string): boolean {
  return SECRET_HEADER_NAME.test(name);
}
