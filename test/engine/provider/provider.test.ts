// Key resolution and the connection test, against the simulator over HTTP.
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProviderClient } from '../../../electron/engine/provider/client.ts';
import { testConnection } from '../../../electron/engine/provider/connection-test.ts';
import { describeKeySource, NO_KEY, resolveApiKey } from '../../../electron/engine/provider/keys.ts';
import { startSimulator, type Simulator } from '../../../electron/engine/simulator/index.ts';
import { simProfile } from '../helpers.ts';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ words: 10, models: ['cairn-simulator', 'gpt-4o-mini'], apiKey: 'sk-sim-secret-0001' });
});
afterAll(async () => sim.close());

describe('API keys', () => {
  it('come from an environment variable or the key store, and say which', async () => {
    const env = simProfile(sim, { keySource: { kind: 'env', variable: 'SIM_KEY' } });
    await expect(resolveApiKey(env, { env: { SIM_KEY: ' sk-sim-secret-0001 ' } })).resolves.toEqual({
      apiKey: 'sk-sim-secret-0001', source: 'environment variable SIM_KEY', headers: {},
    });
    const stored = simProfile(sim, { keySource: { kind: 'keystore', profile: 'sim' } });
    const keyStore = { get: async (p: string) => (p === 'sim' ? { value: 'sk-from-store', origin: new URL(sim.baseURL).origin } : null) };
    await expect(resolveApiKey(stored, { keyStore })).resolves.toMatchObject({ apiKey: 'sk-from-store' });
    await expect(resolveApiKey(simProfile(sim), {})).resolves.toEqual({ apiKey: NO_KEY, source: 'no key (none configured)', headers: {} });
    expect(describeKeySource({ kind: 'keystore', profile: 'x' })).toBe('the key store (profile "x")');
  });

  it('fail as auth errors that say how to fix them', async () => {
    const env = simProfile(sim, { name: 'DeepSeek', keySource: { kind: 'env', variable: 'DEEPSEEK_API_KEY' } });
    await expect(resolveApiKey(env, { env: {} })).rejects.toMatchObject({
      category: 'auth', code: 'missing_key', message: 'No API key for DeepSeek: the environment variable DEEPSEEK_API_KEY is not set.',
    });
    const stored = simProfile(sim, { keySource: { kind: 'keystore', profile: 'sim' } });
    await expect(resolveApiKey(stored, { keyStore: { get: async () => null } })).rejects.toMatchObject({ category: 'auth', hint: expect.stringContaining('Settings → Providers') });
    await expect(resolveApiKey(stored, {})).rejects.toMatchObject({ category: 'auth' });
  });
});

describe('connection test', () => {
  const withKey = (over = {}) => simProfile(sim, { keySource: { kind: 'env', variable: 'SIM_KEY' }, ...over });
  const deps = { env: { SIM_KEY: 'sk-sim-secret-0001' } };

  it('succeeds when the model is listed', async () => {
    const r = await testConnection(withKey(), deps);
    expect(r).toMatchObject({ ok: true, models: ['cairn-simulator', 'gpt-4o-mini'] });
    expect(r.message).toContain('Simulator (simulator)');
  });

  it('falls back to a one-token completion and lists the models on a 404', async () => {
    const r = await testConnection(withKey({ model: 'gpt-9' }), deps);
    expect(r.ok).toBe(false);
    expect(r.message).toBe('The model "gpt-9" is not available at Simulator (404).');
    expect(r.hint).toBe('Available models include: cairn-simulator, gpt-4o-mini.');
    expect(sim.log.entries.slice(-3).map((e) => `${e.path} ${e.status}`)).toEqual([
      '/v1/models 200', '/v1/chat/completions 404', '/v1/models 200',
    ]);
  });

  it('falls back to a one-token completion when the model list is not offered', async () => {
    sim.configure({ listModels: false });
    try {
      const r = await testConnection(withKey(), deps);
      expect(r.ok).toBe(true);
      expect(r.message).toBe('Connected to Simulator (simulator): the model list is not offered (HTTP 404), but cairn-simulator answered a one-token test.');
      expect(sim.log.entries.slice(-2).map((e) => `${e.path} ${e.status}`)).toEqual(['/v1/models 404', '/v1/chat/completions 200']);
    } finally {
      sim.configure({ listModels: true });
    }
  });

  it('reports a rejected key without showing it', async () => {
    const r = await testConnection(withKey(), { env: { SIM_KEY: 'sk-wrong-secret-9999' } });
    expect(r.ok).toBe(false);
    expect(r.message).toBe('The API key from environment variable SIM_KEY was rejected by Simulator (401).');
    expect(JSON.stringify(r)).not.toContain('sk-wrong-secret-9999');
  });

  it('reports a missing key', async () => {
    const r = await testConnection(withKey(), { env: {} });
    expect(r).toMatchObject({ ok: false, message: expect.stringContaining('SIM_KEY is not set') });
  });

  it('reports an unreachable server', async () => {
    const gone = await startSimulator();
    const profile = simProfile(gone);
    await gone.close();
    const r = await testConnection(profile);
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/^Nothing is listening at 127\.0\.0\.1:\d+ — is the server/);
  });

  it('a created client sends the key from its source, and never shows it', async () => {
    const client = await createProviderClient(withKey(), deps);
    expect(await client.listModels()).toContain('gpt-4o-mini');
    expect(JSON.stringify(client)).not.toContain('sk-sim-secret-0001');
    expect(inspect(client, { depth: 10, showHidden: true })).not.toContain('sk-sim-secret-0001');
    expect(JSON.stringify(sim.log.entries)).not.toContain('sk-sim-secret-0001');
  });
});
