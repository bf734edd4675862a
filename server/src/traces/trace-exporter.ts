import { RunTrace } from '@agent-chat/shared';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { type Resource, resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { Storage, StoredRunTrace } from '../store/storage.ts';
import { toReadableSpan } from './otlp-spans.ts';

/** Where and how traces are exported (OTEL_EXPORTER_OTLP_* and OTEL_SERVICE_NAME). */
export interface OtlpExportConfig {
  /** The full traces URL (`…/v1/traces`). */
  url: string;
  headers: Record<string, string>;
  serviceName: string;
  /** OTEL_RESOURCE_ATTRIBUTES. */
  resourceAttributes: Record<string, string>;
  /** How long one export request may take, the exporter's own retries included (ms). */
  timeoutMs: number;
}

export interface TraceExporterOptions {
  storage: Storage;
  config: OtlpExportConfig;
  log: Logger;
  metrics?: Metrics | undefined;
  now?: () => Date;
  /** Traces per export request. */
  batchSize?: number;
  /** How often storage is looked at when nothing waited (ms). */
  pollMs?: number;
  /** The first wait after a failed export; it doubles up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
}

/** The outcome of one export request. */
type Sent = { ok: true } | { ok: false; permanent: boolean; error: Error };

/**
 * Sends finished runs' traces to an OTLP/HTTP receiver (protobuf), in the background: reads
 * the traces not exported yet, sends them with the official exporter, marks them exported once
 * the receiver accepted them. A failure is retried with a growing wait, and logged once per
 * outage, not per trace; a trace the receiver refuses as malformed (a 4xx other than 429) is
 * given up (logged) so it cannot block the others. Ids come from the stored trace, so a trace
 * sent again (a crash before it was marked) is the same trace to the receiver.
 */
export class TraceExporter {
  #o: Required<Omit<TraceExporterOptions, 'metrics'>> & Pick<TraceExporterOptions, 'metrics'>;
  #exporter: OTLPTraceExporter;
  #resource: Resource;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;
  #backoff = 0;
  #outage = false;

  constructor(options: TraceExporterOptions) {
    this.#o = { now: () => new Date(), batchSize: 50, pollMs: 2000, backoffMs: 1000, maxBackoffMs: 60_000, ...options };
    const { config } = options;
    this.#exporter = new OTLPTraceExporter({ url: config.url, headers: config.headers, timeoutMillis: config.timeoutMs });
    this.#resource = resourceFromAttributes({ ...config.resourceAttributes, 'service.name': config.serviceName });
  }

  /** Starts exporting in the background. */
  start(): void {
    this.#schedule(0);
  }

  /** Stops looking for traces (`drain` still sends what waits). */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  /**
   * Exports what waits now (until `deadlineMs` has passed or an export fails), then stops:
   * the server's close, after the last runs were finished.
   */
  async drain(deadlineMs = 5000): Promise<void> {
    this.stop();
    await this.#running;
    const deadline = Date.now() + deadlineMs;
    while (Date.now() < deadline) {
      const sent = await this.exportBatch();
      if (sent <= 0) break;
    }
    await this.#exporter.shutdown().catch(() => {});
  }

  /**
   * Exports one batch of unexported traces; resolves with how many were sent (0: none waited,
   * -1: the export failed and they wait for the next try).
   */
  async exportBatch(): Promise<number> {
    const traces = await this.#o.storage.traces.unexported(this.#o.batchSize);
    if (traces.length === 0) return 0;
    const spans: ReadableSpan[] = [];
    const bad: string[] = [];
    for (const row of traces) {
      const parsed = parseTrace(row);
      if (parsed) spans.push(...parsed.spans.map((span) => toReadableSpan(span, this.#resource)));
      else bad.push(row.runId);
    }
    if (bad.length > 0) this.#o.log.error('stored run traces could not be read; not exported', undefined, { runIds: bad.join(',') });
    const sent = spans.length === 0 ? ({ ok: true } as const) : await this.#send(spans);
    const runIds = traces.map((t) => t.runId);
    if (sent.ok || sent.permanent) {
      await this.#o.storage.traces.markExported(runIds, this.#o.now().toISOString());
    }
    if (sent.ok) {
      this.#o.metrics?.tracesExported(traces.length - bad.length);
      if (this.#outage) this.#o.log.info('trace export works again');
      this.#outage = false;
      this.#backoff = 0;
      return traces.length;
    }
    this.#o.metrics?.traceExportFailed(traces.length);
    if (sent.permanent) {
      this.#o.log.error('the trace receiver refused traces; they are dropped', sent.error, { runIds: runIds.join(',') });
      return traces.length;
    }
    if (!this.#outage) this.#o.log.warn('trace export failed; retrying with backoff until the receiver answers', sent.error);
    this.#outage = true;
    return -1;
  }

  #send(spans: ReadableSpan[]): Promise<Sent> {
    return new Promise((resolve) => {
      this.#exporter.export(spans, (result) => {
        if (result.code === 0) return resolve({ ok: true });
        const error = result.error ?? new Error('trace export failed');
        const status = (error as { code?: unknown }).code;
        const permanent = typeof status === 'number' && status >= 400 && status < 500 && status !== 408 && status !== 429;
        resolve({ ok: false, permanent, error });
      });
    });
  }

  #schedule(ms: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#running = this.#tick().finally(() => (this.#running = undefined));
    }, ms);
    this.#timer.unref();
  }

  async #tick(): Promise<void> {
    let next = this.#o.pollMs;
    try {
      const sent = await this.exportBatch();
      if (sent === -1) {
        this.#backoff = Math.min(this.#o.maxBackoffMs, this.#backoff === 0 ? this.#o.backoffMs : this.#backoff * 2);
        next = this.#backoff;
      } else if (sent === this.#o.batchSize) {
        next = 0;
      }
    } catch (error) {
      // Storage failed (closed, unreachable): try again later, like a failed export.
      if (!this.#outage) this.#o.log.error('could not read the traces to export', error);
      this.#outage = true;
      next = Math.max(this.#o.pollMs, this.#backoff);
    }
    this.#schedule(next);
  }
}

function parseTrace(row: StoredRunTrace): RunTrace | undefined {
  try {
    const parsed = RunTrace.safeParse(JSON.parse(row.json));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
