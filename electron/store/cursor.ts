// Opaque pagination cursors: base64url JSON of the last row's sort key.
// Decoding validates the shape, so a tampered cursor is refused, not executed.
import type { z } from 'zod';
import { StoreError } from './errors.ts';

export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor<T extends z.ZodType>(cursor: string, schema: T): z.infer<T> {
  try {
    if (cursor.length > 400) throw new Error('too long');
    return schema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new StoreError('invalid_input', 'The page cursor is not valid.', 'Reload the list from the start.');
  }
}

export function clampLimit(limit: number | undefined, fallback: number, max: number): number {
  if (limit === undefined) return fallback;
  if (!Number.isInteger(limit) || limit < 1) throw new StoreError('invalid_input', `Page size must be a positive integer, not ${limit}.`);
  return Math.min(limit, max);
}
