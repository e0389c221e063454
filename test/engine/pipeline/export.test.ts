import { describe, expect, test } from 'vitest';
import { renderExport, type ExportModel } from '../../../electron/engine/pipeline/export.ts';

const model: ExportModel = {
  sessionId: '01JBQ4Z8Y6W2N3XKPRS7TV5M9A', name: 'MSA review', task: 'Extract obligations', provider: 'Simulator', model: 'cairn-sim', simulator: true,
  report: '# Obligations\n\n- Supplier pays within 30 days [p. 4]\n- <img src=x onerror=alert(1)> <script>alert(2)</script>',
  findings: [{
    index: 0, label: 'p. 4', text: '**Payment** within 30 days [p. 4]', quoteCheck: 'no-quote',
    document: { name: 'msa.pdf', sha256: 'a'.repeat(64) }, pages: { from: 4, to: 4 }, section: { key: '3.2', path: ['3 Fees', '3.2 Payment'] },
  }],
  citations: [
    { label: 'p. 4', chunkIndex: 0, valid: true, document: { name: 'msa.pdf', sha256: 'a'.repeat(64) }, pages: { from: 4, to: 4 }, section: null },
    { label: 'p. 99', chunkIndex: null, valid: false, document: null, pages: null, section: null },
  ],
  skippedDocuments: [],
  failedChunks: [], usage: { inputTokens: 10, outputTokens: 5, costUsd: 0, estimated: false }, checkpointId: '01JBQ4Z8Y6W2N3XKPRS7TV5M9B', exportedAt: '2026-11-27T12:00:00.000Z',
};

describe('export', () => {
  test('markdown carries the report, the simulator label and flagged citations', () => {
    const md = renderExport(model, 'md');
    expect(md).toContain('Supplier pays within 30 days [p. 4]');
    expect(md).toContain('simulator');
    expect(md).toContain('[p. 99]');
  });

  test('json has findings with sources, usage and the checkpoint id', () => {
    const j = JSON.parse(renderExport(model, 'json')) as Record<string, unknown>;
    expect(j.checkpointId).toBe(model.checkpointId);
    expect(j.findings).toEqual([{
      index: 0, source: 'p. 4', text: model.findings[0]!.text, quoteCheck: 'no-quote',
      document: { name: 'msa.pdf', sha256: 'a'.repeat(64) }, pages: { from: 4, to: 4 }, section: { key: '3.2', path: ['3 Fees', '3.2 Payment'] },
    }]);
    expect(j.usage).toEqual(model.usage);
  });

  test('html escapes model output and forbids scripts', () => {
    const html = renderExport(model, 'html');
    expect(html).not.toMatch(/<script>alert/);
    expect(html).not.toMatch(/<img /);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('<strong>Payment</strong>');
  });
});

describe('default session names', () => {
  test('say which document and what kind of analysis', async () => {
    const { defaultSessionName } = await import('../../../electron/engine/pipeline/prompts.ts');
    expect(defaultSessionName(['/data/contract.pdf'], 'obligations', 'ignored')).toBe('contract.pdf — Obligations with deadlines');
    expect(defaultSessionName(['/a/x.md', '/a/y.md'], 'custom', 'Find every clause that mentions   indemnity and the cap that applies to it in the agreement')).toBe('x.md +1 — Find every clause that mentions indemnity and the cap that…');
  });
});
