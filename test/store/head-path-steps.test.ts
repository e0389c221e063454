// headPathSteps: the head path narrowed to some kinds and to four columns, so a
// resume validates what it uses and not every note and state around it.
import { afterEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../electron/store/errors.ts';
import type { CheckpointKind } from '../../shared/domain.ts';
import { cleanupTempDirs, config, openStore, usage } from './helpers.ts';

afterEach(cleanupTempDirs);

describe('headPathSteps', () => {
  it('lists what headPath holds of those kinds, oldest first, across a rollback and into a fork', () => {
    const store = openStore();
    const s = store.createSession({ name: 'A', config });
    store.appendCheckpoint(s.id, { kind: 'session' });
    const doc = store.appendCheckpoint(s.id, { kind: 'document', stepKey: 'doc:1', state: { n: 1 }, output: 'text' });
    store.appendCheckpoint(s.id, { kind: 'note', state: { n: 1 } });
    const m1 = store.completeStep(s.id, { stepKey: 'map:1', attempt: 0, kind: 'map', memoKey: 'k1', usage: usage(), output: 'one' });
    store.appendCheckpoint(s.id, { kind: 'note', state: { n: 2 } });
    const m2 = store.completeStep(s.id, { stepKey: 'map:2', attempt: 0, kind: 'map', memoKey: 'k2', usage: usage(), output: 'two' });
    const kinds: CheckpointKind[] = ['document', 'map'];
    const steps = (id: string) => store.headPathSteps(id, kinds);
    const viaHeadPath = (id: string) => store.headPath(id).filter((c) => kinds.includes(c.kind))
      .map((c) => ({ id: c.id, kind: c.kind, stepKey: c.stepKey, outputHash: c.outputHash }));

    expect(steps(s.id)).toEqual([
      { id: doc.id, kind: 'document', stepKey: 'doc:1', outputHash: doc.outputHash },
      { id: m1.id, kind: 'map', stepKey: 'map:1', outputHash: m1.outputHash },
      { id: m2.id, kind: 'map', stepKey: 'map:2', outputHash: m2.outputHash },
    ]);
    expect(steps(s.id)).toEqual(viaHeadPath(s.id));

    // A map step hidden by a rollback is not on the head path any more.
    store.rollback(s.id, m1.id);
    expect(steps(s.id).map((c) => c.id)).toEqual([doc.id, m1.id]);

    // A fork's path runs through its parent session's checkpoints.
    const f = store.fork(s.id, m1.id);
    const m3 = store.completeStep(f.id, { stepKey: 'map:3', attempt: 0, kind: 'map', memoKey: 'k3', usage: usage(), output: 'three' });
    expect(steps(f.id).map((c) => c.id)).toEqual([doc.id, m1.id, m3.id]);
    expect(steps(f.id)).toEqual(viaHeadPath(f.id));
    expect(store.headPathSteps(f.id, [])).toEqual([]);
    store.close();
  });

  it('is empty for a session without checkpoints and refuses unknown kinds', () => {
    const store = openStore();
    const s = store.createSession({ name: 'A', config });
    expect(store.headPathSteps(s.id, ['map'])).toEqual([]);
    expect(() => store.headPathSteps(s.id, ['map', 'nonsense' as CheckpointKind])).toThrow(StoreError);
    store.close();
  });

  it('validates the columns it reads', () => {
    const store = openStore();
    const s = store.createSession({ name: 'A', config });
    const m = store.completeStep(s.id, { stepKey: 'map:1', attempt: 0, kind: 'map', memoKey: 'k1', usage: usage(), output: 'one' });
    store.database.pragma('foreign_keys = OFF');
    store.database.prepare('UPDATE checkpoints SET output_hash = ? WHERE id = ?').run(Buffer.from('short'), m.id);
    expect(() => store.headPathSteps(s.id, ['map'])).toThrow(/damaged record/);
    store.close();
  });
});
