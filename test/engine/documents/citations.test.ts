import { describe, expect, it } from 'vitest';
import { chunkDocument } from '../../../electron/engine/documents/chunker.ts';
import { checkReportCitations, parseCitations, resolveCitations } from '../../../electron/engine/documents/citations.ts';
import { sectionKey } from '../../../electron/engine/documents/section-label.ts';
import { numberedDocument, pagedDocument, paragraph, plainDocument, prng } from './synthetic-document.ts';

describe('parseCitations', () => {
  it('reads page, page-range, section and chunk citations with their position', () => {
    const text = 'Fees rise [p. 12]. Notice [pp. 12–13] and [pp. 4-5]. Liability [§ 3.2]; see [§ 7.1(b); p. 9]. Also [chunk 4].';
    const cites = parseCitations(text);
    expect(cites.map((c) => c.label)).toEqual(['p. 12', 'pp. 12–13', 'pp. 4–5', '§ 3.2', '§ 7.1(b)', 'p. 9', 'chunk 4']);
    expect(cites[0]).toEqual({ label: 'p. 12', raw: '[p. 12]', index: text.indexOf('[p. 12]'), target: { kind: 'pages', first: 12, last: 12 } });
    expect(cites[1]?.target).toEqual({ kind: 'pages', first: 12, last: 13 });
    expect(cites[3]?.target).toEqual({ kind: 'section', key: '3.2' });
    expect(cites[4]?.raw).toBe('[§ 7.1(b); p. 9]');
    expect(cites[5]?.index).toBe(cites[4]?.index);
  });

  it('ignores brackets that are not citations', () => {
    expect(parseCitations('See [1], [sic], [the contract](https://example.test) and [ ]. Array x[0].')).toEqual([]);
  });
});

describe('resolveCitations', () => {
  it('maps page citations to the chunks that hold text from those pages, and flags missing pages', () => {
    const doc = pagedDocument(21, 10, 4);
    const chunks = chunkDocument(doc, { model: 'gpt-4o', chunkTokens: 250, overlapTokens: 20 });
    const resolved = resolveCitations(parseCitations('[p. 3] [pp. 5–6] [p. 40] [pp. 0-0]'), chunks);
    const [p3, p56, p40, p0] = resolved;
    for (const r of [p3, p56]) {
      expect(r?.flagged).toBe(false);
      expect(r?.chunkIndex).not.toBeNull();
    }
    // The chunk really contains text from the cited page.
    const page3 = doc.sourceMap.find((s) => s.page === 3);
    const c3 = chunks[p3?.chunkIndex ?? -1];
    expect(c3 !== undefined && page3 !== undefined && c3.start < page3.end && c3.end > page3.start).toBe(true);
    expect(p56?.chunkIndexes.every((i) => chunks[i]?.source.pages.some((p) => p === 5 || p === 6))).toBe(true);
    expect(p56?.chunkIndexes.length).toBe(chunks.filter((c) => c.source.pages.some((p) => p === 5 || p === 6)).length);
    expect(p40).toMatchObject({ flagged: true, chunkIndex: null, chunkIndexes: [] });
    expect(p0?.flagged).toBe(true);
  });

  it('maps section citations by number or heading text to the chunk holding that section', () => {
    const doc = numberedDocument(4, 5, 3, 2);
    const chunks = chunkDocument(doc, { model: 'gpt-4o', chunkTokens: 300, overlapTokens: 30 });
    const { citations } = checkReportCitations('Late payment [§ 3.2]. Scope [§ 2]. Detail [§ 4.1(a)]. By name [§ Clause 3 of section 5]. Bad [§ 9.9].', chunks);
    const flagged = citations.filter((c) => c.flagged);
    expect(flagged.map((c) => c.label)).toEqual(['§ 9.9']);
    const section = (heading: string) => doc.sourceMap.find((s) => s.headingPath.at(-1) === heading);
    const expectations: Array<[number, string]> = [
      [0, '3.2 Clause 2 of section 3'],
      [1, '2 Section 2 terms'],
      [2, '4.1 Clause 1 of section 4'],
      [3, '5.3 Clause 3 of section 5'],
    ];
    for (const [i, heading] of expectations) {
      const seg = section(heading);
      const chunk = chunks[citations[i]?.chunkIndex ?? -1];
      expect(seg && chunk && chunk.start < seg.end && chunk.end > seg.start).toBe(true);
    }
    expect(chunks[citations[0]?.chunkIndex ?? -1]?.source.sections).toContain('3.2');
  });

  it('maps chunk ordinals for documents with neither pages nor headings', () => {
    const rnd = prng(2);
    const doc = plainDocument(Array.from({ length: 12 }, () => paragraph(rnd)).join('\n\n'));
    const chunks = chunkDocument(doc, { model: 'gpt-4o', chunkTokens: 150, overlapTokens: 0 });
    expect(chunks.length).toBeGreaterThan(2);
    const [second, beyond] = resolveCitations(parseCitations(`[chunk 2] [chunk ${chunks.length + 1}]`), chunks);
    expect(second?.chunkIndex).toBe(1);
    expect(beyond?.flagged).toBe(true);
  });
});

describe('sectionKey', () => {
  it('cites numbered headings by number, named parts by name, and other headings by text', () => {
    expect(sectionKey('3.2 Payment Terms')).toBe('3.2');
    expect(sectionKey('3. Fees and Payment')).toBe('3');
    expect(sectionKey('Section 14.1 Indemnity')).toBe('14.1');
    expect(sectionKey('Schedule 2 — Charges')).toBe('Schedule 2');
    expect(sectionKey('Part A – Run Services')).toBe('Part A');
    expect(sectionKey('2025 Annual Report')).toBe('2025 Annual Report');
    expect(sectionKey('Background')).toBe('Background');
  });
});
