// The built-in simulator as a provider profile. It is always offered, so a new
// user can try everything offline; the engine replaces its address with the
// simulator it starts itself, and every output from it is labelled.
import type { ProviderProfile } from './domain.ts';

export const SIMULATOR_PROVIDER_NAME = 'Simulator';
export const SIMULATOR_MODEL_NAME = 'cairn-simulator';

const simulatorProfile: ProviderProfile = {
  name: SIMULATOR_PROVIDER_NAME,
  baseUrl: 'http://127.0.0.1/v1',
  model: SIMULATOR_MODEL_NAME,
  headers: {},
  keySource: { kind: 'none' },
  simulator: true,
};
export const BUILT_IN_SIMULATOR: Readonly<ProviderProfile> = Object.freeze(simulatorProfile);

/** The profiles to offer: the built-in simulator first, then the user's own. */
export function withBuiltInSimulator(profiles: readonly ProviderProfile[]): ProviderProfile[] {
  return [{ ...BUILT_IN_SIMULATOR }, ...profiles.filter((p) => p.name !== SIMULATOR_PROVIDER_NAME)];
}
