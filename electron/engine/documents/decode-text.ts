// Turns the bytes of a text-like file (txt, md, html) into a string. UTF-8 and
// UTF-16 with a byte-order mark are read exactly; bytes that are not valid
// UTF-8 are read as Latin-1 (Windows-1252, as browsers do) and a warning says
// so, because accented characters may then be wrong. Binary content is refused.
import { DocumentError, displayName } from './document-error.ts';

export interface DecodedText {
  text: string;
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'latin-1';
  warnings: string[];
}

const SAMPLE_BYTES = 64 * 1024;

function binaryError(file: string, why: string): DocumentError {
  const name = displayName(file);
  return new DocumentError('binary', file, `${name} looks like a binary file, not text (${why}).`, 'Add the document in a supported format: pdf, docx, md, txt or html.');
}

/** Share of characters that are control characters other than tab, newline, carriage return and form feed. */
function controlShare(text: string): number {
  const sample = text.length > SAMPLE_BYTES ? text.slice(0, SAMPLE_BYTES) : text;
  if (sample.length === 0) return 0;
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) || c === 0x7f || c === 0xfffd) control++;
  }
  return control / sample.length;
}

export function decodeText(bytes: Uint8Array, file: string): DecodedText {
  const b0 = bytes[0];
  const b1 = bytes[1];
  let decoded: DecodedText;
  if (b0 === 0xef && b1 === 0xbb && bytes[2] === 0xbf) {
    decoded = { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8', warnings: [] };
  } else if (b0 === 0xff && b1 === 0xfe) {
    decoded = { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le', warnings: [] };
  } else if (b0 === 0xfe && b1 === 0xff) {
    decoded = { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be', warnings: [] };
  } else {
    const head = bytes.subarray(0, SAMPLE_BYTES);
    if (head.includes(0)) throw binaryError(file, 'it contains NUL bytes');
    try {
      decoded = { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8', warnings: [] };
    } catch {
      decoded = {
        text: new TextDecoder('windows-1252').decode(bytes),
        encoding: 'latin-1',
        warnings: [`${displayName(file)} is not valid UTF-8; it was read as Latin-1 (Windows-1252). Check accented characters, or save the file as UTF-8.`],
      };
    }
  }
  if (controlShare(decoded.text) > 0.05) throw binaryError(file, 'most of it is not readable text');
  return decoded;
}
