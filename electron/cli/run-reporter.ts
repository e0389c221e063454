// Shows a running analysis: NDJSON events with --json, a progress bar with
// the streaming text on a terminal, plain lines otherwise.
import cliProgress from 'cli-progress';
import type { Session } from '../../shared/domain.ts';
import type { AnalysisEvent, RunOutcome } from '../engine/pipeline/analysis.ts';
import type { CliContext } from './cli-context.ts';
import { cliHint } from './cli-hints.ts';

const SIMULATOR_NOTE = 'Provider: a Cairn simulator — answers are generated locally for trying Cairn, not by a real model.';

function money(usd: number): string {
  return usd < 0.01 && usd > 0 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

function tokens(n: number): string {
  return n >= 10_000 ? `${(n / 1000).toFixed(1)}k` : String(n);
}

function eta(s: number | null): string {
  if (s === null) return '…';
  if (s < 60) return `${s}s`;
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

export class RunReporter {
  readonly #ctx: CliContext;
  #bar: cliProgress.SingleBar | null = null;
  #tail = '';
  #countdown: NodeJS.Timeout | null = null;

  constructor(ctx: CliContext) {
    this.#ctx = ctx;
  }

  start(session: Session, resumed: boolean): void {
    const sim = session.config.provider.simulator;
    if (this.#ctx.json) {
      this.#ctx.emitJson({ type: 'session', id: session.id, name: session.name, resumed, simulator: sim, provider: session.config.provider.name, model: session.config.provider.model });
      return;
    }
    this.#ctx.print(`${resumed ? 'Resuming' : 'Session'} ${session.id} — ${session.name}`);
    this.#ctx.print(sim ? SIMULATOR_NOTE : `Provider: ${session.config.provider.name} (${session.config.provider.model})`);
    if (this.#ctx.io.isTTY) {
      this.#bar = new cliProgress.SingleBar({
        format: ' {bar} {value}/{total} steps | {tokens} tok | {cost} | ETA {remaining} | {tail}',
        barsize: 24, hideCursor: true, clearOnComplete: false, stopOnComplete: false, etaBuffer: 1, fps: 10,
      }, cliProgress.Presets.shades_classic);
      this.#bar.start(session.progress.total || 1, session.progress.done, { tokens: '0', cost: money(session.usage.costUsd), remaining: '…', tail: '' });
    }
  }

  event(e: AnalysisEvent): void {
    if (this.#ctx.json) {
      this.#ctx.emitJson(e);
      return;
    }
    switch (e.type) {
      case 'progress':
        if (this.#bar) {
          this.#bar.setTotal(Math.max(1, e.total));
          this.#bar.update(e.done, { tokens: tokens(e.usage.inputTokens + e.usage.outputTokens), cost: money(e.usage.costUsd), remaining: eta(e.etaSeconds) });
        }
        break;
      case 'delta':
        if (this.#bar) {
          this.#tail = (this.#tail + e.text).replace(/\s+/g, ' ').slice(-48);
          this.#bar.update({ tail: this.#tail });
        }
        break;
      case 'step':
        if (!this.#bar && (e.kind === 'map' || e.kind === 'reduce' || e.kind === 'report')) this.#ctx.print(`✓ ${e.kind} ${e.stepKey}${e.cached ? ' (already paid for: memo)' : ''}`);
        break;
      case 'waiting': {
        const until = Date.parse(e.until);
        const line = () => `waiting ${Math.max(0, Math.ceil((until - Date.now()) / 1000))}s: ${e.reason.message}`;
        if (this.#bar) {
          if (this.#countdown) clearInterval(this.#countdown);
          this.#countdown = setInterval(() => {
            if (Date.now() >= until && this.#countdown) clearInterval(this.#countdown);
            this.#bar?.update({ tail: line() });
          }, 250);
          this.#countdown.unref();
        } else this.#ctx.print(line());
        break;
      }
      case 'warning':
        this.#log(`warning: ${e.message}${e.hint ? `\n  ${e.hint}` : ''}`);
        break;
      case 'status':
        if (e.status === 'running' && this.#countdown) {
          clearInterval(this.#countdown);
          this.#countdown = null;
        }
        break;
      default:
        break;
    }
  }

  #log(line: string): void {
    if (this.#bar) {
      this.#bar.stop();
      this.#ctx.io.err(line + '\n');
      this.#bar.start(this.#bar.getTotal(), this.#bar.getProgress() * this.#bar.getTotal(), { tail: this.#tail });
    } else this.#ctx.io.err(line + '\n');
  }

  finish(outcome: RunOutcome, session: Session): void {
    if (this.#countdown) clearInterval(this.#countdown);
    this.#bar?.stop();
    const type = outcome.status === 'done' ? 'done' : outcome.status === 'failed' ? 'failed' : 'paused';
    if (this.#ctx.json) {
      this.#ctx.emitJson({
        type, id: session.id, status: outcome.status, reason: outcome.reason, exitCode: outcome.exitCode,
        requests: outcome.requests, memoHits: outcome.memoHits, usage: session.usage, simulator: session.config.provider.simulator,
        report: outcome.report,
      });
      return;
    }
    if (outcome.status === 'done') {
      if (session.config.provider.simulator) this.#ctx.print(`\n(${SIMULATOR_NOTE})`);
      this.#ctx.print(`\n${outcome.report ?? ''}\n`);
      this.#ctx.print(`Done: ${session.progress.done}/${session.progress.total} steps, ${tokens(session.usage.inputTokens)} in / ${tokens(session.usage.outputTokens)} out${session.usage.estimated ? ' (estimated)' : ''}, ${money(session.usage.costUsd)}. ${outcome.requests} requests, ${outcome.memoHits} answers re-used without paying.`);
      this.#ctx.print(`Export: cairn export ${session.id} --format md --out report.md`);
      return;
    }
    const reason = outcome.reason;
    this.#ctx.io.err(`\n${outcome.status === 'failed' ? 'Failed' : outcome.exitCode === 130 ? 'Interrupted' : 'Paused'}: ${reason?.message ?? outcome.status}\n`);
    const hint = reason ? cliHint(reason, session.id) : undefined;
    if (hint) this.#ctx.io.err(`  ${hint}\n`);
    if (outcome.status !== 'failed') this.#ctx.io.err(`  Everything completed is saved. Resume with: cairn resume ${session.id}\n`);
  }
}
