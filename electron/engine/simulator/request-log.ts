// What the simulator saw and exactly what it sent, per request. Tests read it
// to prove that a completed step was never requested twice and to measure how
// much streamed text a crash could lose.
import type { FaultKind } from './faults.ts';
import type { LimitKind } from './rate-limits.ts';

export interface SentPiece {
  /** Date.now() when the piece was written to the socket. */
  at: number;
  text: string;
}

export interface RequestLogEntry {
  seq: number;
  time: string;
  method: string;
  path: string;
  model: string | null;
  stream: boolean;
  /** The client's `x-cairn-request-key` header, else the messages hash. */
  requestKey: string;
  messagesHash: string;
  fault: FaultKind | null;
  /** The provider limit this request was refused under (429), if any. */
  limited: LimitKind | null;
  /** Requests of this key open at once when this one was admitted, itself included (0 = not admitted). */
  concurrent: number;
  /** Tokens of the tokens-per-minute allowance this request was charged (0 without that limit, or not admitted). */
  charged: number;
  status: number;
  /** Every byte of the response body, as written. */
  sent: string;
  /** Assistant text written, piece by piece, with the time of each write. */
  content: SentPiece[];
  /** A terminal event (a finish_reason chunk or [DONE]) was written. */
  terminal: boolean;
  /** `data: [DONE]` was written. */
  done: boolean;
  /** The client went away before the response ended. */
  clientClosed: boolean;
  finished: boolean;
}

export class RequestLog {
  readonly entries: RequestLogEntry[] = [];

  /** Entries of chat completion requests only. */
  completions(): RequestLogEntry[] {
    return this.entries.filter((e) => e.path.endsWith('/chat/completions'));
  }

  /** Text of the assistant content sent for one request. */
  static contentText(entry: RequestLogEntry, until = Number.POSITIVE_INFINITY): string {
    return entry.content.filter((p) => p.at <= until).map((p) => p.text).join('');
  }

  /** Requests refused under a provider limit. */
  limited(kind?: LimitKind): RequestLogEntry[] {
    return this.entries.filter((e) => e.limited !== null && (kind === undefined || e.limited === kind));
  }

  /** The most requests of one key that were open at once. */
  maxConcurrent(): number {
    return this.entries.reduce((m, e) => Math.max(m, e.concurrent), 0);
  }

  clear(): void {
    this.entries.length = 0;
  }
}
