// Wire shapes of the OpenAI chat-completions protocol as the simulator speaks
// them: request validation (the simulator is a trust boundary like any server)
// and the exact JSON of chunks, completions and errors.
import { z } from 'zod';

const ContentPartSchema = z.looseObject({ type: z.string(), text: z.string().optional() });

export const ChatRequestSchema = z.looseObject({
  model: z.string().min(1).max(200),
  messages: z
    .array(
      z.looseObject({
        role: z.string().max(50),
        content: z.union([z.string(), z.array(ContentPartSchema), z.null()]).optional(),
      }),
    )
    .min(1)
    .max(10_000),
  stream: z.boolean().nullable().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullable().optional(),
  max_tokens: z.number().int().positive().nullable().optional(),
  max_completion_tokens: z.number().int().positive().nullable().optional(),
});
export type ChatRequest = z.infer<typeof ChatRequestSchema>;

export function messageText(content: ChatRequest['messages'][number]['content']): string {
  if (typeof content === 'string') return content;
  if (!content) return '';
  return content.map((p) => p.text ?? '').join('');
}

export interface UsageJson {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export function errorBody(message: string, type: string, code: string | null, param: string | null = null): string {
  return JSON.stringify({ error: { message, type, param, code } });
}

export function chunkJson(
  id: string,
  created: number,
  model: string,
  delta: Record<string, string>,
  finishReason: string | null,
  withUsageField: boolean,
): string {
  const body: Record<string, unknown> = {
    id,
    object: 'chat.completion.chunk',
    created,
    model,
    system_fingerprint: null,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  };
  if (withUsageField) body['usage'] = null;
  return JSON.stringify(body);
}

export function usageChunkJson(id: string, created: number, model: string, usage: UsageJson): string {
  return JSON.stringify({ id, object: 'chat.completion.chunk', created, model, system_fingerprint: null, choices: [], usage });
}

export function completionJson(
  id: string,
  created: number,
  model: string,
  text: string,
  finishReason: string,
  usage: UsageJson | null,
): string {
  return JSON.stringify({
    id,
    object: 'chat.completion',
    created,
    model,
    system_fingerprint: null,
    choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null }, logprobs: null, finish_reason: finishReason }],
    ...(usage ? { usage } : {}),
  });
}
