// The collaboration server's client address behind a trusted proxy (start:cluster's round-robin proxy):
// X-Forwarded-For is read only when the peer is trusted, so a client cannot pick its own address.
import type { IncomingMessage } from 'node:http';
import { clientAddressResolver } from '../../../server/infra/client-address';

const req = (remoteAddress: string, xff?: string): IncomingMessage =>
  ({ socket: { remoteAddress }, headers: xff ? { 'x-forwarded-for': xff } : {} }) as unknown as IncomingMessage;

test('without TRUST_PROXY the socket address counts, whatever the header says', () => {
  expect(clientAddressResolver(undefined)(req('10.0.0.9', '1.2.3.4'))).toBe('10.0.0.9');
});

test('behind a loopback proxy the forwarded client counts; a forged entry before it does not', () => {
  const at = clientAddressResolver('loopback');
  expect(at(req('127.0.0.1', '203.0.113.7'))).toBe('203.0.113.7');
  expect(at(req('::ffff:127.0.0.1', '198.51.100.1, 203.0.113.7'))).toBe('203.0.113.7');
  expect(at(req('10.0.0.9', '203.0.113.7'))).toBe('10.0.0.9');
  expect(at(req('127.0.0.1'))).toBe('127.0.0.1');
});

test('a hop count and an address list', () => {
  expect(clientAddressResolver('1')(req('10.0.0.2', '198.51.100.1, 203.0.113.7'))).toBe('203.0.113.7');
  expect(clientAddressResolver('10.0.0.2, 10.0.0.3')(req('10.0.0.2', '203.0.113.7, 10.0.0.3'))).toBe('203.0.113.7');
});
