/**
 * The browser's stand-in for the preload: builds `window.api` with the preload's own `buildApi` over an
 * ipcRenderer-like object that speaks JSON over a WebSocket to the test host (same origin, so the
 * page's CSP `connect-src 'self'` allows it). Bundled into one script and run before the page's own
 * scripts (Playwright's addInitScript, or the host's /bridge.js for a manual browser).
 *
 * Like the preload, the window gets payloads only, never the socket.
 */
import { buildApi, type IpcRendererLike } from '../../src/preload/api'
import { BRIDGE_PATH, decodeFrame, encodeFrame, type InvokeFrame } from './bridge-codec'

type Listener = (event: unknown, ...args: unknown[]) => void

/** The few page globals used here (this file is type-checked with the Node project, which has no DOM lib). */
interface PageSocket {
  readonly readyState: number
  send(text: string): void
  addEventListener(type: 'open' | 'close', listener: () => void): void
  addEventListener(type: 'message', listener: (e: { data: unknown }) => void): void
}
interface PageGlobals {
  location: { protocol: string; host: string }
  WebSocket: { new (url: string): PageSocket; readonly OPEN: number }
}
const page = globalThis as unknown as PageGlobals

function connect(): IpcRendererLike {
  const scheme = page.location.protocol === 'https:' ? 'wss:' : 'ws:'
  const socket = new page.WebSocket(`${scheme}//${page.location.host}${BRIDGE_PATH}`)
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>()
  const listeners = new Map<string, Set<Listener>>()
  const queue: string[] = []
  let nextId = 1
  let closed: Error | null = null

  socket.addEventListener('open', () => {
    for (const text of queue.splice(0)) socket.send(text)
  })
  socket.addEventListener('message', (e) => {
    const frame = typeof e.data === 'string' ? decodeFrame(e.data) : null
    if (!frame) return
    if (frame.type === 'result') {
      const waiter = pending.get(frame.id)
      pending.delete(frame.id)
      waiter?.resolve(frame.result)
    } else if (frame.type === 'event') {
      for (const l of [...(listeners.get(frame.channel) ?? [])]) l({ sender: 'main' }, frame.payload)
    }
  })
  socket.addEventListener('close', () => {
    // Like ipcRenderer.invoke when the main process is gone: the call rejects.
    closed = new Error('The test host closed the connection.')
    for (const waiter of pending.values()) waiter.reject(closed)
    pending.clear()
  })

  return {
    invoke(channel, ...args) {
      if (closed) return Promise.reject(closed)
      const id = nextId++
      const frame: InvokeFrame = { type: 'invoke', id, channel, ...(args.length > 0 ? { payload: args[0] } : {}) }
      const text = encodeFrame(frame)
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject })
        if (socket.readyState === page.WebSocket.OPEN) socket.send(text)
        else queue.push(text)
      })
    },
    on(channel, listener) {
      const set = listeners.get(channel) ?? new Set<Listener>()
      set.add(listener)
      listeners.set(channel, set)
    },
    removeListener(channel, listener) {
      listeners.get(channel)?.delete(listener)
    }
  }
}

// Read-only, as contextBridge.exposeInMainWorld makes it.
Object.defineProperty(globalThis, 'api', { value: buildApi(connect()), writable: false, configurable: false, enumerable: true })
