/**
 * Serves the built renderer (out/renderer) as the app's window would load it: files only, nothing
 * outside the folder, the page's own CSP untouched (it is a meta tag in index.html).
 */
import { readFile } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import path from 'node:path'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf'
}

/** Extra routes ahead of the files (e.g. the bridge script for a manual browser). */
export type ExtraRoute = (pathname: string) => { type: string; body: string | Buffer } | null

export function serveStatic(root: string, extra?: ExtraRoute) {
  const base = path.resolve(root)
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end()
      return
    }
    let pathname: string
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://host').pathname)
    } catch {
      res.writeHead(400).end()
      return
    }
    const routed = extra?.(pathname)
    if (routed) {
      res.writeHead(200, { 'content-type': routed.type, 'cache-control': 'no-store' })
      res.end(req.method === 'HEAD' ? undefined : routed.body)
      return
    }
    const file = path.resolve(base, `.${pathname === '/' ? '/index.html' : pathname}`)
    if (file !== base && !file.startsWith(base + path.sep)) {
      res.writeHead(403).end()
      return
    }
    try {
      const body = await readFile(file)
      res.writeHead(200, {
        'content-type': TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff'
      })
      res.end(req.method === 'HEAD' ? undefined : body)
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found')
    }
  }
}
