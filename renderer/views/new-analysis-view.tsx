import { useEffect, useMemo, useState, type DragEvent } from 'react';
import type { TaskTemplate } from '../../shared/domain.ts';
import type { DocumentPreview, Estimate, NewSession } from '../../shared/ipc/sessions.ts';
import { useApi } from '../app/context.tsx';
import { ErrorPanel } from '../components/error-panel.tsx';
import { formatCost, formatDuration, formatTokens } from '../format.ts';
import type { ErrorInfo } from '../state/app-store.ts';
import { useNavigate, useSettingsActions, useSettingsState, useUiActions } from '../state/hooks.ts';
import { asReason } from '../state/ui-slice.ts';
import { QUESTION_INSTRUCTION, TEMPLATES, taskRequest } from './task-templates.ts';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function DocumentCard({ doc, onRemove }: { doc: DocumentPreview; onRemove(): void }) {
  return (
    <li className={doc.ok ? 'doc' : 'doc doc-error'} data-testid="document-preview">
      <div className="doc-head">
        <strong className="break">{doc.name}</strong>
        <button type="button" className="btn btn-quiet" onClick={onRemove} aria-label={`Remove ${doc.name}`}>Remove</button>
      </div>
      {doc.ok ? (
        <>
          <p className="figures-inline">
            {doc.pages !== null ? <span>{plural(doc.pages, 'page')}</span> : null}
            <span>{formatTokens(doc.tokens)} tokens</span>
            <span>{plural(doc.chunks, 'chunk')}</span>
          </p>
          {doc.sample ? <blockquote className="sample">{doc.sample}</blockquote> : null}
          {doc.warnings.map((w) => <p key={w} className="warning">{w}</p>)}
        </>
      ) : (
        <div role="alert" className="doc-problem">
          <p>{doc.error?.message ?? 'This file could not be read.'}</p>
          {doc.error?.hint ? <p className="hint">{doc.error.hint}</p> : null}
        </div>
      )}
    </li>
  );
}

export function NewAnalysisView() {
  const api = useApi();
  const navigate = useNavigate();
  const { reportError } = useUiActions();
  const { value: settings, providers, load: settingsLoad } = useSettingsState();
  const { loadSettings } = useSettingsActions();

  const [docs, setDocs] = useState<DocumentPreview[]>([]);
  const [docsError, setDocsError] = useState<ErrorInfo | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const [template, setTemplate] = useState<TaskTemplate>('summary');
  const [task, setTask] = useState(TEMPLATES[0]?.task ?? '');
  const [name, setName] = useState('');
  const [chosenProvider, setChosenProvider] = useState<string | null>(null);
  const [chosenModel, setChosenModel] = useState<string | null>(null);
  const [budget, setBudget] = useState('');
  const [estimate, setEstimate] = useState<{ key: string; value: Estimate } | null>(null);
  const [estimateError, setEstimateError] = useState<ErrorInfo | null>(null);
  const [busy, setBusy] = useState<'estimate' | 'start' | null>(null);
  const [startError, setStartError] = useState<ErrorInfo | null>(null);
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    if (settingsLoad.status === 'idle') void loadSettings();
  }, [settingsLoad.status, loadSettings]);

  // Until the user picks, the configured default provider and its model apply.
  const fallback = providers.find((p) => p.name === settings?.defaultProvider) ?? providers[0];
  const providerName = chosenProvider ?? fallback?.name ?? '';
  const profile = providers.find((p) => p.name === providerName);
  const model = chosenModel ?? profile?.model ?? '';
  const setModel = (m: string) => setChosenModel(m);
  const budgetNumber = budget.trim() === '' ? null : Number(budget);
  const budgetInvalid = budgetNumber !== null && (!Number.isFinite(budgetNumber) || budgetNumber <= 0);
  const readyDocs = docs.filter((d) => d.ok);

  const request: NewSession | null = useMemo(() => {
    if (readyDocs.length === 0 || !task.trim() || !providerName || budgetInvalid) return null;
    return {
      ...taskRequest(template, task),
      providerName,
      documents: readyDocs.map((d) => d.path),
      budgetUsd: budgetNumber,
      start: true,
      ...(name.trim() ? { name: name.trim() } : {}),
      ...(model.trim() ? { model: model.trim() } : {}),
    };
  }, [readyDocs, task, template, providerName, budgetInvalid, budgetNumber, name, model]);
  const requestKey = request ? JSON.stringify(request) : '';
  const estimateCurrent = estimate !== null && estimate.key === requestKey;

  const addPaths = async (paths: string[]) => {
    const fresh = paths.filter((p) => !docs.some((d) => d.path === p));
    if (fresh.length === 0) return;
    setPreviewing(true);
    setDocsError(null);
    try {
      const { documents } = await api.documentsPreview({ paths: fresh });
      setDocs((prev) => [...prev, ...documents.filter((d) => !prev.some((p) => p.path === d.path))]);
    } catch (error) {
      setDocsError(asReason(error));
    } finally {
      setPreviewing(false);
    }
  };

  const pick = async () => {
    try {
      const { paths } = await api.documentsPick({});
      if (paths.length > 0) await addPaths(paths);
    } catch (error) {
      setDocsError(asReason(error));
    }
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const files = Array.from(e.dataTransfer.files);
    if (files.length === 0) return;
    void api.grantDropped(files).then((paths) => {
      if (paths.length > 0) void addPaths(paths);
      else setDocsError({ code: 'drop-unsupported', message: 'Dropped files cannot be read here.', hint: 'Use “Add documents…” to choose them instead.' });
    });
  };

  const runEstimate = async () => {
    if (!request) return;
    setBusy('estimate');
    setEstimateError(null);
    try {
      setEstimate({ key: requestKey, value: await api.sessionsEstimate(request) });
    } catch (error) {
      setEstimateError(asReason(error));
    } finally {
      setBusy(null);
    }
  };

  const start = async () => {
    if (!request) return;
    setBusy('start');
    setStartError(null);
    try {
      const session = await api.sessionsCreate(request);
      navigate({ view: 'session', sessionId: session.id, tab: 'overview' });
    } catch (error) {
      setStartError(asReason(error));
      reportError(error, 'The analysis did not start');
    } finally {
      setBusy(null);
    }
  };

  const chooseTemplate = (id: TaskTemplate) => {
    setTemplate(id);
    const t = TEMPLATES.find((x) => x.id === id);
    if (t) setTask(t.task);
  };

  return (
    <div className="view">
      <header className="view-header"><h1>New analysis</h1></header>

      <section className="card" aria-labelledby="docs-heading">
        <h2 id="docs-heading">1. Documents</h2>
        <div
          className={dragging ? 'dropzone dropzone-active' : 'dropzone'}
          data-testid="dropzone"
          onDragOver={(e) => { e.preventDefault(); setDragging(true); }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
        >
          <p>Drop PDF, DOCX, HTML, Markdown or text files here, or</p>
          <button type="button" className="btn" onClick={() => void pick()} disabled={previewing}>Add documents…</button>
        </div>
        {previewing ? <p className="muted" role="status">Reading documents…</p> : null}
        {docsError ? <ErrorPanel title="Documents could not be added" error={docsError} /> : null}
        {docs.length > 0 ? (
          <ul className="doc-list" aria-label="Documents">
            {docs.map((d) => <DocumentCard key={d.path} doc={d} onRemove={() => setDocs((prev) => prev.filter((x) => x.path !== d.path))} />)}
          </ul>
        ) : null}
      </section>

      <section className="card" aria-labelledby="task-heading">
        <h2 id="task-heading">2. Task</h2>
        <fieldset className="templates">
          <legend>Template</legend>
          {TEMPLATES.map((t) => (
            <label key={t.id} className="chip">
              <input type="radio" name="template" value={t.id} checked={template === t.id} onChange={() => chooseTemplate(t.id)} />
              {t.label}
            </label>
          ))}
        </fieldset>
        {template === 'question' ? <p className="muted" id="question-instruction">{QUESTION_INSTRUCTION}</p> : null}
        <label className="field">
          <span>{template === 'question' ? 'Question' : 'Task'}</span>
          <textarea rows={4} value={task} onChange={(e) => setTask(e.target.value)} aria-describedby={template === 'question' ? 'question-instruction' : undefined} />
        </label>
        {template !== 'question' && template !== 'custom' && task.trim() !== (TEMPLATES.find((t) => t.id === template)?.task ?? '') ? (
          <p className="muted" data-testid="task-edited">Edited: this task runs as a custom task.</p>
        ) : null}
        <label className="field">
          <span>Name (optional)</span>
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={200} />
        </label>
      </section>

      <section className="card" aria-labelledby="model-heading">
        <h2 id="model-heading">3. Model and budget</h2>
        {settingsLoad.status === 'ready' && providers.length === 0 ? (
          <ErrorPanel title="No provider configured" error={{ code: 'no-provider', message: 'Add a provider before starting an analysis.', hint: 'Open Settings → Providers to add one.' }} />
        ) : null}
        {settingsLoad.status === 'error' ? <ErrorPanel title="Settings could not be loaded" error={settingsLoad.error} onRetry={() => void loadSettings()} /> : null}
        <div className="grid-2">
          <label className="field">
            <span>Provider</span>
            <select value={providerName} onChange={(e) => { setChosenProvider(e.target.value); setChosenModel(null); }}>
              {providers.length === 0 ? <option value="">No providers</option> : null}
              {providers.map((p) => <option key={p.name} value={p.name}>{p.name}{p.simulator ? ' (simulator)' : ''}</option>)}
            </select>
          </label>
          <label className="field">
            <span>Model</span>
            <input value={model} onChange={(e) => setModel(e.target.value)} />
          </label>
          <label className="field">
            <span>Budget in USD (optional)</span>
            <input inputMode="decimal" value={budget} onChange={(e) => setBudget(e.target.value)} aria-invalid={budgetInvalid} placeholder="No limit" />
            {budgetInvalid ? <span className="field-error">Enter a positive amount, or leave it empty for no limit.</span> : null}
          </label>
        </div>
        {profile?.simulator ? <p className="note"><span className="badge badge-simulator">Simulator</span> Answers will come from the built-in simulator, not a real model.</p> : null}
      </section>

      <section className="card" aria-labelledby="estimate-heading">
        <h2 id="estimate-heading">4. Estimate and start</h2>
        {estimateCurrent && estimate ? (
          <dl className="figures" data-testid="estimate">
            <div><dt>Chunks</dt><dd>{estimate.value.chunks}</dd></div>
            <div><dt>Tokens</dt><dd>{formatTokens(estimate.value.inputTokens)} in · {formatTokens(estimate.value.outputTokens)} out</dd></div>
            <div><dt>Cost</dt><dd>{estimate.value.costUsd === null ? 'No price set for this model' : `about ${formatCost(estimate.value.costUsd)}`}</dd></div>
            <div><dt>Time</dt><dd>{estimate.value.seconds === null ? '—' : `about ${formatDuration(estimate.value.seconds)}`}</dd></div>
          </dl>
        ) : (
          <p className="muted">{request ? 'Estimate the cost and time before starting.' : template === 'question' && !task.trim() ? 'Add at least one readable document, a question and a provider.' : 'Add at least one readable document, a task and a provider.'}</p>
        )}
        {estimateError ? <ErrorPanel title="No estimate" error={estimateError} /> : null}
        {startError ? <ErrorPanel title="The analysis did not start" error={startError} /> : null}
        <div className="actions">
          <button type="button" className="btn" onClick={() => void runEstimate()} disabled={!request || busy !== null}>
            {busy === 'estimate' ? 'Estimating…' : 'Estimate cost and time'}
          </button>
          <button type="button" className="btn btn-primary" onClick={() => void start()} disabled={!request || !estimateCurrent || busy !== null}>
            {busy === 'start' ? 'Starting…' : 'Start analysis'}
          </button>
        </div>
      </section>
    </div>
  );
}
