/** `agent-chat eval`: cases, the runner, graders and reports (docs/evals.md). */
export { EvalCasesError, loadCases, parseCases } from './load-cases.ts';
export { applyEvents, playCase, type Transcript, type TurnRun } from './play-case.ts';
export { assistantText, grade, type GradeContext, type GradeResult, graderLabel } from './graders.ts';
export { type CaseResult, type EvalOptions, type EvalVariant, runCase, runEval, withModel } from './run-eval.ts';
export { EvalSetupError, type EvalEnvironment, type EvalEnvironmentOptions, openEvalEnvironment } from './eval-environment.ts';
export { DEFAULT_PRICES, loadPrices, type PriceTable, costOf } from '../usage/prices.ts';
export { type CaseDifference, differences, percentile, summarize, type VariantSummary } from './eval-summary.ts';
export { evalRecord, type EvalRunInfo, MAX_STORED_TEXT } from './eval-record.ts';
export { formatTable } from './report-table.ts';
export { formatJsonl } from './report-jsonl.ts';
export { escapeXml, formatJunit } from './report-junit.ts';
export { threadToCase } from './thread-to-case.ts';
