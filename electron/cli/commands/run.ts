// `cairn run` and `cairn resume`: the same engine as the desktop app, headless.
import { basename, resolve } from 'node:path';
import { SessionConfigSchema, TaskTemplateSchema, type ProviderProfile, type Session } from '../../../shared/domain.ts';
import { z } from 'zod';
import { runSession } from '../../engine/pipeline/analysis.ts';
import { depsFromSettings } from '../../engine/pipeline/settings-deps.ts';
import { estimateAnalysis } from '../../engine/pipeline/estimate.ts';
import { readResults } from '../../engine/pipeline/read-model.ts';
import { defaultSessionName, taskFor } from '../../engine/pipeline/prompts.ts';
import type { CliContext } from '../cli-context.ts';
import { SIMULATOR_MODEL } from '../../../shared/providers.ts';
import { CliError, type ExitCode } from '../cli-error.ts';
import { RunReporter } from '../run-reporter.ts';

export interface RunOptions {
  task?: string;
  template?: string;
  provider?: string;
  baseUrl?: string;
  model?: string;
  apiKeyEnv?: string;
  name?: string;
  chunkTokens?: string;
  concurrency?: string;
  budgetUsd?: string;
  resumePolicy?: string;
  dryRun?: boolean;
}

/** The flag that sets each field of the session's config, for messages about it. */
const FLAG_OF: Partial<Record<string, string>> = {
  task: '--task', chunkTokens: '--chunk-tokens', concurrency: '--concurrency', budgetUsd: '--budget-usd',
  resumePolicy: '--resume-policy', template: '--template', provider: '--base-url / --model', documents: 'the list of documents',
};

/** The bounds the config schema sets on a numeric field, read from the schema itself. */
function rangeOf(field: string): { min: number | null; max: number | null } {
  let schema: unknown = (SessionConfigSchema.shape as Record<string, unknown>)[field];
  if (schema instanceof z.ZodDefault) schema = schema.unwrap();
  return schema instanceof z.ZodNumber ? { min: schema.minValue, max: schema.maxValue } : { min: null, max: null };
}

function wholeNumber(flag: string, field: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  const { min, max } = rangeOf(field);
  if (!Number.isInteger(n) || (min !== null && n < min) || (max !== null && n > max)) {
    throw new CliError(2, 'invalid_input', `${flag} must be a whole number${min !== null && max !== null ? ` from ${min} to ${max}` : ''} (got "${v}").`);
  }
  return n;
}

/** A sentence about the first problem zod found in a config built from flags. */
function configProblem(issue: z.core.$ZodIssue | undefined): string {
  const field = String(issue?.path[0] ?? '');
  const flag = FLAG_OF[field] ?? field;
  if (issue?.code === 'too_big' || issue?.code === 'too_small') {
    const { min, max } = rangeOf(field);
    if (min !== null && max !== null) return `${flag} must be from ${min} to ${max}.`;
    if (issue.code === 'too_big') return `${flag} is too long (at most ${String(issue.maximum)}${issue.origin === 'string' ? ' characters' : ''}).`;
  }
  return `${flag} is not valid: ${issue?.message ?? 'unknown problem'}.`;
}

/**
 * Every document as an absolute path, and those that pass the checks made before any work. The session
 * keeps them all: its run skips the bad ones, saying which and why in the output and in the session.
 */
async function checkFiles(files: string[]): Promise<{ documents: string[]; readable: string[]; skipped: Array<{ file: string; code: string; message: string }> }> {
  // The readers (pdf.js, mammoth) run in a worker; this process only looks at the files' directory entries.
  const { preflightDocuments } = await import('../../engine/documents/preflight.ts');
  if (files.length === 0) throw new CliError(2, 'invalid_input', 'Name at least one document to analyse.', 'Example: cairn run contract.pdf --task "List every obligation"');
  const { ok, skipped } = await preflightDocuments(files);
  if (ok.length === 0) {
    // Every input is bad: say why once, before a session exists, so no failed session is left behind.
    const first = skipped[0];
    const code = skipped.every((e) => e.code === first?.code) && first ? first.code.replace(/-/g, '_') : 'invalid_input';
    throw new CliError(2, code, skipped.map((e) => e.message).join('\n'), [...new Set(skipped.map((e) => e.hint))].join(' '));
  }
  return { documents: files.map((f) => resolve(f)), readable: ok, skipped: skipped.map((e) => ({ file: e.file, code: e.code, message: e.message })) };
}

async function resolveProvider(ctx: CliContext, opts: RunOptions): Promise<ProviderProfile> {
  if (opts.provider && (opts.baseUrl || opts.model)) throw new CliError(2, 'invalid_input', 'Use either --provider or --base-url with --model, not both.');
  if (opts.baseUrl || opts.apiKeyEnv) {
    if (!opts.baseUrl || !opts.model) throw new CliError(2, 'invalid_input', '--base-url needs --model (and --api-key-env when the provider needs a key).');
    let host: string;
    try {
      host = new URL(opts.baseUrl).host;
    } catch {
      throw new CliError(2, 'invalid_input', `--base-url "${opts.baseUrl}" is not a URL.`, 'Example: --base-url https://api.deepseek.com/v1');
    }
    // A Cairn simulator the user started (`cairn simulator`) is labelled as one, and its log can then tell steps apart.
    return {
      name: host, baseUrl: opts.baseUrl, model: opts.model, headers: {}, simulator: opts.model === SIMULATOR_MODEL,
      keySource: opts.apiKeyEnv ? { kind: 'env', variable: opts.apiKeyEnv } : { kind: 'none' },
    };
  }
  const name = opts.provider ?? ctx.settings.defaultProvider;
  if (name) {
    const p = ctx.settings.providers.find((x) => x.name === name);
    if (!p) throw new CliError(3, 'unknown_provider', `No provider named "${name}".`, `Known: ${ctx.settings.providers.map((x) => x.name).join(', ') || 'none'}. Add one with: cairn providers add --name … --base-url … --model …`);
    const profile = opts.model ? { ...p, model: opts.model } : p;
    return profile.simulator ? ctx.simulatorProfile(await ctx.simulator()) : profile;
  }
  return ctx.simulatorProfile(await ctx.simulator());
}

export async function runCommand(ctx: CliContext, files: string[], opts: RunOptions): Promise<ExitCode> {
  const { documents, readable, skipped } = await checkFiles(files);
  const template = TaskTemplateSchema.safeParse(opts.template ?? 'custom');
  if (!template.success) throw new CliError(2, 'invalid_input', `Unknown --template "${opts.template}".`, `Use one of: ${TaskTemplateSchema.options.join(', ')}.`);
  if (!opts.task && template.data === 'custom') throw new CliError(2, 'invalid_input', 'Say what to do with --task "…" or pick a --template.', `Templates: ${TaskTemplateSchema.options.filter((t) => t !== 'custom').join(', ')}.`);
  const provider = await resolveProvider(ctx, opts);
  const parsed = SessionConfigSchema.safeParse({
    task: taskFor(template.data, opts.task),
    template: template.data,
    provider,
    documents,
    chunkTokens: wholeNumber('--chunk-tokens', 'chunkTokens', opts.chunkTokens),
    concurrency: wholeNumber('--concurrency', 'concurrency', opts.concurrency),
    budgetUsd: budget(opts.budgetUsd),
    resumePolicy: opts.resumePolicy ?? ctx.settings.resumePolicy,
    maxAttempts: ctx.settings.retry.maxAttempts,
  });
  if (!parsed.success) {
    throw new CliError(2, 'invalid_input', configProblem(parsed.error.issues[0]));
  }
  const config = parsed.data;

  if (opts.dryRun) {
    // The run would skip what the pre-flight refused: so does its estimate.
    const est = await estimateAnalysis({ ...config, documents: readable }, { prices: await ctx.prices() });
    if (ctx.json) ctx.emitJson({ type: 'estimate', ...est, skipped, simulator: provider.simulator });
    else {
      for (const d of skipped) ctx.print(`Skipped ${basename(d.file)}: ${d.message}`);
      for (const d of est.documents) ctx.print(`${d.name}: ${d.pages ?? '–'} pages, ${d.tokens} tokens, ${d.chunks} chunks`);
      ctx.print(`Estimate for ${provider.model}${provider.simulator ? ' (built-in simulator, free)' : ''}: ${est.calls} calls, ~${est.inputTokens} input + ~${est.outputTokens} output tokens, ${est.priceKnown ? `~$${est.costUsd.toFixed(4)}` : 'cost unknown (no price for this model: add one in Settings → Prices)'}${est.seconds !== null ? `, ~${est.seconds}s` : ''}.`);
      ctx.print('Nothing was sent (dry run).');
    }
    return 0;
  }

  const name = opts.name ?? defaultSessionName(readable, config.template, config.task);
  const session = ctx.store().createSession({ name: name.slice(0, 200), config });
  return execute(ctx, session, false);
}

function budget(v: string | undefined): number | null {
  if (v === undefined) return null;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new CliError(2, 'invalid_input', `--budget-usd must be a positive amount in US dollars (got "${v}").`, 'Example: --budget-usd 2.50');
  return n;
}

export async function resumeCommand(ctx: CliContext, id: string, opts: { budgetUsd?: string } = {}): Promise<ExitCode> {
  const store = ctx.store();
  const newBudget = budget(opts.budgetUsd);
  // The built-in simulator listens on a new port each time; the memo does not depend on it.
  let session = await ctx.refreshBuiltInSimulator(store.getSession(id));
  if (newBudget !== null) session = store.updateSession(id, { config: { ...session.config, budgetUsd: newBudget } });
  return execute(ctx, session, true);
}

export async function execute(ctx: CliContext, session: Session, resumed: boolean): Promise<ExitCode> {
  const reporter = new RunReporter(ctx);
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130); // everything persisted so far is already durable
    // Said at once: reading or chunking a long document stops within a moment, a stream at its next delta.
    if (ctx.json) ctx.emitJson({ type: 'stopping', signal });
    else ctx.io.err('stopping…\n');
    controller.abort(new Error(`received ${signal}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  try {
    reporter.start(session, resumed);
    const outcome = await runSession(session.id, { ...depsFromSettings(ctx.settings), store: ctx.store(), owner: ctx.owner }, { signal: controller.signal, onEvent: (e) => reporter.event(e) });
    const citations = outcome.status === 'done' && !ctx.json ? readResults(ctx.store(), session.id).report?.citations ?? [] : [];
    reporter.finish(outcome, ctx.store().getSession(session.id), citations);
    return outcome.exitCode;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
  }
}
