// The small round-robin proxy of `npm run start:cluster`: HTTP requests and WebSocket upgrades go to the
// app processes in turn, with no stickiness (any process can answer anything: jobs and limits live in
// MongoDB and Redis, co-editing is relayed through Redis). A backend that refuses connections is skipped
// until its /healthz answers again, so the clients of a killed process reconnect to the others. Adds
// X-Forwarded-For (the apps run with TRUST_PROXY=loopback). For a real deployment use a real load balancer.
import http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';

export interface Backend {
  host: string;
  port: number;
  up: boolean;
}

export interface ClusterProxy {
  server: http.Server;
  backends: Backend[];
  close(): Promise<void>;
}

function forwardedFor(req: http.IncomingMessage): string {
  const prior = req.headers['x-forwarded-for'];
  const addr = req.socket.remoteAddress ?? '';
  return prior ? `${String(prior)}, ${addr}` : addr;
}

function healthy(b: Backend): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: b.host, port: b.port, path: '/healthz', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
  });
}

export function startClusterProxy(opts: { host: string; port: number; backends: Array<{ host: string; port: number }> }): Promise<ClusterProxy> {
  const backends: Backend[] = opts.backends.map((b) => ({ ...b, up: true }));
  let next = 0;
  /** The next backend in turn that is up (all of them when none is known up). */
  const pick = (): Backend[] => {
    const order = backends.map((_, i) => backends[(next + i) % backends.length]);
    next = (next + 1) % backends.length;
    const up = order.filter((b) => b.up);
    return up.length > 0 ? up : order;
  };
  const checker = setInterval(() => {
    for (const b of backends) void healthy(b).then((ok) => (b.up = ok));
  }, 500);
  checker.unref();

  const server = http.createServer((req, res) => {
    const candidates = pick();
    const attempt = (i: number): void => {
      const b = candidates[i];
      const upstream = http.request({ host: b.host, port: b.port, method: req.method, path: req.url, headers: { ...req.headers, 'x-forwarded-for': forwardedFor(req) } }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.rawHeaders);
        up.pipe(res);
      });
      upstream.on('error', (err: NodeJS.ErrnoException) => {
        // Refused before anything was sent: the request body is still unread, try the next process.
        if (err.code === 'ECONNREFUSED') {
          b.up = false;
          if (i + 1 < candidates.length) return attempt(i + 1);
        }
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' }).end('应用进程不可用 / App process unavailable\n');
        else res.destroy();
      });
      req.pipe(upstream);
    };
    attempt(0);
  });

  /** Upgraded sockets (not closed by server.closeAllConnections). */
  const tunnels = new Set<Duplex>();
  server.on('upgrade', (req: http.IncomingMessage, client: Duplex, head: Buffer) => {
    const candidates = pick();
    client.on('error', () => undefined);
    tunnels.add(client);
    client.on('close', () => tunnels.delete(client));
    const attempt = (i: number): void => {
      const b = candidates[i];
      const upstream = net.connect({ host: b.host, port: b.port });
      upstream.once('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'ECONNREFUSED') {
          b.up = false;
          if (i + 1 < candidates.length) return attempt(i + 1);
        }
        client.destroy();
      });
      upstream.once('connect', () => {
        upstream.on('error', () => client.destroy());
        const headers = { ...req.headers, 'x-forwarded-for': forwardedFor(req) };
        const lines = [`${req.method} ${req.url} HTTP/1.1`];
        for (const [k, v] of Object.entries(headers)) for (const value of Array.isArray(v) ? v : [v]) if (value !== undefined) lines.push(`${k}: ${value}`);
        upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
        if (head.length > 0) upstream.write(head);
        upstream.pipe(client).pipe(upstream);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
    };
    attempt(0);
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () =>
      resolve({
        server,
        backends,
        close: () =>
          new Promise<void>((r) => {
            clearInterval(checker);
            server.closeAllConnections();
            for (const t of tunnels) t.destroy();
            server.close(() => r());
          }),
      }),
    );
  });
}
