// How a text is kept in the blobs table (schema v3). The key is the SHA-256 of
// the UTF-8 text as 32 raw bytes; the text itself is stored deflated when that
// is smaller (model answers roughly halve), else as its UTF-8 bytes. The hash
// always covers the text, never the stored bytes, so a text's address does not
// depend on how it was stored, and reading checks the decoded length.
import { createHash } from 'node:crypto';
import { constants, deflateRawSync, inflateRawSync } from 'node:zlib';
import { StoreError } from './errors.ts';

export const CODEC_UTF8 = 0;
export const CODEC_DEFLATE = 1;

/** Texts shorter than this are stored as they are: deflate would not pay for its own header. */
const MIN_COMPRESS_BYTES = 64;
/** Large texts are deflated fast rather than small, so one huge answer does not hold the writer up. */
const FAST_ABOVE_BYTES = 4 * 1024 * 1024;

/** How a text is stored; its key (hashText) is computed by the caller, once. */
export interface EncodedBlob {
  size: number;
  codec: number;
  data: Buffer;
}

export function hashText(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

export function encodeBlob(text: string): EncodedBlob {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length >= MIN_COMPRESS_BYTES) {
    const level = bytes.length > FAST_ABOVE_BYTES ? constants.Z_BEST_SPEED : constants.Z_DEFAULT_COMPRESSION;
    const packed = deflateRawSync(bytes, { level });
    if (packed.length < bytes.length) return { size: bytes.length, codec: CODEC_DEFLATE, data: packed };
  }
  return { size: bytes.length, codec: CODEC_UTF8, data: bytes };
}

/** The stored text, or a `corrupt` StoreError naming the blob when its bytes cannot be decoded to the recorded size. */
export function decodeBlob(hashHex: string, codec: unknown, data: unknown, size: unknown): string {
  const damaged = (why: string): StoreError => new StoreError(
    'corrupt',
    `The stored text ${hashHex.slice(0, 12)}… is damaged (${why}).`,
    'Run Verify to see which checkpoints use it, then restore a verified backup.',
  );
  if (!Buffer.isBuffer(data) || typeof size !== 'number' || !Number.isInteger(size) || size < 0) throw damaged('its record is malformed');
  let bytes: Buffer;
  if (codec === CODEC_UTF8) {
    bytes = data;
  } else if (codec === CODEC_DEFLATE) {
    try {
      // Never inflate past the recorded size: a damaged stream cannot balloon memory.
      bytes = inflateRawSync(data, { maxOutputLength: Math.max(1, size) });
    } catch {
      throw damaged('its compressed bytes do not decode');
    }
  } else {
    throw damaged(`unknown encoding ${String(codec)}`);
  }
  if (bytes.length !== size) throw damaged(`${bytes.length} bytes where ${size} were written`);
  return bytes.toString('utf8');
}

export function hexToHash(hex: string): Buffer {
  return Buffer.from(hex, 'hex');
}
