/** How runs' traces are written, whether or not they are exported. */
export interface TraceSettings {
  /** `gen_ai.provider.name` of the model calls. */
  provider: string;
  /** Message text and tool arguments/results on the spans (OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT). */
  captureContent: boolean;
}

export const DEFAULT_TRACE_SETTINGS: TraceSettings = { provider: 'openai', captureContent: false };
