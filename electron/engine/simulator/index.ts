export { startSimulator, REQUEST_KEY_HEADER, type Simulator, type SimulatorOptions } from './server.ts';
export { FaultQueue, FaultSchema, FaultRuleSpecSchema, type Fault, type FaultKind, type FaultRule, type FaultRuleSpec, type RequestInfo } from './faults.ts';
export { RequestLog, type RequestLogEntry, type SentPiece } from './request-log.ts';
export {
  CONTINUATION_INSTRUCTION, CONTINUATION_OVERLAP_WORDS, extractMarkers, extractPassages, generateAnalysis, generateReply,
  messagesHash, splitIntoTokens, type ChatMessageLike, type GenerateOptions,
} from './generator.ts';
export { FaultFlagError, parseFaultFlag } from './fault-flags.ts';
