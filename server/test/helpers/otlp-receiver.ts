import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import protobuf from 'protobufjs';

/**
 * The OTLP trace messages a receiver decodes, with the field numbers of
 * opentelemetry/proto/{collector/trace,trace,resource,common}/v1 (only what a trace export carries).
 */
const OTLP_TRACE_PROTO = `
syntax = "proto3";
package otlp;
message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; string schema_url = 3; }
message Resource { repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2; }
message ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; string schema_url = 3; }
message InstrumentationScope { string name = 1; string version = 2; repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4; }
message Span {
  bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; bytes parent_span_id = 4; fixed32 flags = 16;
  string name = 5; int32 kind = 6; fixed64 start_time_unix_nano = 7; fixed64 end_time_unix_nano = 8;
  repeated KeyValue attributes = 9; uint32 dropped_attributes_count = 10;
  repeated Event events = 11; uint32 dropped_events_count = 12;
  repeated Link links = 13; uint32 dropped_links_count = 14; Status status = 15;
}
message Event { fixed64 time_unix_nano = 1; string name = 2; repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4; }
message Link { bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; repeated KeyValue attributes = 4; uint32 dropped_attributes_count = 5; fixed32 flags = 6; }
message Status { string message = 2; int32 code = 3; }
message KeyValue { string key = 1; AnyValue value = 2; }
message AnyValue {
  oneof value { string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4; ArrayValue array_value = 5; KeyValueList kvlist_value = 6; bytes bytes_value = 7; }
}
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
`;

const Request = protobuf.parse(OTLP_TRACE_PROTO, { keepCase: true }).root.lookupType('otlp.ExportTraceServiceRequest');

type AttrValue = string | number | boolean | AttrValue[];

/** A span as received, decoded: ids in hex, times in ms, attributes as plain values. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  /** OTLP SpanKind: 1 internal, 3 client. */
  kind: number;
  startMs: number;
  endMs: number;
  /** OTLP StatusCode: 0 unset, 1 ok, 2 error. */
  status: { code: number; message: string };
  attributes: Record<string, AttrValue>;
  events: Array<{ name: string; timeMs: number; attributes: Record<string, AttrValue> }>;
  resource: Record<string, AttrValue>;
  scope: string;
}

/** One export request as it arrived. */
export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  contentType: string | undefined;
  spans: ReceivedSpan[];
}

export interface OtlpReceiver {
  /** `http://127.0.0.1:<port>` (set OTEL_EXPORTER_OTLP_ENDPOINT to it). */
  url: string;
  requests: ReceivedRequest[];
  /** Every span received so far, in arrival order. */
  spans(): ReceivedSpan[];
  /** Answer the next `n` requests with this HTTP status instead of accepting them. */
  failNext(n: number, status: number): void;
  /** Requests refused so far. */
  refused: number;
  close(): Promise<void>;
}

/** An OTLP/HTTP receiver on loopback that decodes the protobuf payloads of `POST /v1/traces`. */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const requests: ReceivedRequest[] = [];
  let failing = 0;
  let failStatus = 503;
  const receiver: OtlpReceiver = {
    url: '',
    requests,
    spans: () => requests.flatMap((r) => r.spans),
    failNext(n, status) {
      failing = n;
      failStatus = status;
    },
    refused: 0,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      if (failing > 0) {
        failing--;
        receiver.refused++;
        res.writeHead(failStatus).end();
        return;
      }
      requests.push({ headers: req.headers, contentType: req.headers['content-type'], spans: decode(Buffer.concat(chunks)) });
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return receiver;
}

interface DecodedKeyValue {
  key: string;
  value?: DecodedAnyValue;
}
interface DecodedAnyValue {
  string_value?: string;
  bool_value?: boolean;
  int_value?: number;
  double_value?: number;
  array_value?: { values?: DecodedAnyValue[] };
}

function decode(body: Buffer): ReceivedSpan[] {
  const message = Request.toObject(Request.decode(body), { longs: Number, bytes: String, defaults: false }) as {
    resource_spans?: Array<{ resource?: { attributes?: DecodedKeyValue[] }; scope_spans?: Array<{ scope?: { name?: string }; spans?: Array<Record<string, unknown>> }> }>;
  };
  const spans: ReceivedSpan[] = [];
  for (const rs of message.resource_spans ?? []) {
    const resource = attrs(rs.resource?.attributes);
    for (const ss of rs.scope_spans ?? []) {
      for (const s of ss.spans ?? []) {
        const status = (s['status'] ?? {}) as { code?: number; message?: string };
        spans.push({
          traceId: hex(s['trace_id']),
          spanId: hex(s['span_id']),
          parentSpanId: hex(s['parent_span_id']),
          name: String(s['name']),
          kind: Number(s['kind'] ?? 0),
          startMs: Number(s['start_time_unix_nano']) / 1e6,
          endMs: Number(s['end_time_unix_nano']) / 1e6,
          status: { code: status.code ?? 0, message: status.message ?? '' },
          attributes: attrs(s['attributes'] as DecodedKeyValue[] | undefined),
          events: ((s['events'] ?? []) as Array<{ name: string; time_unix_nano: number; attributes?: DecodedKeyValue[] }>).map((e) => ({
            name: e.name,
            timeMs: Number(e.time_unix_nano) / 1e6,
            attributes: attrs(e.attributes),
          })),
          resource,
          scope: ss.scope?.name ?? '',
        });
      }
    }
  }
  return spans;
}

/** protobufjs gives bytes as base64 with `bytes: String`. */
function hex(value: unknown): string {
  return typeof value === 'string' ? Buffer.from(value, 'base64').toString('hex') : '';
}

function attrs(list: DecodedKeyValue[] | undefined): Record<string, AttrValue> {
  return Object.fromEntries((list ?? []).map((kv) => [kv.key, value(kv.value)]));
}

function value(v: DecodedAnyValue | undefined): AttrValue {
  if (!v) return '';
  if (v.string_value !== undefined) return v.string_value;
  if (v.bool_value !== undefined) return v.bool_value;
  if (v.int_value !== undefined) return Number(v.int_value);
  if (v.double_value !== undefined) return v.double_value;
  if (v.array_value) return (v.array_value.values ?? []).map(value);
  return '';
}
