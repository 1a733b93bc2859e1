import { pathToFileURL } from 'node:url'

/**
 * The one page the window may show: the built renderer (file://.../out/renderer/index.html) in
 * production, or the electron-vite dev server in development. Every security check asks this.
 */
export interface AppPage {
  /** What the window loads. */
  readonly url: string
  /** 'file://' for the built page, the dev server's origin in development. */
  readonly origin: string
  readonly isDev: boolean
  /** The URL is our page (any hash or query) or, in development, anything the dev server serves. */
  isOurPage(url: string | undefined | null): boolean
  isOurOrigin(origin: string | undefined | null): boolean
}

function parse(url: string | undefined | null): URL | null {
  if (!url) return null
  try {
    return new URL(url)
  } catch {
    return null
  }
}

export function filePage(indexHtmlPath: string): AppPage {
  const target = pathToFileURL(indexHtmlPath)
  return {
    url: target.href,
    origin: 'file://',
    isDev: false,
    isOurPage(url) {
      const u = parse(url)
      return !!u && u.protocol === 'file:' && u.host === target.host && decodeURIComponent(u.pathname) === decodeURIComponent(target.pathname)
    },
    isOurOrigin(origin) {
      // Chromium reports file pages' origin as "file://" (opaque origins serialize as "null": refused).
      return origin === 'file://' || origin === 'file:///'
    }
  }
}

export function devServerPage(devUrl: string): AppPage {
  const target = new URL(devUrl)
  if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new Error(`The dev server URL must be http(s): ${devUrl}`)
  if (!['localhost', '127.0.0.1', '[::1]'].includes(target.hostname)) throw new Error(`The dev server must be local: ${devUrl}`)
  return {
    url: target.href,
    origin: target.origin,
    isDev: true,
    isOurPage(url) {
      const u = parse(url)
      return !!u && u.origin === target.origin
    },
    isOurOrigin(origin) {
      return origin === target.origin || origin === `${target.origin}/`
    }
  }
}
