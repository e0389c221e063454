// Shared by the service tests: wait until a session reaches a state.
import type { Session } from '../../shared/domain.ts';
import type { AppService } from '../../electron/service/types.ts';

export function sessionWaiter(service: Pick<AppService, 'handle'>, intervalMs = 20) {
  return async (pred: (s: Session) => boolean, id: string, ms = 30_000): Promise<Session> => {
    const end = Date.now() + ms;
    for (;;) {
      const s = await service.handle('sessions:get', { id });
      if (pred(s)) return s;
      if (Date.now() > end) throw new Error(`timed out; status ${s.status} ${JSON.stringify(s.reason)}`);
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  };
}
