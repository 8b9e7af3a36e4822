// Connections to Temporal from configuration: the address (or the embedded dev server's default port),
// namespace, mTLS files and the Temporal Cloud API key. The client connection serves the web server; the
// native connection serves the worker. Also the availability probe of Temporal (server/infra/availability.ts),
// and channel settings that let the client reconnect within a second once a restarted server is back.
// The client's retries are closable (closable-retry.ts): close() ends every call first, so no retry timer
// fires on the closed channel.
import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import type { TLSConfig } from '@temporalio/common/lib/internal-non-workflow';
import type { AvailabilityCheck } from '../infra/availability';
import type { Config } from '../infra/config';
import { AppError } from '../../activities/infra/errors';
import { closableRetry } from './closable-retry';

export type TemporalConfig = Pick<
  Config,
  'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE' | 'TEMPORAL_TLS_CERT' | 'TEMPORAL_TLS_KEY' | 'TEMPORAL_TLS_CA' | 'TEMPORAL_TLS_SERVER_NAME' | 'TEMPORAL_API_KEY' | 'EMBEDDED_TEMPORAL_PORT'
>;

export interface TemporalConnection {
  address: string;
  namespace: string;
  client: Client;
  connection: Connection;
  /** Opened on first use by a worker. */
  nativeConnection(): Promise<NativeConnection>;
  /** A new native connection each call (the worker supervisor replaces one after its worker failed); the caller closes it. */
  openNativeConnection(): Promise<NativeConnection>;
  /** Client calls neither answered nor ended (in flight or waiting to retry). */
  pendingCalls(): number;
  /** Ends the client calls still going (one waiting to retry fails with its last error), then closes. */
  close(): Promise<void>;
}

function readPem(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new AppError('CONFIG_INVALID', { zh: `无法读取 ${what}：${file}`, en: `Cannot read ${what}: ${file}` }, { cause: e });
  }
}

/** TLS settings from the configuration; undefined for a plain loopback connection. */
export function tlsFromConfig(c: TemporalConfig): TLSConfig | true | undefined {
  const hasFiles = Boolean(c.TEMPORAL_TLS_CERT || c.TEMPORAL_TLS_CA || c.TEMPORAL_TLS_SERVER_NAME);
  if (!hasFiles) return c.TEMPORAL_API_KEY ? true : undefined;
  return {
    ...(c.TEMPORAL_TLS_SERVER_NAME ? { serverNameOverride: c.TEMPORAL_TLS_SERVER_NAME } : {}),
    ...(c.TEMPORAL_TLS_CA ? { serverRootCACertificate: readPem(c.TEMPORAL_TLS_CA, 'TEMPORAL_TLS_CA') } : {}),
    ...(c.TEMPORAL_TLS_CERT && c.TEMPORAL_TLS_KEY
      ? { clientCertPair: { crt: readPem(c.TEMPORAL_TLS_CERT, 'TEMPORAL_TLS_CERT'), key: readPem(c.TEMPORAL_TLS_KEY, 'TEMPORAL_TLS_KEY') } }
      : {}),
  };
}

export function temporalAddress(c: TemporalConfig): string {
  return c.TEMPORAL_ADDRESS ?? `127.0.0.1:${c.EMBEDDED_TEMPORAL_PORT}`;
}

/**
 * grpc-js backs off reconnecting up to two minutes by default: after the server was away for a while, the
 * client would keep failing long after it is back. Capped at one second here.
 */
export const RECONNECT_CHANNEL_ARGS = { 'grpc.initial_reconnect_backoff_ms': 200, 'grpc.max_reconnect_backoff_ms': 1000 };

/** The deadline of one availability probe. */
export const PROBE_DEADLINE_MS = 1000;

/**
 * Temporal's availability probe: GetSystemInfo on a connection of its own without the SDK's retry
 * interceptor (which retries UNAVAILABLE for seconds), so a dead server fails the probe at once and a
 * living one answers within the deadline.
 */
export function temporalCheck(c: TemporalConfig): AvailabilityCheck {
  const tls = tlsFromConfig(c);
  const connection = Connection.lazy({
    address: temporalAddress(c),
    ...(tls ? { tls } : {}),
    ...(c.TEMPORAL_API_KEY ? { apiKey: c.TEMPORAL_API_KEY } : {}),
    interceptors: [],
    channelArgs: RECONNECT_CHANNEL_ARGS,
  });
  return {
    name: 'temporal',
    run: async () => {
      await connection.withDeadline(Date.now() + PROBE_DEADLINE_MS, () => connection.workflowService.getSystemInfo({}));
    },
    dispose: () => connection.close(),
  };
}

/** Connects the client (and lazily the worker's native connection) to the configured Temporal. */
export async function connectTemporal(c: TemporalConfig): Promise<TemporalConnection> {
  const address = temporalAddress(c);
  const tls = tlsFromConfig(c);
  const common = { address, ...(tls ? { tls } : {}), ...(c.TEMPORAL_API_KEY ? { apiKey: c.TEMPORAL_API_KEY } : {}) };
  // The SDK's retry (UNAVAILABLE and the like, for up to ~20 s) with a backoff that close() can end.
  const retry = closableRetry();
  let connection: Connection;
  try {
    connection = await Connection.connect({ ...common, channelArgs: RECONNECT_CHANNEL_ARGS, interceptors: [retry.interceptor] });
  } catch (e) {
    retry.closeAll();
    throw new AppError('SERVER_START_FAILED', { zh: `无法连接 Temporal（${address}）`, en: `Cannot connect to Temporal at ${address}` }, { cause: e });
  }
  const client = new Client({ connection, namespace: c.TEMPORAL_NAMESPACE });
  let native: Promise<NativeConnection> | undefined;
  return {
    address,
    namespace: c.TEMPORAL_NAMESPACE,
    client,
    connection,
    nativeConnection: () => (native ??= NativeConnection.connect(common as NativeConnectionOptions)),
    openNativeConnection: () => NativeConnection.connect(common as NativeConnectionOptions),
    pendingCalls: () => retry.pending(),
    close: async () => {
      retry.closeAll();
      await connection.close();
      if (native) await (await native).close();
    },
  };
}
