// Ids are ULIDs: time-ordered, so primary-key order is creation order and the
// timeline can page on the key alone. No id from outside is used unvalidated.
import { monotonicFactory } from 'ulid';
import { IdSchema, type Id } from '../../shared/domain.ts';
import { StoreError } from './errors.ts';

const factory = monotonicFactory();

export function newId(now: Date): Id {
  return factory(now.getTime());
}

export function parseId(raw: unknown, what = 'id'): Id {
  const shown = typeof raw === 'string' ? JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}…` : raw) : typeof raw;
  const result = IdSchema.safeParse(raw);
  if (!result.success) {
    throw new StoreError('invalid_id', `${shown} is not a valid ${what}.`, 'Ids are 26-character codes such as 01JABCDEFGHJKMNPQRSTVWXYZ0.');
  }
  return result.data;
}

const HASH_RE = /^[0-9a-f]{64}$/;
export function parseHash(raw: unknown): string {
  if (typeof raw !== 'string' || !HASH_RE.test(raw)) {
    throw new StoreError('invalid_id', 'Not a content hash (64 hex digits).');
  }
  return raw;
}
