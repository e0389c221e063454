// Commands that read or move a session's history: sessions, show, timeline,
// rollback, undo-rollback, fork, ask, verify, export; and that file it away:
// rename, archive, unarchive, delete (to the trash), trash list | restore | empty.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { MAX_NAME, SessionStatusSchema } from '../../../shared/domain.ts';
import { canResume, needsAttention } from '../../../shared/session-state.ts';
import { renderExport } from '../../engine/pipeline/export.ts';
import { rollbackSession, undoRollbackSession } from '../../engine/pipeline/head-status.ts';
import { stopForGood } from '../../engine/pipeline/stop.ts';
import { readResults, toExportModel, toShowJson } from '../../engine/pipeline/read-model.ts';
import { StoreError } from '../../store/errors.ts';
import type { ImportResult } from '../../store/types.ts';
import { defaultSessionName } from '../../engine/pipeline/prompts.ts';
import { stepLabelOf } from '../../engine/pipeline/step-keys.ts';
import type { CliContext } from '../cli-context.ts';
import { cliHint, hintContext } from '../cli-hints.ts';
import { money } from '../format.ts';
import { markInvalidCitations } from '../report-text.ts';
import { stepTitle } from '../run-reporter.ts';
import { CliError, type ExitCode } from '../cli-error.ts';


export function sessionsCommand(ctx: CliContext, opts: { status?: string; query?: string; limit?: string; all?: boolean }): ExitCode {
  const status = opts.status === undefined ? undefined : SessionStatusSchema.safeParse(opts.status);
  if (status && !status.success) throw new CliError(2, 'invalid_input', `Unknown --status "${opts.status}".`, `Use one of: ${SessionStatusSchema.options.join(', ')}.`);
  const limit = opts.limit === undefined ? 50 : Number(opts.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new CliError(2, 'invalid_input', '--limit must be between 1 and 500.');
  const page = ctx.store().listSessions({ limit, ...(status?.success ? { status: status.data } : {}), ...(opts.query ? { query: opts.query } : {}), includeArchived: Boolean(opts.all) });
  if (ctx.json) {
    ctx.emitJson(page.items.map((s) => ({ id: s.id, name: s.name, status: s.status, progress: s.progress, usage: s.usage, updatedAt: s.updatedAt, simulator: s.config.provider.simulator })));
    return 0;
  }
  if (page.items.length === 0) {
    const filters = [opts.query !== undefined ? `--query "${opts.query}"` : '', opts.status !== undefined ? `--status ${opts.status}` : ''].filter(Boolean);
    ctx.print(filters.length
      ? `No sessions match ${filters.join(' ')}. See every session with: cairn sessions${opts.all ? ' --all' : ''}`
      : 'No sessions yet. Start one with: cairn run <file> --task "…"');
    return 0;
  }
  for (const s of page.items) {
    ctx.print(`${s.id}  ${ctx.style.status(s.status, s.status.padEnd(11))} ${`${s.progress.done}/${s.progress.total}`.padStart(7)}  ${money(s.usage.costUsd).padStart(8)}  ${s.updatedAt.slice(0, 19).replace('T', ' ')}  ${s.name}${s.config.provider.simulator ? '  [simulator]' : ''}`);
    if (s.reason && needsAttention(s)) ctx.print(`${' '.repeat(28)}${s.reason.message}`);
  }
  return 0;
}

export function showCommand(ctx: CliContext, id: string): ExitCode {
  const r = readResults(ctx.store(), id);
  if (ctx.json) {
    ctx.emitJson(toShowJson(r));
    return 0;
  }
  const s = r.session;
  ctx.print(`${ctx.style.bold(s.name)}\n  id: ${s.id}\n  status: ${ctx.style.status(s.status)}${s.reason ? ` — ${s.reason.message}` : ''}`);
  const hint = s.reason ? cliHint(s.reason, hintContext(s)) : undefined;
  if (hint) ctx.print(`  ${hint}`);
  ctx.print(`  provider: ${s.config.provider.name} (${s.config.provider.model})${s.config.provider.simulator ? ' — a Cairn simulator, not a real model' : ''}`);
  ctx.print(`  task: ${s.config.task}\n  progress: ${s.progress.done}/${s.progress.total}${s.progress.failed ? `, ${s.progress.failed} failed` : ''}`);
  ctx.print(`  usage: ${s.usage.inputTokens} in, ${s.usage.outputTokens} out${s.usage.estimated ? ' (estimated)' : ''}, ${money(s.usage.costUsd)}`);
  if (r.report) ctx.print(`\n${markInvalidCitations(r.report.text, r.report.citations, ctx.style)}`);
  const bad = r.report?.citations.filter((c) => !c.valid) ?? [];
  if (bad.length) ctx.print(`\n${ctx.style.bad('Citations that match no passage:')} ${bad.map((c) => `[${c.label}]`).join(', ')}`);
  return 0;
}

export function stopCommand(ctx: CliContext, id: string): ExitCode {
  const s = stopForGood(ctx.store(), id, ctx.owner);
  if (ctx.json) ctx.emitJson({ id: s.id, status: s.status, reason: s.reason });
  else ctx.print(`Stopped "${s.name}" for good. It will not be resumed; fork it (cairn fork ${s.id} --from <checkpoint>) or export it.`);
  return 0;
}

export function timelineCommand(ctx: CliContext, id: string, opts: { limit?: string; cursor?: string }): ExitCode {
  const limit = opts.limit === undefined ? 100 : Number(opts.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 5_000) throw new CliError(2, 'invalid_input', '--limit must be between 1 and 5000.');
  const page = ctx.store().timeline(id, { limit, ...(opts.cursor ? { cursor: opts.cursor } : {}) });
  if (ctx.json) {
    ctx.emitJson({ total: page.total, nextCursor: page.nextCursor, items: page.items.map((r) => ({ ...r.checkpoint, onHeadPath: r.onHeadPath, isHead: r.isHead, depth: r.depth })) });
    return 0;
  }
  for (const row of page.items) {
    const c = row.checkpoint;
    const label = stepLabelOf(c);
    const title = (label ? stepTitle(label) : c.kind).slice(0, 36).padEnd(36);
    const key = ctx.verbose && c.stepKey ? `  ${ctx.style.dim(c.stepKey)}` : '';
    ctx.print(`${row.isHead ? '▶' : row.onHeadPath ? '•' : ' '} ${c.id}  ${c.createdAt.slice(11, 19)}  ${title}  ${String(c.usage.inputTokens + c.usage.outputTokens).padStart(6)} tok  ${money(c.usage.costUsd)}${key}`);
  }
  ctx.print(`${page.items.length} of ${page.total} checkpoints${page.nextCursor ? ` — more: --cursor ${page.nextCursor}` : ''} (▶ head, • on the head's path)`);
  return 0;
}

export function rollbackCommand(ctx: CliContext, id: string, to: string): ExitCode {
  const r = rollbackSession(ctx.store(), id, to);
  const s = r.session;
  if (ctx.json) ctx.emitJson({ id, headId: s.headId, hidden: r.hidden, backupId: r.backupId, status: s.status, progress: s.progress });
  else {
    ctx.print(`Rolled back to ${to}: ${r.hidden} later checkpoints are hidden, not deleted.${r.backupId ? ` Backup taken first: ${r.backupId}.` : ''}\nUndo with: cairn undo-rollback ${id}`);
    ctx.print(`Now ${s.status}${s.reason ? ` — ${s.reason.message}` : ''}${canResume(s) ? `\nFinish it with: cairn resume ${id}` : ''}`);
  }
  return 0;
}

export function undoRollbackCommand(ctx: CliContext, id: string): ExitCode {
  const s = undoRollbackSession(ctx.store(), id);
  if (ctx.json) ctx.emitJson({ id, headId: s.headId, status: s.status, progress: s.progress });
  else ctx.print(`Head restored to ${s.headId}; now ${s.status}.`);
  return 0;
}

export function forkCommand(ctx: CliContext, id: string, opts: { from: string; task?: string; name?: string }): ExitCode {
  const store = ctx.store();
  const base = store.getSession(id);
  const config = opts.task ? { ...base.config, task: opts.task, template: 'custom' as const } : undefined;
  // A fork with an edited task is named after that task, as a new run would be.
  const name = opts.name ?? (config ? defaultSessionName(config.documents, config.template, config.task) : undefined);
  const fork = store.fork(id, opts.from, { ...(name ? { name } : {}), ...(config ? { config } : {}) });
  if (ctx.json) ctx.emitJson({ id: fork.id, forkOf: fork.forkOf, name: fork.name });
  else ctx.print(`Forked ${fork.id} from ${opts.from}. Run it with: cairn resume ${fork.id}`);
  return 0;
}

export async function askCommand(ctx: CliContext, id: string, question: string): Promise<ExitCode> {
  const store = ctx.store();
  const s = await ctx.refreshBuiltInSimulator(store.getSession(id));
  // The note goes with an answer: said before the first word of it, not before an error.
  let noted = !s.config.provider.simulator || ctx.json;
  const note = () => {
    if (!noted) ctx.io.err('(answered by a Cairn simulator, not a real model)\n');
    noted = true;
  };
  const controller = new AbortController();
  const onSignal = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  try {
    const { askQuestion } = await import('../../engine/pipeline/ask.ts');
    const { depsFromSettings } = await import('../../engine/pipeline/settings-deps.ts');
    const r = await askQuestion(id, question, { ...depsFromSettings(ctx.settings), store, owner: ctx.owner }, {
      signal: controller.signal,
      onEvent: (e) => {
        if (ctx.json) ctx.emitJson(e);
        else if (e.type === 'delta') {
          note();
          ctx.io.out(e.text);
        }
      },
    });
    note();
    if (ctx.json) ctx.emitJson({ type: 'done', answer: r.answer, checkpointId: r.checkpointId, droppedTurns: r.droppedTurns, simulator: s.config.provider.simulator });
    else ctx.print(r.cached ? r.answer : '');
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
  }
}

export function verifyCommand(ctx: CliContext, id?: string): ExitCode {
  const r = ctx.store().verify(id);
  if (ctx.json) ctx.emitJson(r);
  else {
    ctx.print(`${r.ok ? 'OK' : 'DAMAGED'}: ${r.checkedCheckpoints} checkpoints and ${r.checkedBlobs} texts checked; integrity_check: ${r.integrityCheck}`);
    for (const d of r.damaged) ctx.print(`  ${d.checkpointId}: ${d.problem}`);
    if (!r.ok) ctx.print('Restore the newest verified backup with: cairn backup list, then cairn backup restore <id>');
  }
  return r.ok ? 0 : 1;
}

export function exportCommand(ctx: CliContext, id: string, opts: { format: string; out: string }): ExitCode {
  if (!['md', 'json', 'html'].includes(opts.format)) throw new CliError(2, 'invalid_input', `Unknown --format "${opts.format}".`, 'Use md, json or html.');
  const text = renderExport(toExportModel(readResults(ctx.store(), id)), opts.format as 'md' | 'json' | 'html');
  const out = resolve(opts.out);
  try {
    writeFileSync(out, text);
  } catch (err) {
    throw new CliError(2, 'unwritable', `Could not write ${out}: ${err instanceof Error ? err.message : String(err)}.`, 'Choose a folder you can write to.');
  }
  if (ctx.json) ctx.emitJson({ id, format: opts.format, out, bytes: Buffer.byteLength(text) });
  else ctx.print(`Wrote ${out}`);
  return 0;
}

export function exportSessionCommand(ctx: CliContext, id: string, out: string): ExitCode {
  const file = resolve(out);
  ctx.store().exportSession(id, file);
  if (ctx.json) ctx.emitJson({ id, out: file });
  else ctx.print(`Wrote ${file}. Add it to another Cairn with: cairn import-session ${file}`);
  return 0;
}

export function importSessionCommand(ctx: CliContext, file: string, opts: { keepBoth?: boolean; skip?: boolean } = {}): ExitCode {
  if (opts.keepBoth && opts.skip) throw new CliError(2, 'invalid_input', '--keep-both and --skip ask for opposite things.', 'Pass one of them.');
  let r: ImportResult;
  try {
    r = ctx.store().importSession(resolve(file), { onDuplicate: opts.keepBoth ? 'keep-both' : opts.skip ? 'skip' : 'refuse' });
  } catch (err) {
    if (err instanceof StoreError && err.code === 'duplicate') {
      throw new CliError(2, 'duplicate', err.message, `Add --skip to leave it as it is, or --keep-both to import a second copy. See it with: cairn show ${err.params.sessionId ?? ''}`.trim());
    }
    throw err;
  }
  const s = r.session;
  if (ctx.json) ctx.emitJson({ id: s.id, name: s.name, status: s.status, skipped: r.skipped, duplicateOf: r.duplicateOf });
  else if (r.skipped) ctx.print(`Already here as "${s.name}" (${s.id}); nothing was imported.`);
  else ctx.print(`Imported "${s.name}" as ${s.id} (${s.status}).${r.duplicateOf ? ` The same session is also here as ${r.duplicateOf}.` : ''}`);
  return 0;
}

export function renameCommand(ctx: CliContext, id: string, name: string): ExitCode {
  const trimmed = name.trim();
  if (trimmed === '' || trimmed.length > MAX_NAME) throw new CliError(2, 'invalid_input', `A session name is 1 to ${MAX_NAME} characters.`);
  const s = ctx.store().updateSession(id, { name: trimmed });
  if (ctx.json) ctx.emitJson({ id: s.id, name: s.name });
  else ctx.print(`Renamed ${s.id} to "${s.name}".`);
  return 0;
}

export function archiveCommand(ctx: CliContext, id: string, archived: boolean): ExitCode {
  const s = ctx.store().archiveSession(id, archived);
  if (ctx.json) ctx.emitJson({ id: s.id, name: s.name, archived: s.archived });
  else ctx.print(archived ? `Archived "${s.name}": hidden from \`cairn sessions\` (shown with --all). Undo with: cairn unarchive ${s.id}` : `"${s.name}" is back in the session list.`);
  return 0;
}

/** To the trash, never purged here; refused while another process runs the session (its lease is live). */
export function deleteCommand(ctx: CliContext, id: string): ExitCode {
  const store = ctx.store();
  const s = store.getSession(id);
  if (!store.acquireLease(s.id, ctx.owner)) {
    throw new CliError(4, 'lease_held', `"${s.name || s.id}" is being run by another Cairn process, so it was not deleted.`, 'Pause it there (or wait for it to finish), then delete it.');
  }
  try {
    store.deleteSession(s.id);
  } finally {
    store.releaseLease(s.id, ctx.owner);
  }
  if (ctx.json) ctx.emitJson({ id: s.id, name: s.name, trashed: true });
  else ctx.print(`Moved "${s.name}" to the trash. Restore it with: cairn trash restore ${s.id} (cairn trash empty deletes it for good).`);
  return 0;
}

export function trashCommand(ctx: CliContext, action: string, id: string | undefined): ExitCode {
  const store = ctx.store();
  if (action === 'list') {
    const page = store.listSessions({ onlyTrashed: true, limit: 500 });
    if (ctx.json) ctx.emitJson(page.items.map((s) => ({ id: s.id, name: s.name, status: s.status, progress: s.progress, usage: s.usage, updatedAt: s.updatedAt })));
    else if (page.items.length === 0) ctx.print('The trash is empty.');
    else for (const s of page.items) ctx.print(`${s.id}  ${s.status.padEnd(11)} ${s.updatedAt.slice(0, 19).replace('T', ' ')}  ${s.name}`);
    return 0;
  }
  if (action === 'restore') {
    if (!id) throw new CliError(2, 'invalid_input', 'Name the session to restore: cairn trash restore <session>.', 'See what is in the trash with: cairn trash list');
    const s = store.restoreSession(id);
    if (ctx.json) ctx.emitJson({ id: s.id, name: s.name, status: s.status });
    else ctx.print(`Restored "${s.name}" (${s.status}).`);
    return 0;
  }
  if (action === 'empty') {
    const purged = store.emptyTrash();
    const kept = store.listSessions({ onlyTrashed: true, limit: 500 }).items.length;
    if (ctx.json) ctx.emitJson({ purged, ...(kept > 0 ? { kept } : {}) });
    else ctx.print(`Deleted ${purged} session${purged === 1 ? '' : 's'} for good.${kept > 0 ? ` ${kept} stay in the trash because a fork still depends on their history.` : ''}`);
    return 0;
  }
  throw new CliError(2, 'invalid_input', `Unknown trash action "${action}".`, 'Use: cairn trash list | restore <session> | empty');
}
