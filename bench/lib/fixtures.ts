// Shared inputs: the sample contract, a prompt built from it, session configs
// pointing at a simulator, and a long deterministic answer to stream.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SessionConfigSchema, type SessionConfig, type Usage } from '../../shared/domain.ts';
import { generateAnalysis, splitIntoTokens } from '../../electron/engine/simulator/index.ts';
import { simulatorProfileAt } from '../../shared/providers.ts';
import type { ChatMessage } from '../../electron/engine/provider/client.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SAMPLE = path.join(ROOT, 'samples', 'master-services-agreement.md');

export function sessionConfig(baseURL: string, patch: Partial<SessionConfig> = {}): SessionConfig {
  return SessionConfigSchema.parse({
    task: 'List every obligation with its deadline and the party that owes it',
    template: 'obligations',
    provider: simulatorProfileAt(baseURL),
    documents: [],
    ...patch,
  });
}

/** A map-step prompt over the first `chars` characters of the sample contract. */
export function samplePrompt(chars = 6_000, tag = ''): ChatMessage[] {
  const text = readFileSync(SAMPLE, 'utf8').slice(0, chars);
  return [
    { role: 'system', content: 'You analyse documents and cite the source markers you were given.' },
    { role: 'user', content: `Task: list every obligation with its deadline and the party that owes it.${tag}\n\n${text}` },
  ];
}

/** The simulator's own answer for that prompt, `tokens` streamed pieces long. */
export function longAnswerPieces(messages: readonly ChatMessage[], tokens: number): string[] {
  return splitIntoTokens(generateAnalysis(messages, { words: tokens }));
}

export const zeroUsage = (input = 0, output = 0): Usage => ({ inputTokens: input, outputTokens: output, costUsd: 0, estimated: false });
