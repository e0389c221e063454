import { memo } from 'react';
import { SafeMarkdown } from '../components/safe-markdown.tsx';
import { useSessionStreams } from '../state/hooks.ts';
import type { LiveStream } from '../stream/stream-store.ts';

const StreamBlock = memo(function StreamBlock({ stream }: { stream: LiveStream }) {
  return (
    <article className="stream" data-testid="live-stream" data-step={stream.stepKey}>
      <h3 className="stream-step">{stream.stepKey}{stream.attempt > 0 ? <span className="muted"> · retry {stream.attempt}</span> : null}</h3>
      <SafeMarkdown text={stream.text} />
    </article>
  );
});

/** Only this panel re-renders per paint of the stream store (at most every ~50 ms). */
export function LiveOutput({ sessionId }: { sessionId: string }) {
  const streams = useSessionStreams(sessionId);
  const active = Object.values(streams).filter((s) => !s.done);
  if (active.length === 0) return null;
  return (
    <section className="card" aria-labelledby="live-heading" data-testid="live-output">
      <h2 id="live-heading">Live output</h2>
      <div aria-live="off">
        {active.map((s) => <StreamBlock key={s.stepKey} stream={s} />)}
      </div>
    </section>
  );
}
