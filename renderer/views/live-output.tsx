import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { StreamingMarkdown } from '../components/streaming-markdown.tsx';
import { useDetail, useSessionStreams } from '../state/hooks.ts';
import { stepTitle } from '../stream/step-title.ts';
import type { LiveStream } from '../stream/stream-store.ts';

const StreamBlock = memo(function StreamBlock({ stream, source }: { stream: LiveStream; source: string | undefined }) {
  const { t } = useTranslation();
  return (
    <article className="stream" data-testid="live-stream" data-step={stream.stepKey}>
      <h3 className="stream-step" title={stream.stepKey}>
        {stepTitle(stream.stepKey, () => source)}
        {stream.attempt > 1 ? <span className="muted">{t('live.attempt', { n: stream.attempt })}</span> : null}
      </h3>
      <StreamingMarkdown text={stream.text} />
    </article>
  );
});

/** Only this panel re-renders per paint of the stream store (at most every ~50 ms). */
export function LiveOutput({ sessionId }: { sessionId: string }) {
  const streams = useSessionStreams(sessionId);
  const { data } = useDetail();
  const { t } = useTranslation();
  const active = Object.values(streams).filter((s) => !s.done);
  if (active.length === 0) return null;
  return (
    <section className="card" aria-labelledby="live-heading" data-testid="live-output">
      <h2 id="live-heading">{t('live.heading')}</h2>
      <div aria-live="off">
        {active.map((s) => <StreamBlock key={s.stepKey} stream={s} source={data?.session.id === sessionId ? data.chunks.find((c) => c.stepKey === s.stepKey)?.source : undefined} />)}
      </div>
    </section>
  );
}
