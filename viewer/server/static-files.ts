import { existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the page's bundle is looked for by default (the page's build writes it there). */
export const DEFAULT_PAGE_DIR = resolve(fileURLToPath(new URL('../dist', import.meta.url)));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.map': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
};

const PLACEHOLDER = `<!doctype html><html><head><meta charset="utf-8"><title>canopy viewer</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">
<h1>canopy viewer</h1><p>The server is running, but the page is not built (no <code>index.html</code> in the page folder).
Build it, then reload. The socket.io endpoint is live at <code>/socket.io</code>.</p></body></html>`;

/**
 * Serves files from `dir` (GET and HEAD only, nothing outside `dir`, no listings); `/` is `index.html`, or a
 * placeholder page when the bundle is missing.
 */
export function staticHandler(dir: string): (req: IncomingMessage, res: ServerResponse) => void {
  const root = resolve(dir);
  return (req, res) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (path.endsWith('/')) path += 'index.html';
    const file = normalize(join(root, path));
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403).end();
      return;
    }
    if (!existsSync(file) || !statSync(file).isFile()) {
      if (path === '/index.html') {
        res.writeHead(200, { 'Content-Type': TYPES['.html']! }).end(req.method === 'HEAD' ? undefined : PLACEHOLDER);
        return;
      }
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    const body = readFileSync(file);
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Length': body.length, 'Cache-Control': 'no-cache' });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}
