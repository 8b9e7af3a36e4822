// Temporal connection settings from configuration, and the durations the lifecycle gets from it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../server/infra/config';
import { connectTemporal, temporalAddress, tlsFromConfig } from '../../../server/temporal/connect';
import { durationsFromConfig } from '../../../server/temporal/durations';
import { DEFAULT_DURATIONS } from '../../../workflows/messages';
import { requireEnv } from '../../support/mongo';

test('without an address the embedded dev server port is used; with one, that address', () => {
  expect(temporalAddress(loadConfig({ EMBEDDED_TEMPORAL_PORT: '7444' }))).toBe('127.0.0.1:7444');
  expect(temporalAddress(loadConfig({ TEMPORAL_ADDRESS: 'temporal.example:7233' }))).toBe('temporal.example:7233');
});

test('TLS files are read into the connection settings; an API key alone implies TLS; none means plain', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tls-'));
  for (const f of ['crt.pem', 'key.pem', 'ca.pem']) writeFileSync(path.join(dir, f), `-----${f}-----`);
  const tls = tlsFromConfig(loadConfig({ TEMPORAL_TLS_CERT: path.join(dir, 'crt.pem'), TEMPORAL_TLS_KEY: path.join(dir, 'key.pem'), TEMPORAL_TLS_CA: path.join(dir, 'ca.pem'), TEMPORAL_TLS_SERVER_NAME: 'tongbiao.tmprl.cloud' }));
  expect(tls).toMatchObject({ serverNameOverride: 'tongbiao.tmprl.cloud' });
  expect(tls !== true && tls?.clientCertPair?.crt.toString()).toBe('-----crt.pem-----');
  expect(tls !== true && tls?.serverRootCACertificate?.toString()).toBe('-----ca.pem-----');
  expect(tlsFromConfig(loadConfig({ TEMPORAL_API_KEY: 'k' }))).toBe(true);
  expect(tlsFromConfig(loadConfig({}))).toBeUndefined();
  expect(() => tlsFromConfig(loadConfig({ TEMPORAL_TLS_CA: path.join(dir, 'missing.pem') }))).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
});

test('connects the client and the worker connection to the configured server', async () => {
  const t = await connectTemporal(loadConfig({ TEMPORAL_ADDRESS: requireEnv('TEMPORAL_ADDRESS') }));
  try {
    const ns = await t.connection.workflowService.describeNamespace({ namespace: t.namespace });
    expect(ns.namespaceInfo?.name).toBe('default');
    const native = await t.nativeConnection();
    expect(await t.nativeConnection()).toBe(native);
  } finally {
    await t.close();
  }
});

test('an unreachable server is a clear start-up error', async () => {
  await expect(connectTemporal(loadConfig({ TEMPORAL_ADDRESS: '127.0.0.1:1' }))).rejects.toMatchObject({ code: 'SERVER_START_FAILED' });
}, 30_000);

test('lifecycle durations default to 30 days, weekly reminders, 60-day 备案 and five years; fractions of a day are allowed', () => {
  expect(durationsFromConfig(loadConfig({}))).toEqual(DEFAULT_DURATIONS);
  expect(durationsFromConfig(loadConfig({ COMMENT_PERIOD_DAYS: '0.0001' })).commentPeriodMs).toBe(8640);
  expect(() => loadConfig({ REVIEW_INTERVAL_DAYS: '2000' })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  expect(() => loadConfig({ COMMENT_PERIOD_DAYS: '-1' })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
});
