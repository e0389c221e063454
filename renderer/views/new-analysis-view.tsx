import { useEffect, useMemo, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TaskTemplate } from '../../shared/domain.ts';
import type { DocumentPreview, Estimate, NewSession } from '../../shared/ipc/sessions.ts';
import { useApi } from '../app/context.tsx';
import { ErrorPanel } from '../components/error-panel.tsx';
import { formatCost, formatDuration, formatTokens } from '../format.ts';
import type { ErrorInfo } from '../state/app-store.ts';
import { useNavigate, useSettingsActions, useSettingsState, useUiActions } from '../state/hooks.ts';
import { asReason } from '../state/ui-slice.ts';
import { reasonText } from '../i18n/reasons.ts';
import { QUESTION_INSTRUCTION, TEMPLATES, taskRequest } from './task-templates.ts';

/** Said in the catalog's words (reason.no-provider); the English hint names the place that fixes it. */
const NO_PROVIDER: ErrorInfo = { code: 'no-provider', message: 'Add a provider before starting an analysis.', hint: 'Open Settings → Providers to add one.' };

function DocumentCard({ doc, onRemove }: { doc: DocumentPreview; onRemove(): void }) {
  const { t } = useTranslation();
  return (
    <li className={doc.ok ? 'doc' : 'doc doc-error'} data-testid="document-preview">
      <div className="doc-head">
        <strong className="break">{doc.name}</strong>
        <button type="button" className="btn btn-quiet" onClick={onRemove} aria-label={t('newAnalysis.removeDoc', { name: doc.name })}>{t('newAnalysis.remove')}</button>
      </div>
      {doc.ok ? (
        <>
          <p className="figures-inline">
            {doc.pages !== null ? <span>{t('newAnalysis.pages', { count: doc.pages })}</span> : null}
            <span>{t('newAnalysis.tokens', { n: formatTokens(doc.tokens) })}</span>
            <span>{t('newAnalysis.chunks', { count: doc.chunks })}</span>
          </p>
          {doc.sample ? <blockquote className="sample">{doc.sample}</blockquote> : null}
          {doc.warnings.map((w) => <p key={w} className="warning">{w}</p>)}
        </>
      ) : (
        <div role="alert" className="doc-problem">
          <p>{doc.error ? reasonText(doc.error, t).message : t('newAnalysis.unreadable')}</p>
          {doc.error?.hint ? <p className="hint">{reasonText(doc.error, t).hint}</p> : null}
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
  const { t } = useTranslation();

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
      else setDocsError({ code: 'drop-unsupported', message: t('newAnalysis.dropUnsupported'), hint: t('newAnalysis.dropUnsupportedHint') });
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
      reportError(error, t('newAnalysis.notStarted'));
    } finally {
      setBusy(null);
    }
  };

  const chooseTemplate = (id: TaskTemplate) => {
    setTemplate(id);
    const preset = TEMPLATES.find((x) => x.id === id);
    if (preset) setTask(preset.task);
  };

  return (
    <div className="view">
      <header className="view-header"><h1>{t('newAnalysis.title')}</h1></header>

      <section className="card" aria-labelledby="docs-heading">
        <h2 id="docs-heading">{t('newAnalysis.docs')}</h2>
        <div
          className={dragging ? 'dropzone dropzone-active' : 'dropzone'}
          data-testid="dropzone"
          onDragOver={(e) => { e.preventDefault(); setDragging(true); }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
        >
          <p>{t('newAnalysis.drop')}</p>
          <button type="button" className="btn" onClick={() => void pick()} disabled={previewing}>{t('newAnalysis.add')}</button>
        </div>
        {previewing ? <p className="muted" role="status">{t('newAnalysis.reading')}</p> : null}
        {docsError ? <ErrorPanel title={t('newAnalysis.docsFailed')} error={docsError} /> : null}
        {docs.length > 0 ? (
          <ul className="doc-list" aria-label={t('newAnalysis.docList')}>
            {docs.map((d) => <DocumentCard key={d.path} doc={d} onRemove={() => setDocs((prev) => prev.filter((x) => x.path !== d.path))} />)}
          </ul>
        ) : null}
      </section>

      <section className="card" aria-labelledby="task-heading">
        <h2 id="task-heading">{t('newAnalysis.task')}</h2>
        <fieldset className="templates">
          <legend>{t('newAnalysis.template')}</legend>
          {TEMPLATES.map((preset) => (
            <label key={preset.id} className="chip">
              <input type="radio" name="template" value={preset.id} checked={template === preset.id} onChange={() => chooseTemplate(preset.id)} />
              {t(`template.${preset.id}`)}
            </label>
          ))}
        </fieldset>
        {template === 'question' ? <p className="muted" id="question-instruction">{QUESTION_INSTRUCTION}</p> : null}
        <label className="field">
          <span>{template === 'question' ? t('newAnalysis.question') : t('newAnalysis.taskField')}</span>
          <textarea rows={4} value={task} onChange={(e) => setTask(e.target.value)} aria-describedby={template === 'question' ? 'question-instruction' : undefined} />
        </label>
        {template !== 'question' && template !== 'custom' && task.trim() !== (TEMPLATES.find((preset) => preset.id === template)?.task ?? '') ? (
          <p className="muted" data-testid="task-edited">{t('newAnalysis.edited')}</p>
        ) : null}
        <label className="field">
          <span>{t('newAnalysis.name')}</span>
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={200} />
        </label>
      </section>

      <section className="card" aria-labelledby="model-heading">
        <h2 id="model-heading">{t('newAnalysis.model')}</h2>
        {settingsLoad.status === 'ready' && providers.length === 0 ? (
          <ErrorPanel title={t('newAnalysis.noProvider')} error={NO_PROVIDER} />
        ) : null}
        {settingsLoad.status === 'error' ? <ErrorPanel title={t('newAnalysis.settingsFailed')} error={settingsLoad.error} onRetry={() => void loadSettings()} /> : null}
        <div className="grid-2">
          <label className="field">
            <span>{t('newAnalysis.provider')}</span>
            <select value={providerName} onChange={(e) => { setChosenProvider(e.target.value); setChosenModel(null); }}>
              {providers.length === 0 ? <option value="">{t('newAnalysis.noProviders')}</option> : null}
              {providers.map((p) => <option key={p.name} value={p.name}>{p.name}{p.simulator ? t('newAnalysis.simulatorSuffix') : ''}</option>)}
            </select>
          </label>
          <label className="field">
            <span>{t('newAnalysis.modelField')}</span>
            <input value={model} onChange={(e) => setModel(e.target.value)} />
          </label>
          <label className="field">
            <span>{t('newAnalysis.budget')}</span>
            <input inputMode="decimal" value={budget} onChange={(e) => setBudget(e.target.value)} aria-invalid={budgetInvalid} placeholder={t('newAnalysis.noLimit')} />
            {budgetInvalid ? <span className="field-error">{t('newAnalysis.budgetInvalid')}</span> : null}
          </label>
        </div>
        {profile?.simulator ? <p className="note"><span className="badge badge-simulator">{t('status.simulator')}</span> {t('newAnalysis.simulatorNote')}</p> : null}
      </section>

      <section className="card" aria-labelledby="estimate-heading">
        <h2 id="estimate-heading">{t('newAnalysis.estimate')}</h2>
        {estimateCurrent && estimate ? (
          <dl className="figures" data-testid="estimate">
            <div><dt>{t('newAnalysis.chunks')}</dt><dd>{estimate.value.chunks}</dd></div>
            <div><dt>{t('newAnalysis.tokensLabel')}</dt><dd>{t('newAnalysis.inOut', { input: formatTokens(estimate.value.inputTokens), output: formatTokens(estimate.value.outputTokens) })}</dd></div>
            <div><dt>{t('newAnalysis.cost')}</dt><dd>{estimate.value.costUsd === null ? t('newAnalysis.noPrice') : t('newAnalysis.about', { value: formatCost(estimate.value.costUsd) })}</dd></div>
            <div><dt>{t('newAnalysis.time')}</dt><dd>{estimate.value.seconds === null ? '—' : t('newAnalysis.about', { value: formatDuration(estimate.value.seconds) })}</dd></div>
          </dl>
        ) : (
          <p className="muted">{request ? t('newAnalysis.estimateFirst') : template === 'question' && !task.trim() ? t('newAnalysis.needQuestion') : t('newAnalysis.needTask')}</p>
        )}
        {estimateError ? <ErrorPanel title={t('newAnalysis.noEstimate')} error={estimateError} /> : null}
        {startError ? <ErrorPanel title={t('newAnalysis.notStarted')} error={startError} /> : null}
        <div className="actions">
          <button type="button" className="btn" onClick={() => void runEstimate()} disabled={!request || busy !== null}>
            {busy === 'estimate' ? t('newAnalysis.estimating') : t('newAnalysis.runEstimate')}
          </button>
          <button type="button" className="btn btn-primary" onClick={() => void start()} disabled={!request || !estimateCurrent || busy !== null}>
            {busy === 'start' ? t('newAnalysis.starting') : t('newAnalysis.start')}
          </button>
        </div>
      </section>
    </div>
  );
}
