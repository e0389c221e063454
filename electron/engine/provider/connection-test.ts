// "Test connection": list the models (cheap, free), and when that is not
// possible or does not show the configured model, send a one-token
// completion. Every outcome is a sentence a person can act on.
import type { ProviderProfile } from '../../../shared/domain.ts';
import type { ProviderTestResult } from '../../../shared/ipc/providers.ts';
import { type EngineError, isEngineError } from '../errors.ts';
import { createProviderClient, type ProviderClient, type ProviderClientOptions } from './client.ts';

function failure(err: EngineError, models: string[] = []): ProviderTestResult {
  const listed = err.availableModels.length > 0 ? err.availableModels : models;
  const r: ProviderTestResult = { ok: false, models: listed.slice(0, 5_000), message: err.message.slice(0, 4_000) };
  const hint = err.category === 'model_not_found' && listed.length > 0
    ? `Available models include: ${listed.slice(0, 20).join(', ')}.`
    : err.hint;
  if (hint) r.hint = hint.slice(0, 1_000);
  return r;
}

export async function testConnection(profile: ProviderProfile, opts: ProviderClientOptions = {}): Promise<ProviderTestResult> {
  let client: ProviderClient;
  try {
    client = await createProviderClient(profile, opts);
  } catch (err) {
    if (isEngineError(err)) return failure(err);
    throw err;
  }
  const label = profile.simulator ? `${profile.name} (simulator)` : profile.name;
  let models: string[] = [];
  let listError: EngineError | null = null;
  try {
    models = await client.listModels(AbortSignal.timeout(20_000));
    if (models.includes(profile.model)) {
      return { ok: true, models, message: `Connected to ${label}: ${profile.model} is available (${models.length} models listed).` };
    }
  } catch (err) {
    listError = client.classify(err);
    if (listError.category === 'auth') return failure(listError);
  }
  try {
    await client.ping(AbortSignal.timeout(60_000));
  } catch (err) {
    const e = await client.withAvailableModels(client.classify(err));
    return failure(e, models);
  }
  const how = listError
    ? `the model list is not offered (${listError.status === null ? listError.code : `HTTP ${listError.status}`}), but ${profile.model} answered a one-token test`
    : `${profile.model} answered a one-token test although the model list does not mention it`;
  return { ok: true, models, message: `Connected to ${label}: ${how}.`.slice(0, 4_000) };
}
