// A real OpenAI-compatible HTTP server on 127.0.0.1 for offline use and for
// every fault test: deterministic text at a configurable speed, faults on
// demand (at start, over an admin endpoint, or through the returned API), and
// a log of what was sent.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { countChatTokens, countTokens } from '../tokens.ts';
import { type Fault, FaultQueue, type FaultRule, FaultRuleSpecSchema, type RequestInfo } from './faults.ts';
import { generateReply, messagesHash, splitIntoTokens } from './generator.ts';
import { ProviderLimits, type RateLimits } from './rate-limits.ts';
import { ChatRequestSchema, chunkJson, completionJson, errorBody, messageText, usageChunkJson, type UsageJson } from './protocol.ts';
import { RequestLog, type RequestLogEntry } from './request-log.ts';
import { SIMULATOR_MODEL } from '../../../shared/providers.ts';

export const REQUEST_KEY_HEADER = 'x-cairn-request-key';

export interface SimulatorOptions {
  host?: string;
  /** 0 = any free port. */
  port?: number;
  /** Approximate answer length in words (≈ streamed chunks). Default 120. */
  words?: number;
  /** Streaming speed in chunks per second; 0 = as fast as possible. Default 0. */
  tokensPerSecond?: number;
  /** Time to first token: a stream's first content chunk waits this long after the headers. Default 0. */
  firstTokenMs?: number;
  /** Per-key limits (by Authorization header): requests/min, tokens/min, open streams; over one → 429. Default none. */
  rateLimits?: RateLimits;
  models?: string[];
  /** When set, requests must carry `Authorization: Bearer <apiKey>`, else 401. */
  apiKey?: string | null;
  /** Requests whose prompt exceeds this many tokens get 400 context_length_exceeded. */
  contextTokens?: number | null;
  /** false: GET /v1/models answers 404, as some gateways do. Default true. */
  listModels?: boolean;
  faults?: FaultRule[];
}

export interface Simulator {
  url: string;
  /** The base URL an OpenAI client uses: `${url}/v1`. */
  baseURL: string;
  port: number;
  log: RequestLog;
  faults: FaultQueue;
  setFaults(rules: FaultRule[]): void;
  /** Change speed, length or limits while running (new limits start every key afresh). */
  configure(patch: Pick<SimulatorOptions, 'tokensPerSecond' | 'firstTokenMs' | 'words' | 'contextTokens' | 'listModels' | 'rateLimits'>): void;
  close(): Promise<void>;
}

const AdminFaultsSchema = z.strictObject({
  rules: z.array(FaultRuleSpecSchema).max(1_000),
  replace: z.boolean().optional(),
});

const MAX_BODY = 32 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (b: Buffer) => {
      size += b.length;
      if (size > MAX_BODY) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      parts.push(b);
    });
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const settings = {
    words: opts.words ?? 120,
    tokensPerSecond: opts.tokensPerSecond ?? 0,
    firstTokenMs: opts.firstTokenMs ?? 0,
    contextTokens: opts.contextTokens ?? null,
    listModels: opts.listModels ?? true,
  };
  const models = opts.models ?? [SIMULATOR_MODEL];
  const faults = new FaultQueue();
  faults.set(opts.faults ?? []);
  const log = new RequestLog();
  const limits = new ProviderLimits(opts.rateLimits ?? {});
  let seq = 0;
  let closed = false;
  const openResponses = new Set<ServerResponse>();

  function newEntry(req: IncomingMessage, path: string): RequestLogEntry {
    seq += 1;
    const entry: RequestLogEntry = {
      seq,
      time: new Date().toISOString(),
      method: req.method ?? 'GET',
      path,
      model: null,
      stream: false,
      requestKey: '',
      messagesHash: '',
      fault: null,
      limited: null,
      concurrent: 0,
      charged: 0,
      status: 0,
      sent: '',
      content: [],
      terminal: false,
      done: false,
      clientClosed: false,
      finished: false,
    };
    log.entries.push(entry);
    return entry;
  }

  function send(res: ServerResponse, entry: RequestLogEntry | null, status: number, body: string, headers: Record<string, string> = {}): void {
    if (entry) {
      entry.status = status;
      entry.sent += body;
      entry.finished = true;
    }
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(body);
  }

  function faultResponse(res: ServerResponse, entry: RequestLogEntry, fault: Fault, model: string): boolean {
    switch (fault.kind) {
      case 'rate_limit': {
        const headers: Record<string, string> = {};
        if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = String(fault.retryAfterMs);
        if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
        if (fault.retryAfterDate !== undefined) headers['retry-after'] = fault.retryAfterDate;
        send(res, entry, 429, errorBody(`Rate limit reached for ${model} (simulated). Please try again later.`, 'requests', 'rate_limit_exceeded'), headers);
        return true;
      }
      case 'server_error':
        send(res, entry, fault.status ?? 500, errorBody('The server had an error while processing your request (simulated).', 'server_error', null));
        return true;
      case 'unauthorized':
        send(res, entry, 401, errorBody('Incorrect API key provided (simulated).', 'invalid_request_error', 'invalid_api_key'));
        return true;
      case 'forbidden':
        send(res, entry, 403, errorBody('You are not allowed to access this model (simulated).', 'permission_error', 'permission_denied'));
        return true;
      case 'model_not_found':
        send(res, entry, 404, errorBody(`The model \`${model}\` does not exist or you do not have access to it.`, 'invalid_request_error', 'model_not_found', 'model'));
        return true;
      case 'context_length':
        send(res, entry, 400, errorBody("This model's maximum context length is 8192 tokens. However, your messages resulted in more tokens. Please reduce the length of the messages.", 'invalid_request_error', 'context_length_exceeded', 'messages'));
        return true;
      default:
        return false;
    }
  }

  async function handleCompletion(req: IncomingMessage, res: ServerResponse, entry: RequestLogEntry): Promise<void> {
    let raw: unknown;
    try {
      raw = JSON.parse(await readBody(req));
    } catch {
      send(res, entry, 400, errorBody('We could not parse the JSON body of your request.', 'invalid_request_error', null));
      return;
    }
    const parsed = ChatRequestSchema.safeParse(raw);
    if (!parsed.success) {
      send(res, entry, 400, errorBody(`Invalid request: ${parsed.error.issues[0]?.message ?? 'bad body'}`, 'invalid_request_error', null));
      return;
    }
    const body = parsed.data;
    const messages = body.messages.map((m) => ({ role: m.role, content: messageText(m.content) }));
    const hash = messagesHash(messages);
    const keyHeader = req.headers[REQUEST_KEY_HEADER];
    entry.model = body.model;
    entry.stream = body.stream === true;
    entry.messagesHash = hash;
    entry.requestKey = typeof keyHeader === 'string' && keyHeader.length > 0 ? keyHeader : hash;

    const info: RequestInfo = {
      seq: entry.seq,
      model: body.model,
      stream: entry.stream,
      requestKey: entry.requestKey,
      messagesHash: hash,
      text: messages.map((m) => m.content).join('\n'),
    };
    const fault = faults.take(info);
    entry.fault = fault?.kind ?? null;
    if (fault && faultResponse(res, entry, fault, body.model)) return;
    if (fault?.kind === 'reject_stream_options' && body.stream_options) {
      send(res, entry, 400, errorBody('Unrecognized request argument supplied: stream_options', 'invalid_request_error', null, 'stream_options'));
      return;
    }
    if (!models.includes(body.model)) {
      send(res, entry, 404, errorBody(`The model \`${body.model}\` does not exist or you do not have access to it.`, 'invalid_request_error', 'model_not_found', 'model'));
      return;
    }
    // Counting loads the tokenizer (~100 ms, in the caller's process when the simulator is built in): only a
    // context limit needs the count before answering; usage is counted when it is sent.
    const limit = settings.contextTokens;
    const promptTokens = limit === null ? null : countChatTokens(messages, body.model);
    if (limit !== null && promptTokens !== null && promptTokens > limit) {
      send(res, entry, 400, errorBody(`This model's maximum context length is ${limit} tokens. However, your messages resulted in ${promptTokens} tokens. Please reduce the length of the messages.`, 'invalid_request_error', 'context_length_exceeded', 'messages'));
      return;
    }

    let pieces = splitIntoTokens(generateReply(messages, { words: settings.words }));
    let finishReason = 'stop';
    const maxTokens = body.max_completion_tokens ?? body.max_tokens ?? null;
    if (maxTokens !== null && pieces.length > maxTokens) {
      pieces = pieces.slice(0, maxTokens);
      finishReason = 'length';
    }
    const text = pieces.join('');
    const usage = (): UsageJson => {
      const prompt = promptTokens ?? countChatTokens(messages, body.model);
      const completion = countTokens(text, body.model);
      return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
    };
    const id = `chatcmpl-sim-${hash.slice(0, 16)}`;
    const created = Math.floor(Date.now() / 1000);
    const withUsage = fault?.kind !== 'no_usage';

    // The allowance a request spends is its prompt plus its answer, as providers count it at admission.
    const cost = limits.limits.tokensPerMinute ? (promptTokens ?? countChatTokens(messages, body.model)) + (maxTokens ?? pieces.length) : 0;
    const expectedMs = settings.firstTokenMs + (settings.tokensPerSecond > 0 ? (pieces.length * 1000) / settings.tokensPerSecond : 0);
    const admission = limits.admit(req.headers.authorization ?? '', cost, expectedMs);
    if (!admission.admitted) {
      entry.limited = admission.limit;
      send(res, entry, 429, errorBody(admission.message, admission.limit === 'tokens' ? 'tokens' : 'requests', 'rate_limit_exceeded'), {
        ...admission.headers, 'retry-after': String(Math.ceil(admission.retryAfterMs / 1000)), 'retry-after-ms': String(admission.retryAfterMs),
      });
      return;
    }
    entry.concurrent = admission.concurrent;
    entry.charged = cost;
    // 'finish' is when the last byte left for the client, which may ask again at once; 'close' covers a drop.
    res.on('finish', admission.release);
    res.on('close', admission.release);
    const limitHeaders = admission.headers;

    if (!entry.stream) {
      if (fault?.kind === 'drop' || fault?.kind === 'stall') {
        if (fault.kind === 'drop') res.socket?.destroy();
        return; // a stall leaves the request hanging until the client gives up or the server closes
      }
      if (fault?.kind === 'malformed' || fault?.kind === 'no_done') {
        entry.status = 200;
        const cut = completionJson(id, created, body.model, text, finishReason, null).slice(0, 40);
        entry.sent += cut;
        res.writeHead(200, { 'content-type': 'application/json', ...limitHeaders });
        res.end(cut);
        entry.finished = true;
        return;
      }
      entry.content.push({ at: Date.now(), text });
      entry.terminal = true;
      send(res, entry, 200, completionJson(id, created, body.model, text, finishReason, withUsage ? usage() : null), limitHeaders);
      return;
    }

    await streamReply(res, entry, { id, created, model: body.model, pieces, finishReason, usage, fault, headers: limitHeaders,
      includeUsage: withUsage && body.stream_options?.include_usage === true });
  }

  async function streamReply(
    res: ServerResponse,
    entry: RequestLogEntry,
    r: { id: string; created: number; model: string; pieces: string[]; finishReason: string; usage: () => UsageJson; fault: Fault | null; includeUsage: boolean; headers: Record<string, string> },
  ): Promise<void> {
    entry.status = 200;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', ...r.headers });
    let gone = false;
    res.on('close', () => {
      gone = true;
      if (!entry.finished) entry.clientClosed = true;
    });
    // A drop must happen after what was "sent" really left the process, or the log would claim text the client never got.
    let lastWrite: Promise<void> = Promise.resolve();
    const write = (data: string): void => {
      const frame = `data: ${data}\n\n`;
      entry.sent += frame;
      lastWrite = new Promise((resolve) => res.write(frame, () => resolve()));
    };
    const cutAt = r.fault && 'afterChunks' in r.fault ? r.fault.afterChunks : Number.POSITIVE_INFINITY;
    const interval = settings.tokensPerSecond > 0 ? 1000 / settings.tokensPerSecond : 0;
    // The headers (and the role chunk) go at once; the first token after the time to first token.
    const start = Date.now() + settings.firstTokenMs;

    write(chunkJson(r.id, r.created, r.model, { role: 'assistant', content: '' }, null, r.includeUsage));
    for (let i = 0; i <= r.pieces.length; i += 1) {
      if (gone || closed) return;
      if (i >= cutAt && r.fault) {
        const kind = r.fault.kind;
        if (kind === 'drop') {
          entry.finished = true;
          await lastWrite;
          res.socket?.destroy();
        } else if (kind === 'no_done') {
          entry.finished = true;
          res.end();
        } else if (kind === 'malformed') {
          const frame = 'data: {"id":"chatcmpl-sim","object":"chat.completion.chunk","choices":[{"delta":{"content":"tru\n\n';
          entry.sent += frame;
          res.write(frame);
          entry.finished = true;
          res.end();
        }
        // 'stall': stop writing and keep the socket open.
        return;
      }
      if (i === r.pieces.length) break;
      if (interval > 0 || start > Date.now()) {
        const due = start + (i + 1) * interval;
        const wait = due - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        if (gone || closed) return;
      }
      const piece = r.pieces[i] as string;
      write(chunkJson(r.id, r.created, r.model, { content: piece }, null, r.includeUsage));
      entry.content.push({ at: Date.now(), text: piece });
    }
    if (r.fault?.kind !== 'no_finish_reason') {
      write(chunkJson(r.id, r.created, r.model, {}, r.finishReason, r.includeUsage));
      entry.terminal = true;
    }
    if (r.includeUsage) write(usageChunkJson(r.id, r.created, r.model, r.usage()));
    write('[DONE]');
    entry.done = true;
    entry.terminal = true;
    entry.finished = true;
    res.end();
  }

  async function handleAdmin(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (path === '/__admin/log' && req.method === 'GET') {
      send(res, null, 200, JSON.stringify({ entries: log.entries }));
    } else if (path === '/__admin/faults' && req.method === 'GET') {
      send(res, null, 200, JSON.stringify({ pending: faults.pending() }));
    } else if (path === '/__admin/faults' && req.method === 'DELETE') {
      faults.clear();
      send(res, null, 200, JSON.stringify({ pending: [] }));
    } else if (path === '/__admin/faults' && req.method === 'POST') {
      let raw: unknown;
      try {
        raw = JSON.parse(await readBody(req));
      } catch {
        send(res, null, 400, JSON.stringify({ error: 'body must be JSON: {"rules":[{"fault":{"kind":"rate_limit"}}]}' }));
        return;
      }
      const parsed = AdminFaultsSchema.safeParse(raw);
      if (!parsed.success) {
        send(res, null, 400, JSON.stringify({ error: z.prettifyError(parsed.error) }));
        return;
      }
      if (parsed.data.replace) faults.clear();
      for (const rule of parsed.data.rules) faults.add(rule);
      send(res, null, 200, JSON.stringify({ pending: faults.pending() }));
    } else {
      send(res, null, 404, JSON.stringify({ error: `no admin route ${req.method} ${path}` }));
    }
  }

  function authorised(req: IncomingMessage): boolean {
    if (!opts.apiKey) return true;
    return req.headers.authorization === `Bearer ${opts.apiKey}`;
  }

  const server = createServer((req, res) => {
    openResponses.add(res);
    res.on('close', () => openResponses.delete(res));
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname.replace(/\/+$/, '');
    const route = async (): Promise<void> => {
      if (path.startsWith('/__admin/')) return handleAdmin(req, res, path);
      const entry = newEntry(req, path);
      if (!authorised(req)) {
        // Like some real providers, echo the rejected key: the engine must scrub it from everything it shows.
        const given = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
        send(res, entry, 401, errorBody(`Incorrect API key provided: ${given}. You can find your API key in your account settings.`, 'invalid_request_error', 'invalid_api_key'));
        return;
      }
      if (path === '/v1/models' && req.method === 'GET' && settings.listModels) {
        const created = Math.floor(Date.now() / 1000);
        send(res, entry, 200, JSON.stringify({ object: 'list', data: models.map((id) => ({ id, object: 'model', created, owned_by: SIMULATOR_MODEL })) }));
      } else if (path === '/v1/chat/completions' && req.method === 'POST') {
        await handleCompletion(req, res, entry);
      } else {
        send(res, entry, 404, errorBody(`Unknown route ${req.method} ${path}`, 'invalid_request_error', 'unknown_url'));
      }
    };
    route().catch((err: unknown) => {
      if (!res.headersSent) send(res, null, 500, errorBody(`simulator failure: ${String(err)}`, 'server_error', null));
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${opts.host ?? '127.0.0.1'}:${port}`;

  return {
    url,
    baseURL: `${url}/v1`,
    port,
    log,
    faults,
    setFaults: (rules) => faults.set(rules),
    configure(patch) {
      if (patch.tokensPerSecond !== undefined) settings.tokensPerSecond = patch.tokensPerSecond;
      if (patch.firstTokenMs !== undefined) settings.firstTokenMs = patch.firstTokenMs;
      if (patch.rateLimits !== undefined) limits.set(patch.rateLimits);
      if (patch.words !== undefined) settings.words = patch.words;
      if (patch.contextTokens !== undefined) settings.contextTokens = patch.contextTokens;
      if (patch.listModels !== undefined) settings.listModels = patch.listModels;
    },
    close: () =>
      new Promise<void>((resolve) => {
        closed = true;
        for (const res of openResponses) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
