// Word documents: mammoth turns the .docx into HTML with its heading styles
// mapped to h1..h6, and the shared HTML walker keeps that structure. Images are
// not embedded (they would only be base64 noise for a language model).
import mammoth from 'mammoth';
import { DocumentError, displayName } from './document-error.ts';
import { htmlToBlocks } from './html-blocks.ts';
import type { FormatResult } from './types.ts';

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0];

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

export async function readDocx(bytes: Uint8Array, file: string): Promise<FormatResult> {
  const name = displayName(file);
  if (startsWith(bytes, OLE_MAGIC)) {
    throw new DocumentError(
      'unsupported-format',
      file,
      `${name} is either an old Word 97–2003 document renamed to .docx or a password-protected .docx; neither can be read.`,
      'Open it in Word or LibreOffice, remove any password, save it as .docx (Word Document), then add the new file.',
    );
  }
  if (!startsWith(bytes, ZIP_MAGIC)) {
    throw new DocumentError('corrupt', file, `${name} is not a valid .docx file (it is not a zip package).`, 'Check the file opens in Word, re-save it as .docx, then add it again.');
  }
  let result;
  try {
    result = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
      { convertImage: mammoth.images.imgElement(async () => ({ src: '' })), externalFileAccess: false },
    );
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new DocumentError('corrupt', file, `${name} could not be read as a Word document (${why}).`, 'Check the file opens in Word, re-save it as .docx, then add it again.', { cause: err });
  }
  const messages = [...new Set(result.messages.map((m) => m.message))];
  const warnings = messages.slice(0, 5).map((m) => `${name}: ${m}`);
  if (messages.length > 5) warnings.push(`${name}: ${messages.length - 5} more conversion notes were not shown.`);
  return { blocks: htmlToBlocks(result.value), pages: null, warnings };
}
