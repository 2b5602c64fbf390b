import type { IncomingMessage, ServerResponse } from 'node:http';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** Paths that belong to the API and the local stand-ins, never to the app. */
const NOT_APP = /^\/(v1|local|health)(\/|$)/;

/**
 * Serves the built web app (web/dist) the way S3 and CloudFront do on AWS: its files, and
 * index.html for the app's own paths (`/accounts/acme`), so a reload or a shared link opens the
 * page. Answers `false` for a request that is not the app's (the API's routes, a missing file
 * with an extension), which the caller then serves.
 */
export function webAppHandler(dir: string) {
  const root = normalize(dir);
  return (req: IncomingMessage, res: ServerResponse, url: URL): boolean => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || NOT_APP.test(url.pathname)) return false;
    let path: string;
    try {
      path = normalize(join(root, decodeURIComponent(url.pathname)));
    } catch {
      return false;
    }
    if (path !== root && !path.startsWith(root + sep)) return false;
    const isFile = existsSync(path) && statSync(path).isFile();
    // An app path (no extension) falls back to index.html; a missing asset is the caller's 404.
    if (!isFile && extname(url.pathname)) return false;
    const file = isFile ? path : join(root, 'index.html');
    if (!existsSync(file)) return false;
    const hashed = file.includes(`${sep}chunks${sep}`) || /-[A-Z0-9]{8}\.(js|css)(\.map)?$/.test(file);
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      // Hashed names never change content; index.html must be fetched again to see a new build.
      'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
      'x-content-type-options': 'nosniff',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
    return true;
  };
}
