import type { App, Session, Shell, WebContents } from 'electron'
import type { AppPage } from './app-page'

/**
 * The Content Security Policy of the window. The built page (file://) carries it as a meta tag in
 * index.html; pages served over HTTP (the dev server) also get it as a response header.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "media-src 'self' blob: data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "manifest-src 'self'",
  "object-src 'none'",
  "frame-src 'none'",
  "base-uri 'none'",
  "form-action 'none'"
].join('; ')

/** The header form adds what a meta tag cannot carry. */
export function cspHeader(page: AppPage): string {
  if (!page.isDev) return `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`
  // The dev server injects an inline module (React refresh) and talks over a WebSocket for hot reload.
  const ws = page.origin.replace(/^http/, 'ws')
  return CONTENT_SECURITY_POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace(
    "connect-src 'self'",
    `connect-src 'self' ${ws}`
  ) + "; frame-ancestors 'none'"
}

/** Only web pages (http/https) leave the app, and only those the app knows about (answer sources). */
export function isExternalWebUrl(url: string): boolean {
  try {
    const u = new URL(url)
    return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password
  } catch {
    return false
  }
}

/**
 * The open_url tool's way to the browser: an http(s) address without credentials only (the tool
 * checked it too; this is the last gate before the system opens it).
 */
export function webAddressOpener(shell: Pick<Shell, 'openExternal'>): { open(url: string): Promise<void> } {
  return {
    async open(url) {
      if (!isExternalWebUrl(url)) throw new Error(`Only http and https addresses are opened, not ${url.slice(0, 80)}`)
      await shell.openExternal(url)
    }
  }
}

export interface HardenOptions {
  page: AppPage
  /** True for a URL the window may open in the browser: an answer's web source. */
  isWebSource: (url: string) => boolean
  shell: Pick<Shell, 'openExternal'>
  log?: (message: string) => void
}

type NavigationEvent = { preventDefault(): void; url?: string }

/**
 * Every web contents the app creates: no navigation away from our page, no new windows (web sources
 * open in the browser instead), no <webview>.
 */
export function hardenWebContents(
  contents: Pick<WebContents, 'on' | 'setWindowOpenHandler'>,
  o: HardenOptions
): void {
  const log = o.log ?? (() => {})
  const guard = (kind: string) => (event: NavigationEvent, url?: string) => {
    const target = event.url ?? url ?? ''
    if (o.page.isOurPage(target)) return
    event.preventDefault()
    log(`Blocked ${kind} to ${target.slice(0, 200)}`)
  }
  contents.on('will-navigate', guard('navigation') as never)
  contents.on('will-redirect', guard('redirect') as never)
  contents.on('will-attach-webview', ((event: NavigationEvent) => {
    event.preventDefault()
    log('Blocked a <webview>')
  }) as never)
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalWebUrl(url) && o.isWebSource(url)) {
      // An http(s) page the answer cited (see docs/security.md, "Reviewed findings").
      o.shell.openExternal(url).catch((err: Error) => log(`Could not open ${url}: ${err.message}`))
    } else {
      log(`Blocked a new window for ${url.slice(0, 200)}`)
    }
    return { action: 'deny' }
  })
}

/** Applies hardenWebContents to every web contents, including ones created later. */
export function hardenApp(app: Pick<App, 'on'>, o: HardenOptions): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, o))
}

type PermissionDetails = { requestingUrl?: string; isMainFrame?: boolean; mediaTypes?: string[]; mediaType?: string }

/** The microphone, for our own page, audio only: every other permission is refused. */
export function allowPermissionRequest(page: AppPage, permission: string, details: PermissionDetails): boolean {
  if (permission !== 'media') return false
  const types = details.mediaTypes ?? []
  if (types.length === 0 || types.some((t) => t !== 'audio')) return false
  return details.isMainFrame !== false && page.isOurPage(details.requestingUrl)
}

export function allowPermissionCheck(page: AppPage, permission: string, origin: string, details: PermissionDetails): boolean {
  if (permission !== 'media' || details.mediaType !== 'audio') return false
  if (details.requestingUrl) return page.isOurPage(details.requestingUrl)
  return page.isOurOrigin(origin)
}

/** Permissions, device access and the CSP header for the window's session. */
export function hardenSession(
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler' | 'webRequest'>,
  page: AppPage,
  log: (message: string) => void = () => {}
): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const allowed = allowPermissionRequest(page, permission, details as PermissionDetails)
    if (!allowed) log(`Refused permission "${permission}"`)
    callback(allowed)
  })
  session.setPermissionCheckHandler((_contents, permission, origin, details) =>
    allowPermissionCheck(page, permission, origin, details as PermissionDetails)
  )
  session.setDevicePermissionHandler(() => false)
  const header = cspHeader(page)
  session.webRequest.onHeadersReceived((details, callback) => {
    if (!page.isOurPage(details.url)) return callback({})
    const headers = Object.fromEntries(
      Object.entries(details.responseHeaders ?? {}).filter(([k]) => k.toLowerCase() !== 'content-security-policy')
    )
    callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [header] } })
  })
}
