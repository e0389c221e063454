// A run that gave up on some passages is not running: the supervisor's list of
// running sessions (what quitting warns about, what keeps the machine awake and
// what an engine crash announces as interrupted) must leave it out.
import { describe, expect, test } from 'vitest';
import { EngineSupervisor, type EngineProcess } from '../../electron/main/engine-supervisor.ts';
import type { ToEngine } from '../../electron/service/types.ts';
import { defaultSettings } from '../../electron/store/settings-file.ts';

/** An engine in this process: the test says what it reports and when it dies. */
function memoryEngine() {
  const listeners: Array<(m: unknown) => void> = [];
  const exits: Array<(code: number | null) => void> = [];
  let spawned = 0;
  const factory = (): EngineProcess => {
    spawned += 1;
    listeners.length = 0;
    exits.length = 0;
    queueMicrotask(() => listeners.forEach((l) => l({ type: 'ready', pid: 1000 + spawned })));
    return {
      pid: 1000 + spawned,
      postMessage: (_m: ToEngine) => undefined,
      onMessage: (l) => void listeners.push(l),
      onExit: (l) => void exits.push(l),
      kill: () => exits.forEach((l) => l(null)),
    };
  };
  return {
    factory,
    say: (m: unknown) => listeners.forEach((l) => l(m)),
    crash: () => [...exits].forEach((l) => l(137)),
    spawned: () => spawned,
  };
}

const changed = (id: string, status: string, retryAt: string | null) => ({ type: 'event', name: 'session:changed', payload: { id, status, retryAt } });
const RUNNING = '01JAAAAAAAAAAAAAAAAAAAAAAA';
const WAITING = '01JBBBBBBBBBBBBBBBBBBBBBBB';
const GAVE_UP = '01JCCCCCCCCCCCCCCCCCCCCCCC';

describe('the supervisor counts only live runs', () => {
  test('waiting with a retry time is running; waiting without one (passages gave up) is not, and is not announced as interrupted', async () => {
    const engine = memoryEngine();
    const events: Array<{ name: string; payload: unknown }> = [];
    const supervisor = new EngineSupervisor({
      spawn: engine.factory,
      config: () => ({ settings: defaultSettings(), keys: {} }),
      onEvent: (name, payload) => events.push({ name, payload }),
      autoResume: () => false,
      backoff: { baseMs: 1, capMs: 1 },
    });
    await supervisor.start();
    engine.say(changed(RUNNING, 'running', null));
    engine.say(changed(WAITING, 'waiting', '2030-01-01T00:00:00.000Z'));
    engine.say(changed(GAVE_UP, 'running', null));
    engine.say(changed(GAVE_UP, 'waiting', null));
    expect(supervisor.running().sort()).toEqual([RUNNING, WAITING]);

    engine.crash();
    await supervisor.whenReady();
    expect(engine.spawned()).toBe(2);
    const restarted = events.find((e) => e.name === 'engine:restarted');
    expect(restarted?.payload).toEqual({ interrupted: [RUNNING, WAITING] });
    await supervisor.shutdown(100);
  });
});
