// Turns the bytes of a text-like file (txt, md, html) into a string. UTF-8 and
// UTF-16 with a byte-order mark are read exactly; bytes that are not valid
// UTF-8 are decoded in the legacy encoding detected from them (chardet) when it
// is one that legacy Vietnamese, Chinese, Japanese or Korean files use
// (Windows-1258, GB18030, Big5, Shift_JIS, EUC-JP, EUC-KR; iconv-lite decodes
// them), else as Latin-1 (Windows-1252, as browsers do). Either way a warning
// says which encoding was assumed, because characters may then be wrong.
// Binary content is refused.
import chardet from 'chardet';
import iconv from 'iconv-lite';
import { DocumentError, displayName } from './document-error.ts';

/** Legacy encodings chardet may name that Cairn trusts it on, with the name a person knows them by. */
const LEGACY = {
  'windows-1258': 'Windows-1258 (Vietnamese)',
  GB18030: 'GB18030 (simplified Chinese)',
  Big5: 'Big5 (traditional Chinese)',
  Shift_JIS: 'Shift_JIS (Japanese)',
  'EUC-JP': 'EUC-JP (Japanese)',
  'EUC-KR': 'EUC-KR (Korean)',
} as const;
type LegacyEncoding = keyof typeof LEGACY;
/** Below this chardet confidence (0–100) the guess is not taken and Latin-1 is assumed, as before. */
const MIN_CONFIDENCE = 30;

export interface DecodedText {
  text: string;
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'latin-1' | LegacyEncoding;
  warnings: string[];
}

function isLegacy(name: string): name is LegacyEncoding {
  return Object.hasOwn(LEGACY, name);
}

/** The legacy encoding the bytes are most likely in, among those Cairn decodes; null for Latin-1. */
function detectLegacy(bytes: Uint8Array): LegacyEncoding | null {
  const best = chardet.analyse(bytes.subarray(0, SAMPLE_BYTES * 4))[0];
  if (best === undefined || best.confidence < MIN_CONFIDENCE || !isLegacy(best.name)) return null;
  return best.name;
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
      const legacy = detectLegacy(bytes);
      decoded = legacy !== null ? {
        // Windows-1258 writes tone marks as combining characters: compose them, as the rest of Cairn's text is NFC.
        text: iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), legacy).normalize('NFC'),
        encoding: legacy,
        warnings: [`${displayName(file)} is not UTF-8; it was read as ${LEGACY[legacy]}, detected from its bytes. If characters look wrong, save the file as UTF-8.`],
      } : {
        text: new TextDecoder('windows-1252').decode(bytes),
        encoding: 'latin-1',
        warnings: [`${displayName(file)} is not valid UTF-8; it was read as Latin-1 (Windows-1252). Check accented characters, or save the file as UTF-8.`],
      };
    }
  }
  if (controlShare(decoded.text) > 0.05) throw binaryError(file, 'most of it is not readable text');
  return decoded;
}
