// One provider profile as an `openai` SDK client. SDK retries are off: every
// attempt goes through Cairn's retry policy so that it is visible and
// checkpointed. Streams ask for usage in the final chunk and fall back to a
// request without `stream_options` for servers that reject it.
import OpenAI from 'openai';
import type { APIPromise } from 'openai/core/api-promise';
import type { Stream } from 'openai/core/streaming';
import type { ChatCompletionChunk, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { ProviderProfile } from '../../../shared/domain.ts';
import { classifyError, type EngineError, type ErrorContext } from '../errors.ts';
import { REQUEST_KEY_HEADER } from '../simulator/server.ts';
import { type KeyDeps, resolveApiKey } from './keys.ts';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatParams {
  messages: readonly ChatMessage[];
  temperature?: number;
  maxTokens?: number;
}

export interface StreamOptions {
  signal?: AbortSignal;
  /** Called with every piece of the response body as it arrives (SSE comments included): stall and [DONE] detection. */
  onBytes?: (bytes: Uint8Array) => void;
  /** Sent to the simulator so its log can tell steps apart; never sent to real providers. */
  requestKey?: string;
  /** Called with the response's headers when it starts (they carry the provider's rate limits). */
  onHeaders?: (headers: Headers) => void;
}

export interface ProviderClientOptions extends KeyDeps {
  /** Time allowed until response headers arrive. Default 10 min: long prompts are slow to start. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export type { ChatCompletionChunk };

function toSdkMessages(messages: readonly ChatMessage[]): ChatCompletionMessageParam[] {
  return messages.map((m) => ({ role: m.role, content: m.content }));
}

/** Wraps the body so every byte that arrives is noticed (the SDK only surfaces whole events). */
function watchingFetch(base: typeof fetch, onBytes: (bytes: Uint8Array) => void): typeof fetch {
  return async (input, init) => {
    const res = await base(input, init);
    if (!res.body) return res;
    const watched = res.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          onBytes(chunk);
          controller.enqueue(chunk);
        },
      }),
    );
    return new Response(watched, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}

export class ProviderClient {
  readonly profile: ProviderProfile;
  readonly keySource: string;
  // Private so that logging or serialising the client can never print the key the SDK holds.
  readonly #sdk: OpenAI;
  readonly #secret: string;
  readonly #fetch: typeof fetch;
  /** Learned on the first rejection; then usage is counted locally. */
  supportsStreamUsage = true;

  constructor(profile: ProviderProfile, key: { apiKey: string; source: string; headers?: Record<string, string> }, opts: ProviderClientOptions = {}) {
    this.profile = profile;
    this.keySource = key.source;
    this.#secret = key.apiKey;
    this.#fetch = opts.fetch ?? globalThis.fetch;
    this.#sdk = new OpenAI({
      baseURL: profile.baseUrl,
      apiKey: key.apiKey,
      maxRetries: 0,
      timeout: opts.timeoutMs ?? 600_000,
      defaultHeaders: { ...profile.headers, ...key.headers },
      fetch: this.#fetch,
      // The SDK would log malformed chunks to the console; Cairn reports them as classified errors instead.
      logLevel: 'off',
    });
  }

  toJSON(): { profile: string; model: string; keySource: string } {
    return { profile: this.profile.name, model: this.profile.model, keySource: this.keySource };
  }

  errorContext(): ErrorContext {
    return { provider: this.profile.name, keySource: this.keySource, model: this.profile.model, secret: this.#secret, baseUrl: this.profile.baseUrl };
  }

  /** Opens a streamed chat completion. Errors before the first byte are thrown as-is (classify them). */
  async openStream(params: ChatParams, opts: StreamOptions = {}): Promise<AsyncIterable<ChatCompletionChunk>> {
    const client = opts.onBytes ? this.#sdk.withOptions({ fetch: watchingFetch(this.#fetch, opts.onBytes) }) : this.#sdk;
    const headers: Record<string, string> = {};
    if (this.profile.simulator && opts.requestKey) headers[REQUEST_KEY_HEADER] = opts.requestKey;
    const body = {
      model: this.profile.model,
      messages: toSdkMessages(params.messages),
      stream: true as const,
      ...(params.temperature === undefined ? {} : { temperature: params.temperature }),
      ...(params.maxTokens === undefined ? {} : { max_tokens: params.maxTokens }),
    };
    const reqOpts = { signal: opts.signal, headers };
    const opened = async (call: APIPromise<Stream<ChatCompletionChunk>>): Promise<AsyncIterable<ChatCompletionChunk>> => {
      const { data, response } = await call.withResponse();
      opts.onHeaders?.(response.headers);
      return data;
    };
    if (!this.supportsStreamUsage) return opened(client.chat.completions.create(body, reqOpts));
    try {
      return await opened(client.chat.completions.create({ ...body, stream_options: { include_usage: true } }, reqOpts));
    } catch (err) {
      if (err instanceof OpenAI.BadRequestError && (err.param === 'stream_options' || /stream_options|include_usage/i.test(err.message))) {
        this.supportsStreamUsage = false;
        return opened(client.chat.completions.create(body, reqOpts));
      }
      throw err;
    }
  }

  async listModels(signal?: AbortSignal): Promise<string[]> {
    const ids: string[] = [];
    for await (const m of this.#sdk.models.list({ signal })) {
      ids.push(m.id);
      if (ids.length >= 5_000) break;
    }
    return ids;
  }

  /** A one-token, non-streamed completion: the cheapest proof that the model answers. */
  async ping(signal?: AbortSignal): Promise<void> {
    await this.#sdk.chat.completions.create(
      { model: this.profile.model, messages: [{ role: 'user', content: 'Reply with OK.' }], max_tokens: 1 },
      { signal },
    );
  }

  /** For a 404: adds what the provider does offer, when it will say. */
  async withAvailableModels(err: EngineError): Promise<EngineError> {
    if (err.category !== 'model_not_found' || err.availableModels.length > 0) return err;
    try {
      err.availableModels = await this.listModels(AbortSignal.timeout(15_000));
    } catch {
      // The listing is a courtesy; the 404 itself is the error to report.
    }
    return err;
  }

  classify(err: unknown, opts: { stalled?: boolean; stallMs?: number; nowMs?: number } = {}): EngineError {
    return classifyError(err, this.errorContext(), opts);
  }
}

export async function createProviderClient(profile: ProviderProfile, opts: ProviderClientOptions = {}): Promise<ProviderClient> {
  const key = await resolveApiKey(profile, opts);
  return new ProviderClient(profile, key, opts);
}
