// Shows a running analysis. With --json: the engine's events as NDJSON (step
// keys included). On a terminal: log lines (steps, warnings, waits) scroll
// above one status area that is redrawn in place — the current step and its
// streamed text, then the bar with steps, tokens, cost and an ETA, last.
// Otherwise: a plain line per step. --quiet: only the result.
import type { Session, Usage } from '../../shared/domain.ts';
import { providerLimitText } from '../../shared/provider-limits.ts';
import type { StepLabel } from '../../shared/step-label.ts';
import { canResume } from '../../shared/session-state.ts';
import type { AnalysisEvent, RunOutcome } from '../engine/pipeline/analysis.ts';
import type { CliContext } from './cli-context.ts';
import { cliHint, hintContext } from './cli-hints.ts';
import { money, tokens } from './format.ts';
import { markInvalidCitations } from './report-text.ts';

const SIMULATOR_NOTE = 'Provider: a Cairn simulator — answers are generated locally for trying Cairn, not by a real model.';
const BAR_WIDTH = 24;
const REDRAW_MS = 100;


function eta(s: number | null): string {
  if (s === null) return '…';
  if (s < 60) return `${s}s`;
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/** What a person reads for a step: the CLI's words for the engine's label data. */
export function stepTitle(label: StepLabel): string {
  const of = label.index !== null && label.total !== null ? ` ${label.index}/${label.total}` : label.index !== null ? ` ${label.index}` : '';
  switch (label.kind) {
    case 'document': return `Read ${label.label ?? 'document'}`;
    case 'chunks': return `Split into ${label.total ?? 0} chunks`;
    case 'passage': return `Chunk${of}${label.label ? ` · ${label.label}` : ''}`;
    case 'combine': return `Combining findings${of}`;
    case 'report': return 'Report';
    case 'answer': return `Answer${of}`;
  }
}

/** The last `width` characters of `text`, starting at a word. */
function tailOf(text: string, width: number): string {
  const flat = text.replace(/\s+/g, ' ').trimStart();
  if (flat.length <= width) return flat;
  const cut = flat.slice(flat.length - width);
  const space = cut.indexOf(' ');
  return `…${space >= 0 && space < cut.length - 1 ? cut.slice(space + 1) : cut.slice(1)}`;
}

/** Cuts a line to the terminal's width so it never wraps (a wrapped line would break the redraw). */
function fit(line: string, width: number): string {
  return line.length <= width ? line : `${line.slice(0, Math.max(0, width - 1))}…`;
}

interface Activity {
  title: string;
  note: string;
  text: string;
}

export class RunReporter {
  readonly #ctx: CliContext;
  readonly #live: boolean;
  /** Lines of the status area now on screen (0: none drawn). */
  #drawn = 0;
  #redrawTimer: NodeJS.Timeout | null = null;
  #countdown: NodeJS.Timeout | null = null;
  #progress = { done: 0, total: 0, etaSeconds: null as number | null, usage: null as Usage | null };
  readonly #started = new Map<string, number>();
  readonly #active = new Map<string, Activity>();
  #waitLine = '';
  /** What the provider's limits hold the run to, when it states them. */
  #limitText: string | null = null;

  constructor(ctx: CliContext) {
    this.#ctx = ctx;
    this.#live = ctx.io.isTTY && !ctx.json && !ctx.quiet;
  }

  start(session: Session, resumed: boolean): void {
    const sim = session.config.provider.simulator;
    if (this.#ctx.json) {
      this.#ctx.emitJson({ type: 'session', id: session.id, name: session.name, resumed, simulator: sim, provider: session.config.provider.name, model: session.config.provider.model });
      return;
    }
    this.#progress = { done: session.progress.done, total: session.progress.total, etaSeconds: null, usage: session.usage };
    if (this.#ctx.quiet) return;
    const s = this.#ctx.style;
    this.#ctx.print(`${s.bold(resumed ? 'Resuming' : 'Session')} ${session.id} — ${session.name}`);
    this.#ctx.print(sim ? s.dim(SIMULATOR_NOTE) : `Provider: ${session.config.provider.name} (${session.config.provider.model})`);
    this.#draw();
  }

  event(e: AnalysisEvent): void {
    if (this.#ctx.json) {
      this.#ctx.emitJson(e);
      return;
    }
    const s = this.#ctx.style;
    switch (e.type) {
      case 'progress':
        this.#progress = { done: e.done, total: e.total, etaSeconds: e.etaSeconds, usage: e.usage };
        this.#scheduleDraw();
        break;
      case 'attempt': {
        if (!this.#started.has(e.stepKey)) this.#started.set(e.stepKey, Date.now());
        // An attempt that picks up where an earlier process stopped is a resume, not a failure.
        const note = e.try === 1 && e.attempt > 1 ? 'resumed' : e.try > 1 ? `retry ${e.try - 1} of ${e.maxAttempts - 1}` : '';
        const title = e.label ? stepTitle(e.label) : 'Step';
        this.#active.set(e.stepKey, { title, note, text: '' });
        if (this.#ctx.verbose) this.#log(s.dim(`… ${title}${note ? ` (${note})` : ''}  ${e.stepKey} attempt ${e.attempt}`));
        this.#scheduleDraw();
        break;
      }
      case 'delta': {
        const a = this.#active.get(e.stepKey);
        if (a) a.text = (a.text + e.text).slice(-400);
        this.#scheduleDraw();
        break;
      }
      case 'step': {
        this.#active.delete(e.stepKey);
        if (this.#ctx.quiet) break;
        const started = this.#started.get(e.stepKey);
        const details: string[] = [];
        if (e.cached) details.push('already paid for: re-used');
        else {
          if (e.usage) details.push(`${tokens(e.usage.inputTokens + e.usage.outputTokens)} tokens`);
          if (started !== undefined) details.push(`${((Date.now() - started) / 1000).toFixed(1)} s`);
        }
        const key = this.#ctx.verbose ? `  ${s.dim(e.stepKey)}` : '';
        this.#log(`${s.ok('✓')} ${stepTitle(e.label)}${details.length ? s.dim(` (${details.join(', ')})`) : ''}${key}`);
        break;
      }
      case 'waiting': {
        const until = Date.parse(e.until);
        const line = () => `waiting ${Math.max(0, Math.ceil((until - Date.now()) / 1000))}s: ${e.reason.message}`;
        if (!this.#live) {
          if (!this.#ctx.quiet) this.#ctx.print(s.warn(line()));
          break;
        }
        this.#stopCountdown();
        this.#waitLine = line();
        this.#countdown = setInterval(() => {
          this.#waitLine = Date.now() >= until ? '' : line();
          if (!this.#waitLine) this.#stopCountdown();
          this.#draw();
        }, 250);
        this.#countdown.unref();
        this.#draw();
        break;
      }
      case 'limits': {
        const text = providerLimitText(e);
        if (text === this.#limitText) break;
        this.#limitText = text;
        // On a terminal it is part of the status line; otherwise a line each time it changes.
        if (this.#live) this.#scheduleDraw();
        else if (text && !this.#ctx.quiet) this.#ctx.print(s.dim(text));
        break;
      }
      case 'warning':
        this.#log(`${this.#ctx.errStyle.warn('warning:')} ${e.message}${e.hint ? `\n  ${e.hint}` : ''}`, 'err');
        break;
      case 'citations':
        if (e.verified + e.unverified > 0) this.#log(`citations: ${e.verified} of ${e.verified + e.unverified} quotes verified in the passage they cite${e.unverified > 0 ? ` (${e.unverified} unverified)` : ''}`);
        break;
      case 'status':
        if (e.status === 'running') {
          this.#stopCountdown();
          this.#waitLine = '';
          this.#scheduleDraw();
        }
        break;
      default:
        break;
    }
  }

  #stopCountdown(): void {
    if (this.#countdown) clearInterval(this.#countdown);
    this.#countdown = null;
  }

  /** A line above the status area (or, without one, just a line). Warnings go to stderr. */
  #log(text: string, stream: 'out' | 'err' = 'out'): void {
    this.#clear();
    if (stream === 'err') this.#ctx.io.err(text + '\n');
    else this.#ctx.print(text);
    this.#draw();
  }

  #statusLines(): string[] {
    const width = Math.max(20, (this.#ctx.io.columns?.() ?? 80) - 1);
    const s = this.#ctx.style;
    const { done, total, etaSeconds, usage } = this.#progress;
    const filled = total > 0 ? Math.round((Math.min(done, total) / total) * BAR_WIDTH) : 0;
    const bar = `${s.ok('█'.repeat(filled))}${s.dim('░'.repeat(BAR_WIDTH - filled))}`;
    const used = usage ? `${tokens(usage.inputTokens + usage.outputTokens)} tokens · ${money(usage.costUsd)}` : '';
    const facts = [`${done}/${total || '?'} steps`, used, `ETA ${eta(etaSeconds)}`, this.#limitText ?? ''].filter(Boolean).join(' · ');
    const lines: string[] = [];
    if (this.#waitLine) lines.push(s.warn(fit(this.#waitLine, width)));
    else {
      const current = [...this.#active.values()].at(-1);
      if (current) {
        const head = `▸ ${current.title}${current.note ? ` (${current.note})` : ''}${this.#active.size > 1 ? ` +${this.#active.size - 1} more` : ''}`;
        const room = width - head.length - 3;
        const tail = room > 10 && current.text ? tailOf(current.text, room) : '';
        lines.push(`${fit(head, width)}${tail ? s.dim(` — ${tail}`) : ''}`);
      }
    }
    // The bar is measured without its colour codes: 24 cells and a space.
    lines.push(`${bar} ${fit(facts, width - BAR_WIDTH - 1)}`);
    return lines;
  }

  #draw(): void {
    if (!this.#live) return;
    if (this.#redrawTimer) {
      clearTimeout(this.#redrawTimer);
      this.#redrawTimer = null;
    }
    const lines = this.#statusLines();
    this.#clear();
    this.#ctx.io.out(lines.join('\n'));
    this.#drawn = lines.length;
  }

  /** Streamed text and progress redraw at most every 100 ms. */
  #scheduleDraw(): void {
    if (!this.#live || this.#redrawTimer) return;
    this.#redrawTimer = setTimeout(() => this.#draw(), REDRAW_MS);
    this.#redrawTimer.unref();
  }

  /** Removes the status area: to the start of its first line, then erase to the end of the screen. */
  #clear(): void {
    if (!this.#live || this.#drawn === 0) return;
    this.#ctx.io.out(`\r${this.#drawn > 1 ? `\x1b[${this.#drawn - 1}A` : ''}\x1b[J`);
    this.#drawn = 0;
  }

  /** `citations`: the report's checked citations, when it has one. */
  finish(outcome: RunOutcome, session: Session, citations: ReadonlyArray<{ label: string; valid: boolean }> = []): void {
    this.#stopCountdown();
    if (this.#redrawTimer) clearTimeout(this.#redrawTimer);
    this.#redrawTimer = null;
    this.#clear();
    const type = outcome.status === 'done' ? 'done' : outcome.status === 'failed' ? 'failed' : 'paused';
    if (this.#ctx.json) {
      this.#ctx.emitJson({
        type, id: session.id, status: outcome.status, reason: outcome.reason, exitCode: outcome.exitCode,
        requests: outcome.requests, memoHits: outcome.memoHits, usage: session.usage, simulator: session.config.provider.simulator,
        report: outcome.report,
      });
      return;
    }
    const s = this.#ctx.style;
    if (outcome.status === 'done') {
      if (session.config.provider.simulator) this.#ctx.print(s.dim(`\n(${SIMULATOR_NOTE})`));
      this.#ctx.print(`\n${markInvalidCitations(outcome.report ?? '', citations, s)}\n`);
      const bad = citations.filter((c) => !c.valid);
      if (bad.length) this.#ctx.print(`${s.bad('Citations that match no passage:')} ${bad.map((c) => `[${c.label}]`).join(', ')}\n`);
      this.#ctx.print(`${s.status('done', 'Done')}: ${session.progress.done}/${session.progress.total} steps, ${tokens(session.usage.inputTokens)} in / ${tokens(session.usage.outputTokens)} out${session.usage.estimated ? ' (estimated)' : ''}, ${money(session.usage.costUsd)}. ${outcome.requests} requests, ${outcome.memoHits} answers re-used without paying.`);
      this.#ctx.print(`Export: cairn export ${session.id} --format md --out report.md`);
      return;
    }
    const e = this.#ctx.errStyle;
    const reason = outcome.reason;
    const word = outcome.status === 'failed' ? e.status('failed', 'Failed') : outcome.exitCode === 130 ? e.status('interrupted', 'Interrupted') : e.status('paused', 'Paused');
    this.#ctx.io.err(`\n${word}: ${reason?.message ?? outcome.status}\n`);
    const hint = reason ? cliHint(reason, hintContext(session)) : undefined;
    if (hint) this.#ctx.io.err(`  ${hint}\n`);
    // A failure's own hint says whether to retry; a session stopped for good meanwhile is not resumed.
    if (outcome.status !== 'failed' && canResume(session)) this.#ctx.io.err(`  Everything completed is saved. Resume with: cairn resume ${session.id}\n`);
  }
}
