import { createReadStream, existsSync, statSync } from 'fs';
import http, { type IncomingMessage, type Server, type ServerResponse } from 'http';
import type { AddressInfo } from 'net';
import path from 'path';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
};
const PROXY_PREFIX = '/api/plugin-proxy/scale-lbtester-app/engine';

export interface HarnessServer {
  url: string;
  close(): Promise<void>;
}

function sendFile(res: ServerResponse, file: string) {
  if (!existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
  createReadStream(file).pipe(res);
}

/** Plays Grafana's plugin proxy: forwards to the engine and adds the bearer token on the server side. */
async function proxy(req: IncomingMessage, res: ServerResponse, engineUrl: string, token: string) {
  const chunks: Buffer[] = [];
  for await (const c of req) {
    chunks.push(c as Buffer);
  }
  const target = `${engineUrl}${req.url!.slice(PROXY_PREFIX.length)}`;
  try {
    const r = await fetch(target, {
      method: req.method,
      headers: {
        ...(req.headers['content-type'] ? { 'content-type': req.headers['content-type'] } : {}),
        authorization: `Bearer ${token}`,
      },
      body: chunks.length ? Buffer.concat(chunks) : undefined,
      signal: AbortSignal.timeout(60_000),
    });
    const body = Buffer.from(await r.arrayBuffer());
    res.writeHead(r.status, {
      'content-type': r.headers.get('content-type') ?? 'application/octet-stream',
      ...(r.headers.get('content-disposition') ? { 'content-disposition': r.headers.get('content-disposition')! } : {}),
    });
    res.end(body);
  } catch (e) {
    // What Grafana answers when the upstream is down.
    res
      .writeHead(502, { 'content-type': 'application/json' })
      .end(JSON.stringify({ message: `Bad Gateway: ${String(e)}` }));
  }
}

/** Serves the bundled harness, @grafana/ui's icons, and the proxy route, on 127.0.0.1 and a free port. */
export async function startHarnessServer(o: {
  bundleDir: string;
  iconsDir: string;
  engineUrl: string;
  token: string;
}): Promise<HarnessServer> {
  const index = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Scale (test harness)</title><link rel="stylesheet" href="/harness.css"></head><body style="margin:0"><div id="root"></div><script>window.__harnessEngineUrl = ${JSON.stringify(o.engineUrl)};</script><script src="/harness.js"></script></body></html>`;
  const server: Server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith(PROXY_PREFIX)) {
      void proxy(req, res, o.engineUrl, o.token);
    } else if (url.pathname === '/harness.js' || url.pathname === '/harness.css' || url.pathname.endsWith('.map')) {
      sendFile(res, path.join(o.bundleDir, path.basename(url.pathname)));
    } else if (url.pathname.startsWith('/public/build/img/icons/')) {
      sendFile(
        res,
        path.join(
          o.iconsDir,
          path.normalize(url.pathname.slice('/public/build/img/icons/'.length)).replace(/^(\.\.[/\\])+/, '')
        )
      );
    } else if (url.pathname.startsWith('/public/')) {
      // Grafana's fonts and images are not served here: the browser falls back to system fonts.
      res.writeHead(404).end();
    } else {
      res.writeHead(200, { 'content-type': 'text/html' }).end(index);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
