// OpenTelemetry traces, when OTEL_EXPORTER_OTLP_ENDPOINT (or …_TRACES_ENDPOINT) is set: one span
// per operation and one per resolver that is not a plain property read (@envelop/opentelemetry),
// sent over OTLP/HTTP in batches. A request that arrives with a W3C `traceparent` continues that
// trace, so the gateway's spans hang under the caller's. Each gateway has its own tracer provider
// (nothing is registered globally: tests run several gateways in one process).
// OpenTelemetry is loaded only when tracing is on (~0.4 s of a start otherwise), synchronously
// (gateways are built synchronously): its packages are CommonJS for Node's import and require
// alike, so this is the one copy either would load.
import { createRequire } from 'node:module';
import type * as EnvelopOpenTelemetry from '@envelop/opentelemetry';
import type * as OpenTelemetryApi from '@opentelemetry/api';
import type { SpanContext } from '@opentelemetry/api';
import type * as OtlpHttpExporter from '@opentelemetry/exporter-trace-otlp-http';
import type * as OpenTelemetryResources from '@opentelemetry/resources';
import type * as TraceSdk from '@opentelemetry/sdk-trace-base';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../config.js';

const require = createRequire(import.meta.url);

/** `TraceFlags.SAMPLED` of @opentelemetry/api (an enum: not readable without loading the package). */
const SAMPLED = 0x01;

/** `version-traceid-parentid-flags` (https://www.w3.org/TR/trace-context/#traceparent-header). */
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/** The trace a request continues: its valid `traceparent` header, or null (then a new trace starts). */
export function incomingTrace(request: Request): SpanContext | null {
  const match = TRACEPARENT.exec(request.headers.get('traceparent')?.trim() ?? '');
  if (!match) return null;
  const [, version, traceId, spanId, flags, rest] = match as unknown as [string, string, string, string, string, string | undefined];
  // Version ff is invalid; version 00 has nothing after the flags; all-zero ids are invalid.
  if (version === 'ff' || (version === '00' && rest) || /^0+$/.test(traceId) || /^0+$/.test(spanId)) return null;
  return { traceId, spanId, traceFlags: parseInt(flags, 16) & SAMPLED, isRemote: true };
}

/** The tracing plugins for `config.tracing`, none when it is off. */
export function tracing(config: Config['tracing']): Plugin[] {
  if (!config) return [];
  const { useOpenTelemetry, setCurrentOtelContext } = require('@envelop/opentelemetry') as typeof EnvelopOpenTelemetry;
  const { ROOT_CONTEXT, trace } = require('@opentelemetry/api') as typeof OpenTelemetryApi;
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof OtlpHttpExporter;
  const { Resource } = require('@opentelemetry/resources') as typeof OpenTelemetryResources;
  const { BasicTracerProvider, BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base') as typeof TraceSdk;
  const provider = new BasicTracerProvider({
    resource: new Resource({ 'service.name': config.serviceName }),
    // OTEL_BSP_* tune the batches; OTEL_EXPORTER_OTLP_HEADERS adds headers (an API key).
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: config.tracesUrl }))],
  });
  /** Before the operation's span starts: its parent is the caller's span, when there is one. */
  const continueTrace = ({ args }: { args: { contextValue: { request?: Request } } }) => {
    const parent = args.contextValue.request ? incomingTrace(args.contextValue.request) : null;
    if (parent) setCurrentOtelContext(args.contextValue, trace.setSpanContext(ROOT_CONTEXT, parent));
  };
  const continueIncomingTrace: Plugin<{ request?: Request }> = { onExecute: continueTrace, onSubscribe: continueTrace };
  return [
    continueIncomingTrace as Plugin,
    // Documents are recorded only when they carry no inline arguments (variables are never recorded).
    useOpenTelemetry(
      { resolvers: true, defaultResolvers: false, variables: false, result: false },
      provider,
      undefined,
      undefined,
      config.serviceName,
    ) as Plugin,
    // Sends the spans still waiting in the batch when the gateway stops.
    { onDispose: () => provider.shutdown() },
  ];
}
