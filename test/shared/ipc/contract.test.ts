import { describe, expect, test } from 'vitest';
import { channels, events, CHANNEL_NAMES, EVENT_NAMES, methodName, subscriptionName } from '../../../shared/ipc/index.ts';
import { IdSchema } from '../../../shared/domain.ts';

const ID = '01JBQ4Z8Y6W2N3XKPRS7TV5M9A';

/** One valid request per channel: adding a channel without a sample fails this test. */
const validRequests: Record<string, unknown> = {
  'sessions:list': { limit: 20 },
  'sessions:get': { id: ID },
  'sessions:detail': { id: ID },
  'sessions:create': { task: 'Summarise the risks', providerName: 'Simulator', documents: ['/tmp/a.md'] },
  'sessions:start': { id: ID },
  'sessions:pause': { id: ID },
  'sessions:resume': { id: ID },
  'sessions:resumeAll': {},
  'sessions:stop': { id: ID },
  'sessions:rename': { id: ID, name: 'Q3 contract review' },
  'sessions:update': { id: ID, budgetUsd: 2.5, model: 'gpt-4.1-mini' },
  'sessions:archive': { id: ID },
  'sessions:delete': { id: ID },
  'sessions:trash': {},
  'sessions:restore': { id: ID },
  'sessions:emptyTrash': {},
  'sessions:retryChunk': { id: ID, index: 3 },
  'sessions:ask': { id: ID, question: 'Which deadlines fall in March?' },
  'sessions:export': { id: ID, format: 'md' },
  'sessions:estimate': { task: 'Summarise', providerName: 'Simulator', documents: ['/tmp/a.md'] },
  'sessions:pickImport': {},
  'sessions:import': { path: '/home/ana/lease.cairn.json', onDuplicate: 'keep-both' },
  'documents:pick': {},
  'documents:dropped': { paths: ['/home/ana/annex.pdf'] },
  'documents:preview': { paths: ['/tmp/a.pdf'] },
  'checkpoints:timeline': { sessionId: ID },
  'checkpoints:inspect': { checkpointId: ID },
  'checkpoints:rollback': { sessionId: ID, checkpointId: ID },
  'checkpoints:undoRollback': { sessionId: ID },
  'checkpoints:fork': { sessionId: ID, checkpointId: ID, task: 'Only payment terms' },
  'checkpoints:verify': {},
  'backups:list': {},
  'backups:create': {},
  'backups:verify': { id: 'cairn-20261127T120000Z.db' },
  'backups:sessions': { id: 'cairn-20261127T120000Z.db' },
  'backups:restore': { id: 'cairn-20261127T120000Z.db', mode: 'new-session', sessionIds: [ID] },
  'backups:prune': {},
  'settings:get': {},
  'settings:set': { theme: 'dark' },
  'keys:status': {},
  'keys:set': { profile: 'OpenAI', key: 'placeholder-key-value' },
  'keys:delete': { profile: 'OpenAI' },
  'app:info': {},
  'app:openExternal': { url: 'https://example.com/terms' },
  'app:copyText': { text: '# Report' },
  'app:diagnostics': {},
  'providers:list': {},
  'providers:save': { profile: { name: 'Local', baseUrl: 'http://127.0.0.1:11434/v1', model: 'llama3', keySource: { kind: 'none' } } },
  'providers:delete': { name: 'Local' },
  'providers:test': { name: 'Local' },
};

describe('IPC contract', () => {
  test('every channel has a sample and accepts it', () => {
    expect(Object.keys(validRequests).sort()).toEqual([...CHANNEL_NAMES].sort());
    for (const name of CHANNEL_NAMES) {
      const r = channels[name].request.safeParse(validRequests[name]);
      expect(r.success, `${name}: ${r.success ? '' : r.error.message}`).toBe(true);
    }
  });

  test.each(CHANNEL_NAMES)('%s rejects extra keys, __proto__ keys and non-objects', (name) => {
    const schema = channels[name].request;
    const sample = validRequests[name] as Record<string, unknown>;
    expect(schema.safeParse({ ...sample, unexpected: 1 }).success).toBe(false);
    expect(schema.safeParse(JSON.parse(`{"__proto__": {"polluted": true}, ${JSON.stringify(sample).slice(1, -1) || '"x":1'}}`)).success).toBe(false);
    expect(schema.safeParse('sessions').success).toBe(false);
    expect(schema.safeParse(null).success).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test.each(CHANNEL_NAMES.filter((n) => Object.keys(validRequests[n] as object).length > 0))('%s rejects wrong types and missing fields', (name) => {
    const schema = channels[name].request;
    const sample = validRequests[name] as Record<string, unknown>;
    for (const key of Object.keys(sample)) {
      const wrong = { ...sample, [key]: { nested: [1, 2, 3] } };
      expect(schema.safeParse(wrong).success, `${name}.${key} accepted an object`).toBe(false);
    }
    const required = Object.keys(sample).filter((k) => !schema.safeParse(Object.fromEntries(Object.entries(sample).filter(([x]) => x !== k))).success);
    // Channels with required fields must reject their absence; the list is checked below for the important ones.
    if (['sessions:get', 'sessions:create', 'checkpoints:rollback', 'keys:set'].includes(name)) expect(required.length).toBeGreaterThan(0);
  });

  test('oversized strings are rejected', () => {
    const huge = 'x'.repeat(5_000_000);
    expect(channels['sessions:ask'].request.safeParse({ id: ID, question: huge }).success).toBe(false);
    expect(channels['sessions:rename'].request.safeParse({ id: ID, name: huge }).success).toBe(false);
    expect(channels['documents:preview'].request.safeParse({ paths: [huge] }).success).toBe(false);
    expect(channels['keys:set'].request.safeParse({ profile: 'a', key: huge }).success).toBe(false);
  });

  test('sessions:update needs a budget or a model, a positive budget (or none) and a named model', () => {
    const update = channels['sessions:update'].request;
    expect(update.safeParse({ id: ID }).success, 'nothing to change').toBe(false);
    expect(update.safeParse({ id: ID, budgetUsd: 3 }).success).toBe(true);
    expect(update.safeParse({ id: ID, budgetUsd: null }).success, 'null removes the limit').toBe(true);
    expect(update.safeParse({ id: ID, model: 'deepseek-chat' }).success).toBe(true);
    for (const budgetUsd of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, '5']) expect(update.safeParse({ id: ID, budgetUsd }).success, String(budgetUsd)).toBe(false);
    for (const model of ['', '   ', 'm'.repeat(201), 7]) expect(update.safeParse({ id: ID, model }).success, String(model)).toBe(false);
  });

  test('ids are validated: no paths, NUL bytes or long strings pass as ids', () => {
    for (const bad of ['../etc/passwd', '/abs/path', 'a\u0000b', ID + ID, '', ID.toLowerCase().replace(/./, 'u')]) {
      expect(IdSchema.safeParse(bad).success, bad).toBe(false);
    }
    expect(channels['sessions:get'].request.safeParse({ id: '../../x' }).success).toBe(false);
  });

  test('event schemas reject extra keys', () => {
    for (const name of EVENT_NAMES) expect(events[name].safeParse({ bogus: true }).success).toBe(false);
  });

  test('method and subscription names are unique and derived from the channel names', () => {
    const names = [...CHANNEL_NAMES.map(methodName), ...EVENT_NAMES.map(subscriptionName)];
    expect(new Set(names).size).toBe(names.length);
    expect(methodName('sessions:list')).toBe('sessionsList');
    expect(subscriptionName('stream:text')).toBe('onStreamText');
  });
});
