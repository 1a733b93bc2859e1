/**
 * The host's end of the bridge: a WebSocket on the page's own origin that runs each call through the
 * real `dispatchInvoke` (schema check, handler, errors as values) and pushes main-process events.
 * Only pages served by this host may connect (the Origin header is checked), as only the app's own
 * window may call ipcMain in the app.
 */
import type { IncomingMessage, Server } from 'node:http'
import { WebSocketServer, type WebSocket } from 'ws'
import { dispatchInvoke } from '../../src/main/ipc-dispatch'
import type { Handlers } from '../../src/shared/ipc'
import { BRIDGE_PATH, decodeFrame, encodeFrame } from './bridge-codec'

export interface BridgeServer {
  /** Sends an event to every connected page. */
  broadcast(channel: string, payload: unknown): void
  /** Pages connected now. */
  readonly connections: number
  /** Every invoke received, in order (for tests that check what the window asked). */
  readonly calls: Array<{ channel: string; payload: unknown }>
  /** Drops every page's connection (their pending calls reject, as when the app quits). */
  disconnectAll(): void
  close(): Promise<void>
}

export interface BridgeServerOptions {
  server: Server
  /** The origin pages are served from, e.g. http://127.0.0.1:4312. */
  origin: string
  /** The handler map in force now (it changes when the host restarts its services). */
  handlers: () => Handlers
  /** A page connected: its load starts a new handshake (as Electron's did-start-loading). */
  onConnect?: () => void
  log?: (message: string) => void
}

export function startBridgeServer(o: BridgeServerOptions): BridgeServer {
  const wss = new WebSocketServer({
    server: o.server,
    path: BRIDGE_PATH,
    maxPayload: 64 * 1024 * 1024,
    verifyClient: (info: { origin: string; req: IncomingMessage }) => info.origin === o.origin
  })
  const sockets = new Set<WebSocket>()
  const calls: Array<{ channel: string; payload: unknown }> = []

  wss.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', (err) => o.log?.(`bridge socket: ${err.message}`))
    o.onConnect?.()
    socket.on('message', (data, isBinary) => {
      if (isBinary) return
      const frame = decodeFrame(data.toString())
      if (!frame || frame.type !== 'invoke') return
      calls.push({ channel: frame.channel, payload: frame.payload })
      // Never rejects: an unknown channel, a bad payload or a failing service come back as Result errors.
      void dispatchInvoke(o.handlers(), frame.channel, frame.payload).then((result) => {
        if (socket.readyState === socket.OPEN) socket.send(encodeFrame({ type: 'result', id: frame.id, result }))
      })
    })
  })

  return {
    broadcast(channel, payload) {
      const text = encodeFrame({ type: 'event', channel, payload })
      for (const s of sockets) if (s.readyState === s.OPEN) s.send(text)
    },
    get connections() {
      return sockets.size
    },
    calls,
    disconnectAll() {
      for (const s of sockets) s.terminate()
      sockets.clear()
    },
    close() {
      for (const s of sockets) s.terminate()
      return new Promise((resolve) => wss.close(() => resolve()))
    }
  }
}
