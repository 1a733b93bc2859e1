import { describe, expect, it } from 'vitest'
import { devServerPage, filePage } from '../../../src/main/electron/app-page'
import {
  CONTENT_SECURITY_POLICY,
  cspHeader,
  hardenApp,
  hardenSession,
  hardenWebContents
} from '../../../src/main/electron/security'
import { Emitter, FakeWebContents } from './fake-electron'

const page = filePage('/opt/mimo/out/renderer/index.html')
const dev = devServerPage('http://localhost:5173/')

function navigate(contents: FakeWebContents, event: string, url: string): boolean {
  let prevented = false
  contents.emit(event, { url, preventDefault: () => (prevented = true) }, url)
  return !prevented
}

function hardened(sources: string[] = []) {
  const contents = new FakeWebContents()
  const opened: string[] = []
  hardenWebContents(contents as never, {
    page,
    isWebSource: (u) => sources.includes(u),
    shell: {
      openExternal: async (u: string) => {
        opened.push(u)
      }
    }
  })
  return { contents, opened }
}

describe('navigation and new windows', () => {
  it('allows only our page; every other navigation and redirect is stopped', () => {
    const { contents } = hardened()
    expect(navigate(contents, 'will-navigate', `${page.url}#/voices`)).toBe(true)
    expect(navigate(contents, 'will-navigate', 'https://example.com/')).toBe(false)
    expect(navigate(contents, 'will-navigate', 'file:///etc/passwd')).toBe(false)
    expect(navigate(contents, 'will-navigate', 'file:///opt/mimo/out/renderer/other.html')).toBe(false)
    expect(navigate(contents, 'will-redirect', 'https://example.com/')).toBe(false)
    expect(navigate(contents, 'will-redirect', 'javascript:alert(1)')).toBe(false)
    expect(navigate(contents, 'will-attach-webview', page.url)).toBe(false)
  })

  it('new windows are always denied; only an answer source over http(s) opens in the browser', () => {
    const source = 'https://news.example.com/story?id=1'
    const { contents, opened } = hardened([source, 'file:///etc/passwd'])
    const open = (url: string) => contents.windowOpenHandler!({ url })
    expect(open(source)).toEqual({ action: 'deny' })
    expect(open('https://not-a-source.example/')).toEqual({ action: 'deny' })
    expect(open('file:///etc/passwd')).toEqual({ action: 'deny' })
    expect(open('https://user:pw@news.example.com/')).toEqual({ action: 'deny' })
    expect(opened).toEqual([source])
  })

  it('hardenApp applies to every web contents created later', () => {
    const app = new Emitter()
    hardenApp(app as never, { page, isWebSource: () => false, shell: { openExternal: async () => {} } })
    const later = new FakeWebContents()
    app.emit('web-contents-created', {}, later)
    expect(navigate(later, 'will-navigate', 'https://example.com/')).toBe(false)
    expect(later.windowOpenHandler).not.toBeNull()
  })
})

describe('permissions', () => {
  it('hardenSession refuses every permission request and check (the microphone too, even for our page), every device, and adds the CSP header to our pages only', () => {
    const calls: Record<string, unknown> = {}
    let headersListener: ((d: { url: string; responseHeaders?: Record<string, string[]> }, cb: (r: unknown) => void) => void) | null = null
    const session = {
      setPermissionRequestHandler: (h: unknown) => (calls.request = h),
      setPermissionCheckHandler: (h: unknown) => (calls.check = h),
      setDevicePermissionHandler: (h: unknown) => (calls.device = h),
      webRequest: { onHeadersReceived: (l: typeof headersListener) => (headersListener = l) }
    }
    hardenSession(session as never, dev)
    const decisions: boolean[] = []
    ;(calls.request as (w: unknown, p: string, cb: (b: boolean) => void, d: unknown) => void)({}, 'media', (b) => decisions.push(b), {
      requestingUrl: 'http://localhost:5173/',
      isMainFrame: true,
      mediaTypes: ['audio']
    })
    ;(calls.request as (w: unknown, p: string, cb: (b: boolean) => void, d: unknown) => void)({}, 'geolocation', (b) => decisions.push(b), {
      requestingUrl: 'http://localhost:5173/',
      isMainFrame: true
    })
    expect(decisions).toEqual([false, false])
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'display-capture', 'openExternal', 'midiSysex', 'fullscreen']) {
      expect((calls.check as (w: unknown, p: string, o: string, d: unknown) => boolean)({}, p, 'http://localhost:5173', { mediaType: 'audio', requestingUrl: 'http://localhost:5173/', isMainFrame: true }), p).toBe(false)
    }
    expect((calls.device as () => boolean)()).toBe(false)

    const responses: unknown[] = []
    headersListener!({ url: 'http://localhost:5173/', responseHeaders: { 'content-security-policy': ['default-src *'], 'x-a': ['1'] } }, (r) => responses.push(r))
    headersListener!({ url: 'https://elsewhere.example/', responseHeaders: {} }, (r) => responses.push(r))
    expect(responses[0]).toEqual({ responseHeaders: { 'x-a': ['1'], 'Content-Security-Policy': [cspHeader(dev)] } })
    expect(responses[1]).toEqual({})
  })
})

describe('Content Security Policy', () => {
  it('allows scripts from our own files only, no eval, no remote anything', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'")
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'")
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|https?:|\*/)
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/script-src[^;]*unsafe-inline/)
    expect(cspHeader(page)).toBe(`${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`)
    // The dev server's hot reload needs its WebSocket and the inline refresh preamble, in development only.
    expect(cspHeader(dev)).toContain('connect-src \'self\' ws://localhost:5173')
  })
})
