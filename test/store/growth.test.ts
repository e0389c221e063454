import { afterEach, describe, expect, it } from 'vitest';
import { TIMELINE_SQL } from '../../electron/store/checkpoints.ts';
import { generateAnalysis, type ChatMessageLike } from '../../electron/engine/simulator/generator.ts';
import { cleanupTempDirs, config, openStore, usage } from './helpers.ts';

afterEach(cleanupTempDirs);

describe('growth and indexes', () => {
  it('a 500-step growing conversation stays within 2x its unique content', () => {
    const store = openStore();
    const s = store.createSession({ name: 'growing', config });
    // Model-like answers (the simulator's), not repeated filler, which would compress to nothing.
    const history: ChatMessageLike[] = [{ role: 'system', content: 'You answer questions about the contract and cite clauses.' }];
    const unique = new Set<string>([history[0]?.content as string]);
    for (let step = 0; step < 500; step += 1) {
      const question = `Which obligations does clause ${1 + (step % 40)}.${1 + (step % 7)} create, and by when? (turn ${step + 1})`;
      history.push({ role: 'user', content: question });
      const reply = generateAnalysis(history, { words: 120 });
      history.push({ role: 'assistant', content: reply });
      unique.add(question);
      unique.add(reply);
      // the conversation so far is referenced by its turns' hashes, never copied
      const questionHash = store.putBlob(question);
      for (let at = 0; at < reply.length; at += 120) store.appendStreamPart(s.id, `turn:${step}`, 0, reply.slice(at, at + 120));
      store.completeStep(s.id, { stepKey: `turn:${step}`, attempt: 0, kind: 'answer', memoKey: `m${step}`, usage: usage(), state: { turns: step + 1, question: questionHash } });
    }
    store.database.pragma('wal_checkpoint(TRUNCATE)');
    const uniqueBytes = [...unique].reduce((n, t) => n + Buffer.byteLength(t), 0);
    const pageSize = Number(store.database.pragma('page_size', { simple: true }));
    // The whole file, free pages included.
    const stored = Number(store.database.pragma('page_count', { simple: true })) * pageSize;
    expect(store.headPath(s.id)).toHaveLength(500);
    console.log(`growth: ${stored} bytes stored for ${uniqueBytes} unique bytes (${(stored / uniqueBytes).toFixed(2)}x)`);
    expect(stored).toBeLessThanOrEqual(2 * uniqueBytes);
    store.close();
  });

  it('the timeline of a 10,000-checkpoint session is one indexed query, paginated newest first', () => {
    const store = openStore();
    const s = store.createSession({ name: 'big', config });
    const db = store.database;
    db.transaction(() => {
      for (let i = 0; i < 10_000; i += 1) store.appendCheckpoint(s.id, { kind: 'map', state: { i } });
    })();
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${TIMELINE_SQL}`).all(s.id, '~', 500) as Array<{ detail: string }>;
    const details = plan.map((p) => p.detail);
    expect(details.some((d) => /SEARCH c USING (COVERING )?INDEX checkpoints_by_session/.test(d))).toBe(true);
    expect(details.some((d) => /SEARCH p USING INDEX sqlite_autoindex_checkpoints_1|SEARCH p USING PRIMARY KEY/.test(d))).toBe(true);
    expect(details.some((d) => /SCAN|TEMP B-TREE/.test(d))).toBe(false);
    const page1 = store.timeline(s.id, { limit: 500 });
    expect(page1.total).toBe(10_000);
    expect(page1.items[0]?.isHead).toBe(true);
    const page2 = store.timeline(s.id, { limit: 500, cursor: page1.nextCursor as string });
    expect((page2.items[0]?.checkpoint.id as string) < (page1.items[499]?.checkpoint.id as string)).toBe(true);
    expect(page2.items[0]?.depth).toBe(9_499);
    store.close();
  });
});
