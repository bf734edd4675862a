export * from './guardrail.ts';
export * from './build-guardrail.ts';
export * from './run-guardrails.ts';
export { piiGuardrail, findPii, redactPii, luhnValid, type PiiMatch, type PiiEntity } from './pii.ts';
export { blocklistGuardrail, wordPattern, compilePattern } from './blocklist.ts';
export { maxLengthGuardrail, countWords } from './max-length.ts';
export { promptInjectionGuardrail, INJECTION_PATTERNS } from './prompt-injection.ts';
export { moderationGuardrail, localModeration, LOCAL_MODERATION_LIST } from './moderation.ts';
export { llmJudgeGuardrail, parseVerdict, VERDICT_SCHEMA, type Verdict } from './llm-judge.ts';
