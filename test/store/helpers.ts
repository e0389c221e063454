import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SessionConfig } from '../../shared/domain.ts';
import { CheckpointStore } from '../../electron/store/checkpoint-store.ts';

export const config: SessionConfig = {
  task: 'Summarise the obligations.',
  template: 'custom',
  provider: {
    name: 'Simulator',
    baseUrl: 'http://127.0.0.1:9/v1',
    model: 'sim-1',
    headers: {},
    keySource: { kind: 'none' },
    simulator: true,
  },
  documents: [],
  chunkTokens: 1_500,
  overlapTokens: 100,
  concurrency: 4,
  budgetUsd: null,
  resumePolicy: 'restart',
  temperature: 0,
  maxAttempts: 8,
};

export const usage = (i = 10, o = 20, c = 0.001) => ({ inputTokens: i, outputTokens: o, costUsd: c, estimated: false });

const made: string[] = [];

export function tempDir(label = 'store'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `cairn-${label}-`));
  made.push(dir);
  return dir;
}

export function cleanupTempDirs(): void {
  while (made.length) fs.rmSync(made.pop() as string, { recursive: true, force: true });
}

export function openStore(dataDir = tempDir(), now?: () => Date): CheckpointStore {
  return CheckpointStore.open({ dataDir, appVersion: '0.1.0-test', ...(now ? { now } : {}) });
}

export const NODE = process.execPath;
export const CHILDREN = path.join(import.meta.dirname, 'children');
