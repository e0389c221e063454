import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { JsonValue, Session, TimelineRow } from '../../shared/domain.ts';
import { ErrorPanel } from '../components/error-panel.tsx';
import { formatCost, formatTime, formatTokens } from '../format.ts';
import { i18n, intlLocale } from '../i18n/i18n.ts';
import { matchesQuery } from '../search.ts';
import { useTimeline, useTimelineActions } from '../state/hooks.ts';
import { CheckpointInspector } from './checkpoint-inspector.tsx';

export const TIMELINE_ROW_HEIGHT = 34;

const INTEGRITY: Record<TimelineRow['integrity'], { mark: string; label: 'integrityOk' | 'integrityDamaged' | 'integrityUnchecked' }> = {
  ok: { mark: '✓', label: 'integrityOk' },
  damaged: { mark: '✗', label: 'integrityDamaged' },
  unchecked: { mark: '·', label: 'integrityUnchecked' },
};

function shortTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleTimeString(intlLocale(), { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** The words of a checkpoint's state (a document's name, a question), two levels deep, for search. */
function stateWords(value: JsonValue, depth = 0, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value.slice(0, 2_000));
  else if (depth < 2 && value !== null && typeof value === 'object') {
    for (const v of Array.isArray(value) ? value.slice(0, 50) : Object.values(value).slice(0, 50)) stateWords(v, depth + 1, out);
  }
  return out;
}

function rowMatches(row: TimelineRow, query: string): boolean {
  const cp = row.checkpoint;
  return matchesQuery([cp.kind, i18n.t(`timeline.kind.${cp.kind}`), cp.stepKey ?? '', ...stateWords(cp.state)], query);
}

const Row = memo(function Row({ row, selected, onSelect, style }: { row: TimelineRow; selected: boolean; onSelect(id: string): void; style: React.CSSProperties }) {
  const cp = row.checkpoint;
  const integrity = INTEGRITY[row.integrity];
  const { t } = useTranslation();
  const integrityLabel = t(`timeline.${integrity.label}`);
  const kind = t(`timeline.kind.${cp.kind}`);
  const cls = ['tl-row', row.onHeadPath ? 'tl-head-path' : 'tl-off-path', row.isHead ? 'tl-is-head' : '', selected ? 'tl-selected' : '', row.integrity === 'damaged' ? 'tl-damaged' : ''].join(' ');
  return (
    <div
      role="option"
      id={`tl-${cp.id}`}
      aria-selected={selected}
      aria-label={t('timeline.rowLabel', { kind, step: cp.stepKey ? ` ${cp.stepKey}` : '', time: formatTime(cp.createdAt), head: row.isHead ? t('timeline.rowHead') : '', branch: row.onHeadPath ? '' : t('timeline.rowBranch'), integrity: integrityLabel })}
      className={cls}
      style={style}
      data-testid="timeline-row"
      data-checkpoint-id={cp.id}
      onClick={() => onSelect(cp.id)}
    >
      <span className="tl-time">{shortTime(cp.createdAt)}</span>
      {/* Two lanes: the head's path, and checkpoints on other branches (hidden by a rollback, or left behind by a fork).
          `depth` is the distance from the root, so indenting by it would push a long linear history off the column. */}
      <span className={`tl-tree ${row.onHeadPath ? 'tl-lane-head' : 'tl-lane-branch'}`}>
        <span className="tl-dot" aria-hidden="true">{row.isHead ? '◉' : row.onHeadPath ? '●' : '○'}</span>
        <span className="tl-kind">{kind}</span>
      </span>
      <span className="tl-step">{cp.stepKey ?? ''}</span>
      <span className="tl-tokens">{formatTokens(cp.usage.inputTokens + cp.usage.outputTokens)}</span>
      <span className="tl-cost">{formatCost(cp.usage.costUsd)}</span>
      <span className={`tl-integrity tl-integrity-${row.integrity}`} title={integrityLabel}>{integrity.mark}</span>
    </div>
  );
});

export function TimelineView({ session }: { session: Session }) {
  const { sessionId, rows, total, nextCursor, load, loadingMore, newSinceLoad, selectedId } = useTimeline();
  const { loadTimeline, loadMoreTimeline, selectCheckpoint } = useTimelineActions();
  const scrollRef = useRef<HTMLDivElement>(null);
  const [, force] = useState(0);
  const [query, setQuery] = useState('');
  const { t } = useTranslation();

  useEffect(() => {
    void loadTimeline(session.id);
  }, [session.id, loadTimeline]);

  const mine = sessionId === session.id;
  const list = useMemo(() => (mine ? (query.trim() ? rows.filter((r) => rowMatches(r, query)) : rows) : []), [mine, rows, query]);
  // eslint-disable-next-line react-hooks/incompatible-library -- the app does not use the React Compiler, so the virtualiser's unmemoisable API is fine
  const virtualizer = useVirtualizer({
    count: list.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => TIMELINE_ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.length > 0 ? items[items.length - 1]!.index : -1;

  useEffect(() => {
    if (nextCursor && !loadingMore && lastIndex >= list.length - 30) void loadMoreTimeline();
  }, [lastIndex, list.length, nextCursor, loadingMore, loadMoreTimeline]);

  const selectedIndex = selectedId ? list.findIndex((r) => r.checkpoint.id === selectedId) : -1;
  const select = (index: number) => {
    const row = list[Math.max(0, Math.min(list.length - 1, index))];
    if (!row) return;
    void selectCheckpoint(row.checkpoint.id);
    virtualizer.scrollToIndex(list.indexOf(row), { align: 'auto' });
    force((n) => n + 1);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const moves: Record<string, number> = { ArrowDown: selectedIndex + 1, ArrowUp: selectedIndex - 1, Home: 0, End: list.length - 1, PageDown: selectedIndex + 10, PageUp: selectedIndex - 10 };
    const to = moves[e.key];
    if (to === undefined) return;
    e.preventDefault();
    select(selectedIndex < 0 && e.key === 'ArrowUp' ? 0 : to);
  };

  const selectedRow = selectedIndex >= 0 ? list[selectedIndex] : undefined;

  return (
    <div className="timeline-layout">
      <section className="card timeline-card" aria-labelledby="timeline-heading">
        <div className="timeline-head">
          <h2 id="timeline-heading">{t('timeline.heading')}</h2>
          <span className="muted" data-testid="timeline-count">{t('timeline.count', { count: total })}</span>
          {newSinceLoad > 0 ? (
            <button type="button" className="btn btn-small" onClick={() => void loadTimeline(session.id)}>{t('timeline.newRefresh', { count: newSinceLoad })}</button>
          ) : null}
        </div>
        <div className="toolbar" role="search">
          <label className="field-inline">
            <span>{t('timeline.search')}</span>
            <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder={t('timeline.searchPlaceholder')} />
          </label>
        </div>
        <div className="tl-legend muted" aria-hidden="true">{t('timeline.legend')}</div>
        {load.status === 'error' ? <ErrorPanel title={t('timeline.couldNotLoad')} error={load.error} onRetry={() => void loadTimeline(session.id)} /> : null}
        {load.status === 'loading' && list.length === 0 ? <p className="muted" role="status">{t('timeline.loading')}</p> : null}
        {mine && query.trim() && rows.length > 0 && list.length === 0 ? <p className="muted">{t('timeline.noMatch')}</p> : null}
        <div className="tl-columns" aria-hidden="true">
          <span>{t('timeline.colTime')}</span><span>{t('timeline.colKind')}</span><span>{t('timeline.colStep')}</span><span>{t('timeline.colTokens')}</span><span>{t('timeline.colCost')}</span><span>{t('timeline.colOk')}</span>
        </div>
        <div
          ref={scrollRef}
          className="tl-scroll"
          role="listbox"
          aria-label={t('timeline.list')}
          tabIndex={0}
          aria-activedescendant={selectedRow ? `tl-${selectedRow.checkpoint.id}` : undefined}
          onKeyDown={onKeyDown}
          data-testid="timeline"
        >
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((v) => {
              const row = list[v.index];
              if (!row) return null;
              return (
                <Row
                  key={row.checkpoint.id}
                  row={row}
                  selected={row.checkpoint.id === selectedId}
                  onSelect={(id) => void selectCheckpoint(id)}
                  style={{ position: 'absolute', top: 0, left: 0, right: 0, height: TIMELINE_ROW_HEIGHT, transform: `translateY(${v.start}px)` }}
                />
              );
            })}
          </div>
        </div>
        {loadingMore ? <p className="muted" role="status">{t('timeline.loadingMore')}</p> : null}
      </section>
      <CheckpointInspector session={session} row={selectedRow} />
    </div>
  );
}
