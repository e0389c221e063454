// Token counting with a real BPE tokenizer (gpt-tokenizer). The encoding is
// chosen by model family; unknown models (Llama, Qwen, DeepSeek...) use
// o200k_base, which is close enough for budgeting and is marked as an estimate
// wherever a count stands in for provider-reported usage.
import * as cl100k from 'gpt-tokenizer/encoding/cl100k_base';
import * as o200k from 'gpt-tokenizer/encoding/o200k_base';

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

const tokenizers: Record<EncodingName, Tokenizer> = {
  o200k_base: { encoding: 'o200k_base', count: (t) => o200k.countTokens(t), encode: (t) => o200k.encode(t), decode: (x) => o200k.decode(x) },
  cl100k_base: { encoding: 'cl100k_base', count: (t) => cl100k.countTokens(t), encode: (t) => cl100k.encode(t), decode: (x) => cl100k.decode(x) },
};

export function tokenizerFor(model: string): Tokenizer {
  return tokenizers[encodingForModel(model)];
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
