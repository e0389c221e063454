// HTML manuals put a permalink ("#", "¶") in every heading, and API headings carry brackets
// ("createReadStream([options])"): neither may reach a section label, and a label must stay citable.
import { describe, expect, it } from 'vitest';
import { assembleBlocks } from '../../../electron/engine/documents/assemble.ts';
import { chunkDocument } from '../../../electron/engine/documents/chunker.ts';
import { checkReportCitations, parseCitations } from '../../../electron/engine/documents/citations.ts';
import { htmlToBlocks } from '../../../electron/engine/documents/html-blocks.ts';
import { sectionKey } from '../../../electron/engine/documents/section-label.ts';

const NODE_DOCS = `<html><body>
<h2>Class: FileHandle<span><a class="mark" href="#class-filehandle" id="class-filehandle">#</a></span></h2>
<p>A FileHandle object is an object wrapper for a numeric file descriptor.</p>
<h3><code>filehandle.createReadStream([options])</code><span><a class="mark" href="#filehandlecreatereadstreamoptions">#</a></span></h3>
<p>Unlike the 16 KiB default highWaterMark for a stream.Readable, the stream returned by this method has a default highWaterMark of 64 KiB.</p>
<h3>Sphinx style<a class="headerlink" href="#sphinx-style" title="Link to this heading">¶</a></h3>
<p>Sphinx puts a pilcrow after every heading of the generated manual.</p>
<h3>Programming in C#</h3>
<p>A heading that really ends with a hash keeps it.</p>
</body></html>`;

describe('HTML section labels', () => {
  const doc = { ...assembleBlocks(htmlToBlocks(NODE_DOCS)), pages: null };

  it('drop permalink anchors ("#", "¶") from headings, and keep a "#" that is part of the heading', () => {
    const headings = doc.sourceMap.map((s) => s.headingPath.at(-1));
    expect(headings).toEqual(['Class: FileHandle', 'filehandle.createReadStream([options])', 'Sphinx style', 'Programming in C#']);
  });

  it('turn brackets into parentheses in labels, so a label is one citation', () => {
    expect(sectionKey('filehandle.createReadStream([options])')).toBe('filehandle.createReadStream(options)');
    expect(sectionKey('fs.read(fd[, options], callback)')).toBe('fs.read(fd(, options), callback)');
    const chunks = chunkDocument(doc, { model: 'gpt-4o', chunkTokens: 40, overlapTokens: 0 });
    const label = chunks.find((c) => c.text.includes('64 KiB'))?.source.label;
    expect(label).toBe('§ filehandle.createReadStream(options)');
    expect(parseCitations(`[${label}]`).map((c) => c.label)).toEqual([label]);
    const { citations } = checkReportCitations(`"has a default highWaterMark of 64 KiB" [${label}]`, chunks);
    expect(citations[0]).toMatchObject({ flagged: false, quoteCheck: 'verified' });
  });
});
