// Token counting with a real BPE tokenizer (gpt-tokenizer). The encoding is
// chosen by model family; unknown models (Llama, Qwen, DeepSeek...) use
// o200k_base, which is close enough for budgeting and is marked as an estimate
// wherever a count stands in for provider-reported usage.
import { createRequire } from 'node:module';

export type EncodingName = 'o200k_base' | 'cl100k_base';

export interface Tokenizer {
  readonly encoding: EncodingName;
  count(text: string): number;
  encode(text: string): number[];
  decode(tokens: readonly number[]): string;
}

const CL100K_MODELS = /^(gpt-4(?!o|\.1|\.5)|gpt-3\.5|text-embedding-(3|ada))/i;

export function encodingForModel(model: string): EncodingName {
  const bare = model.includes('/') ? model.slice(model.lastIndexOf('/') + 1) : model;
  return CL100K_MODELS.test(bare) ? 'cl100k_base' : 'o200k_base';
}

interface Encoding {
  countTokens(text: string): number;
  encode(text: string): number[];
  decode(tokens: Iterable<number>): string;
}

// An encoding's rank table is megabytes of JavaScript (~100 ms to load each), so
// it is loaded on first use: a resume reaches its first request without it.
const require = createRequire(import.meta.url);
const loaders: Record<EncodingName, () => Encoding> = {
  o200k_base: () => require('gpt-tokenizer/encoding/o200k_base') as Encoding,
  cl100k_base: () => require('gpt-tokenizer/encoding/cl100k_base') as Encoding,
};
const loaded = new Map<EncodingName, Tokenizer>();

export function tokenizerFor(model: string): Tokenizer {
  const name = encodingForModel(model);
  let tk = loaded.get(name);
  if (!tk) {
    const enc = loaders[name]();
    tk = { encoding: name, count: (t) => enc.countTokens(t), encode: (t) => enc.encode(t), decode: (x) => enc.decode(x) };
    loaded.set(name, tk);
  }
  return tk;
}

export function countTokens(text: string, model = 'gpt-4o'): number {
  return tokenizerFor(model).count(text);
}

/** Tokens a chat request costs: content plus the per-message framing OpenAI documents (~4 per message, 3 to prime). */
export function countChatTokens(messages: ReadonlyArray<{ role: string; content: string }>, model = 'gpt-4o'): number {
  const tk = tokenizerFor(model);
  let total = 3;
  for (const m of messages) total += 4 + tk.count(m.content) + tk.count(m.role);
  return total;
}
