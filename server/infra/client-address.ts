// The client address of a WebSocket upgrade, for the collaboration server's per-address connection limit.
// Behind a trusted reverse proxy (TRUST_PROXY, as Express's `trust proxy` reads it for HTTP: `loopback`, a
// hop count, or a comma-separated list of addresses) every socket comes from the proxy, so the address is
// taken from X-Forwarded-For instead: the last entry the trusted hops did not add. `npm run start:cluster`
// runs its app processes with TRUST_PROXY=loopback behind its own proxy.
import type { IncomingMessage } from 'node:http';

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

export function clientAddressResolver(trustProxy: string | undefined): (req: IncomingMessage) => string {
  const direct = (req: IncomingMessage): string => req.socket.remoteAddress ?? 'unknown';
  if (trustProxy === undefined) return direct;
  const hops = /^\d+$/.test(trustProxy) ? Number(trustProxy) : null;
  const list = hops === null ? trustProxy.split(',').map((s) => s.trim()).filter(Boolean) : [];
  const trusted = (addr: string): boolean => list.some((t) => (t === 'loopback' ? LOOPBACK.test(addr) : addr === t || addr === `::ffff:${t}`));
  return (req) => {
    const chain = String(req.headers['x-forwarded-for'] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    // From the socket outwards: the peer, then X-Forwarded-For right to left.
    const path = [direct(req), ...chain.reverse()];
    if (hops !== null) return path[Math.min(hops, path.length - 1)];
    let i = 0;
    while (i < path.length - 1 && trusted(path[i])) i += 1;
    return path[i];
  };
}
