import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

describe('trace configuration (OTEL_* variables)', () => {
  it('Should export to <OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces, or to the traces endpoint as given, and not at all when neither is set', () => {
    expect(loadConfig({}).traces).toMatchObject({ otlpUrl: undefined, serviceName: 'agent-chat', captureContent: false, otlpHeaders: {}, resourceAttributes: {} });
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).traces.otlpUrl).toBe('http://collector:4318/v1/traces');
    expect(
      loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example.com/otlp/v1/traces' }).traces.otlpUrl,
    ).toBe('https://traces.example.com/otlp/v1/traces');
  });

  it('Should read headers and resource attributes as key=value lists (percent-decoded; trace headers win), the service name and the content switch', () => {
    const traces = loadConfig({
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Basic%20abc, x-team = chat',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-team=traces',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=prod,service.version=1.2.3',
      OTEL_SERVICE_NAME: 'support-chat',
      OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true',
      OTEL_EXPORTER_OTLP_TIMEOUT: '3000',
    }).traces;
    expect(traces.otlpHeaders).toEqual({ authorization: 'Basic abc', 'x-team': 'traces' });
    expect(traces.resourceAttributes).toEqual({ 'deployment.environment': 'prod', 'service.version': '1.2.3' });
    expect(traces).toMatchObject({ serviceName: 'support-chat', captureContent: true, exportTimeoutMs: 3000 });
    expect(loadConfig({ OTEL_EXPORTER_OTLP_TIMEOUT: '3000', OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '500' }).traces.exportTimeoutMs).toBe(500);
  });

  it('Should refuse an endpoint that is not an http(s) URL and a header list that is not key=value, naming the variable', () => {
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4317' })).toThrow(ConfigError);
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4317' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT: must be an http\(s\) URL/);
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_HEADERS: 'just-a-token' })).toThrow(/OTEL_EXPORTER_OTLP_HEADERS: must be a comma-separated list of key=value/);
    expect(() => loadConfig({ OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'maybe' })).toThrow(/OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT/);
  });
});
