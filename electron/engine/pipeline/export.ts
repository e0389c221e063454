// Exports a session's result as Markdown, JSON or a standalone HTML page.
// Model output is untrusted text: the HTML export escapes everything and runs
// no script (its CSP forbids it), whatever the model wrote.
import type { Usage } from '../../../shared/domain.ts';
import type { QuoteCheck } from '../documents/citations.ts';
import type { CitationState } from './step-keys.ts';

/** Where a finding or a citation points, for machines: null where the document has no such thing (pages in a text file). */
export interface ExportSource {
  document: { name: string; sha256: string } | null;
  pages: { from: number; to: number } | null;
  section: { key: string; path: string[] } | null;
}

export interface ExportModel {
  sessionId: string;
  name: string;
  task: string;
  provider: string;
  model: string;
  simulator: boolean;
  report: string | null;
  findings: Array<{ index: number; label: string; text: string; quoteCheck: QuoteCheck } & ExportSource>;
  citations: Array<CitationState & ExportSource>;
  skippedDocuments: Array<{ name: string; code: string; message: string }>;
  failedChunks: number[];
  usage: Usage;
  checkpointId: string | null;
  exportedAt: string;
}

export type ExportFormat = 'md' | 'json' | 'html';

function header(m: ExportModel): string[] {
  const lines = [
    `- Task: ${m.task}`,
    `- Model: ${m.model} via ${m.provider}${m.simulator ? ' (the built-in simulator: not a real model\'s output)' : ''}`,
    `- Tokens: ${m.usage.inputTokens} in, ${m.usage.outputTokens} out${m.usage.estimated ? ' (estimated)' : ''}; cost $${m.usage.costUsd.toFixed(4)}`,
    `- Checkpoint: ${m.checkpointId ?? 'none'}; exported ${m.exportedAt}`,
  ];
  const invalid = m.citations.filter((c) => !c.valid);
  if (invalid.length) lines.push(`- Citations that point at no passage: ${invalid.map((c) => `[${c.label}]`).join(', ')}`);
  const checked = m.citations.filter((c) => c.quoteCheck === 'verified' || c.quoteCheck === 'unverified');
  if (checked.length) {
    const unverified = checked.filter((c) => c.quoteCheck === 'unverified');
    lines.push(`- Quotes checked against the passage they cite: ${checked.length - unverified.length} of ${checked.length} verified`);
    if (unverified.length) lines.push(`- Unverified (not in the cited passage): ${unverified.map((c) => `"${c.quote ?? ''}" [${c.label}]`).join('; ')}`);
  }
  for (const d of m.skippedDocuments) lines.push(`- Skipped ${d.name}: ${d.message}`);
  if (m.failedChunks.length) lines.push(`- Passages not analysed (failed): ${m.failedChunks.map((i) => `#${i + 1}`).join(', ')}`);
  return lines;
}

export function toMarkdown(m: ExportModel): string {
  const out = [`# ${m.name}`, '', ...header(m), '', '## Report', '', m.report?.trim() || '_No report yet._', '', '## Findings by passage', ''];
  for (const f of m.findings) out.push(`### ${f.index + 1}. [${f.label}]`, '', f.text.trim(), '');
  return out.join('\n');
}

export function toJson(m: ExportModel): string {
  return JSON.stringify({
    format: 'cairn-export', version: 1,
    session: { id: m.sessionId, name: m.name, task: m.task, provider: m.provider, model: m.model, simulator: m.simulator },
    report: m.report, citations: m.citations,
    findings: m.findings.map((f) => ({ index: f.index, source: f.label, document: f.document, pages: f.pages, section: f.section, quoteCheck: f.quoteCheck, text: f.text })),
    skippedDocuments: m.skippedDocuments,
    failedChunks: m.failedChunks, usage: m.usage, checkpointId: m.checkpointId, exportedAt: m.exportedAt,
  }, null, 2);
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A small, safe Markdown subset: headings, lists, emphasis, paragraphs. Everything else is text. */
export function markdownToSafeHtml(md: string): string {
  const html: string[] = [];
  let list: 'ul' | 'ol' | null = null;
  let para: string[] = [];
  const inline = (s: string) => escapeHtml(s).replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>').replace(/`([^`]+)`/g, '<code>$1</code>');
  const flushPara = () => {
    if (para.length) html.push(`<p>${inline(para.join(' '))}</p>`);
    para = [];
  };
  const closeList = () => {
    if (list) html.push(`</${list}>`);
    list = null;
  };
  for (const raw of md.split('\n')) {
    const line = raw.trimEnd();
    const h = /^(#{1,6})\s+(.*)$/.exec(line);
    const ul = /^\s*[-*]\s+(.*)$/.exec(line);
    const ol = /^\s*\d+[.)]\s+(.*)$/.exec(line);
    if (h) {
      flushPara();
      closeList();
      const level = Math.min(6, h[1]!.length + 1);
      html.push(`<h${level}>${inline(h[2]!)}</h${level}>`);
    } else if (ul || ol) {
      flushPara();
      const kind = ul ? 'ul' : 'ol';
      if (list !== kind) {
        closeList();
        html.push(`<${kind}>`);
        list = kind;
      }
      html.push(`<li>${inline((ul ?? ol)![1]!)}</li>`);
    } else if (!line.trim()) {
      flushPara();
      closeList();
    } else {
      closeList();
      para.push(line.trim());
    }
  }
  flushPara();
  closeList();
  return html.join('\n');
}

export function toHtml(m: ExportModel): string {
  const meta = header(m).map((l) => `<li>${escapeHtml(l.replace(/^- /, ''))}</li>`).join('');
  const findings = m.findings.map((f) => `<section><h3>${f.index + 1}. [${escapeHtml(f.label)}]</h3>${markdownToSafeHtml(f.text)}</section>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(m.name)} — Cairn report</title>
<style>body{font:16px/1.55 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1b1f24;background:#fff}h1,h2,h3{line-height:1.25}ul.meta{color:#444;font-size:.9rem}section{border-top:1px solid #ddd;margin-top:1rem}code{background:#f2f2f2;padding:0 .2rem}@media (prefers-color-scheme:dark){body{background:#14171a;color:#e6e6e6}ul.meta{color:#b8b8b8}code{background:#2a2e33}}</style>
</head><body>
<h1>${escapeHtml(m.name)}</h1>
<ul class="meta">${meta}</ul>
<h2>Report</h2>
${m.report ? markdownToSafeHtml(m.report) : '<p><em>No report yet.</em></p>'}
<h2>Findings by passage</h2>
${findings}
</body></html>
`;
}

export function renderExport(m: ExportModel, format: ExportFormat): string {
  return format === 'md' ? toMarkdown(m) : format === 'json' ? toJson(m) : toHtml(m);
}
