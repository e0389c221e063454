// Texts larger than one blob may be (a 199 MB text file, the chunk list of a data room) are stored as
// several blobs, cut where no character is split, and read back joined. Smaller texts stay one blob, as
// they always were, so sessions written before this read back the same.
import { MAX_BLOB_CHARS } from '../../store/checkpoints.ts';
import type { CheckpointStoreApi } from '../../store/types.ts';

/** The largest part written: well below the store's limit on one blob. */
export const TEXT_PART_CHARS = Math.min(16_000_000, MAX_BLOB_CHARS);

/** `text` cut into parts of at most `partChars` UTF-16 units, never between the two halves of a surrogate pair. */
export function splitText(text: string, partChars: number = TEXT_PART_CHARS): string[] {
  if (partChars < 2) throw new RangeError('partChars must be at least 2');
  const parts: string[] = [];
  let from = 0;
  while (from < text.length) {
    let to = Math.min(text.length, from + partChars);
    const code = text.charCodeAt(to - 1);
    if (to < text.length && code >= 0xd800 && code <= 0xdbff) to -= 1;
    parts.push(text.slice(from, to));
    from = to;
  }
  return parts;
}

/** Stores `text` as blobs of at most `partChars`; their hashes in order. */
export function putTextParts(store: Pick<CheckpointStoreApi, 'putBlob'>, text: string, partChars: number = TEXT_PART_CHARS): string[] {
  return splitText(text, partChars).map((part) => store.putBlob(part));
}

export function readTextParts(store: Pick<CheckpointStoreApi, 'getBlob'>, hashes: readonly string[]): string {
  return hashes.map((h) => store.getBlob(h)).join('');
}
