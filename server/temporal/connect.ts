// Connections to Temporal from configuration: the address (or the embedded dev server's default port),
// namespace, mTLS files and the Temporal Cloud API key. The client connection serves the web server; the
// native connection serves the worker.
import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import type { TLSConfig } from '@temporalio/common/lib/internal-non-workflow';
import type { Config } from '../infra/config';
import { AppError } from '../infra/errors';

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

/** Connects the client (and lazily the worker's native connection) to the configured Temporal. */
export async function connectTemporal(c: TemporalConfig): Promise<TemporalConnection> {
  const address = temporalAddress(c);
  const tls = tlsFromConfig(c);
  const common = { address, ...(tls ? { tls } : {}), ...(c.TEMPORAL_API_KEY ? { apiKey: c.TEMPORAL_API_KEY } : {}) };
  let connection: Connection;
  try {
    connection = await Connection.connect(common);
  } catch (e) {
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
    close: async () => {
      await connection.close();
      if (native) await (await native).close();
    },
  };
}
