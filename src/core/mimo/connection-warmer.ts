/**
 * Connections opened before they are needed. On a real link a new connection costs a TCP and a TLS
 * handshake (two round trips, 0.1 to 0.6 s) and the service's gateway closes connections left idle
 * for a few seconds, so between two questions the kept-alive one is usually gone. The warmer is the
 * connector of the client's undici Agent: `warm()` opens and handshakes the connections a turn will
 * need (no request is sent), parks them, and hands them to undici when it asks for a connection.
 *
 * Rules:
 * - never more than a turn needs: `connections` counts every live, young connection, parked or
 *   already in undici's hands;
 * - never past the idle limit: a connection idle for `idleLimitMs` is closed (parked, or undici's
 *   when no request is in flight), before the gateway can close it under a request; while warmth
 *   is held, one about to reach the limit is replaced `refreshLeadMs` ahead;
 * - the caller decides when (key down, app start, window shown) and checks there is a key.
 */
import { buildConnector, errors } from 'undici'
import type { Socket } from 'node:net'

export interface ConnectionWarmerOptions {
  /** How undici would connect (tls options such as `ca`, `allowH2`, `timeout`): used for every connection. */
  connect: buildConnector.BuildOptions
  /** The service's origin, e.g. https://api.xiaomimimo.com: the only place connections are opened ahead. */
  origin: string
  /** Connections a turn uses at once: 3 over HTTP/1.1 (answer, speech, transcript), 1 over HTTP/2. */
  connections: number
  /** A connection idle this long is closed; below the service's own limit. Default 4000. */
  idleLimitMs?: number
  /** While warmth is held, a connection this close to the limit gets its replacement (a handshake's time, with room). Default 1000. */
  refreshLeadMs?: number
  /**
   * After cool(), warmth is still held this long: the turn's first speech request and its transcript
   * follow the answer by a second or two and want a fresh connection too. Default 3000.
   */
  tailMs?: number
  /** True while the client has requests in flight: connections undici holds are left alone then. */
  busy: () => boolean
  clock?: () => number
}

const RETRY_AFTER_FAILURE_MS = 5000

interface Tracked {
  socket: Socket
  /** Opened ahead and not yet handed to undici. */
  parked: boolean
  /** Resolves once the handshake is done (rejects if it failed). */
  ready: Promise<Socket>
  handshaken: boolean
  lastActive: number
  lastBytes: number
}

export interface WarmerStats {
  /** Connections opened ahead (each a TCP and TLS handshake). */
  opened: number
  /** Connections undici asked for that were waiting, warm. */
  handedWarm: number
  /** Connections undici had to open itself, on the spot. */
  openedCold: number
  /** Connections closed for being idle too long. */
  closedIdle: number
  /** Connections open now (parked or in use). */
  open: number
}

export class ConnectionWarmer {
  private readonly base: buildConnector.connector
  private readonly origin: URL
  private readonly idleLimitMs: number
  private readonly refreshLeadMs: number
  private readonly clock: () => number
  private readonly tracked = new Set<Tracked>()
  private holdUntil = 0
  private lastProtocol: string | undefined
  /** When a connection opened ahead last failed (offline, wrong host): held warmth waits before trying again. */
  private failedAt = Number.NEGATIVE_INFINITY
  private timer: NodeJS.Timeout | undefined
  private closed = false
  private readonly counts = { opened: 0, handedWarm: 0, openedCold: 0, closedIdle: 0 }

  constructor(private readonly o: ConnectionWarmerOptions) {
    this.base = buildConnector(o.connect)
    this.origin = new URL(o.origin)
    this.idleLimitMs = o.idleLimitMs ?? 4000
    this.refreshLeadMs = Math.min(o.refreshLeadMs ?? 1000, this.idleLimitMs / 2)
    this.clock = o.clock ?? (() => performance.now())
  }

  /** The Agent's `connect` option: a warm connection when one is parked, else a new one. */
  readonly connector: buildConnector.connector = (options, callback) => {
    const parked = this.takeParked(options)
    if (parked) {
      this.counts.handedWarm++
      parked.ready.then(
        (socket) => callback(null, socket),
        () => this.connectNow(options, callback) // the warm one failed: try once more, on the spot
      )
      return
    }
    this.counts.openedCold++
    this.connectNow(options, callback)
  }

  /**
   * Opens the connections a turn needs (those missing), and keeps them so for `holdMs`: a connection
   * about to reach the idle limit is replaced. 0: open them once and let them age.
   */
  warm(holdMs = 0): void {
    if (this.closed) return
    this.holdUntil = Math.max(this.holdUntil, this.clock() + holdMs)
    this.tick(true)
  }

  /** Stops replacing connections after the tail (what is open stays until it ages out or is used). */
  cool(): void {
    this.holdUntil = Math.min(this.holdUntil, this.clock() + (this.o.tailMs ?? 3000))
  }

  /**
   * The service answered the last connection in HTTP/2: requests may share a connection. (Over
   * HTTP/1.1 they must not: a second request would queue behind a streaming answer.)
   */
  get multiplexing(): boolean {
    return this.lastProtocol === 'h2'
  }

  stats(): WarmerStats {
    return { ...this.counts, open: [...this.tracked].filter((t) => !t.socket.destroyed).length }
  }

  close(): void {
    this.closed = true
    this.holdUntil = 0
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    for (const t of this.tracked) if (t.parked) t.socket.destroy()
    this.tracked.clear()
  }

  private connectNow(options: buildConnector.Options, callback: buildConnector.Callback): void {
    this.base(options, (err, socket) => {
      if (err || !socket) return callback(err ?? new Error('no connection'), null)
      if (this.isOurOrigin(options)) this.track(socket, false, Promise.resolve(socket))
      callback(null, socket)
    })
  }

  private isOurOrigin(options: buildConnector.Options): boolean {
    const port = (p: string | number | undefined, protocol: string): string => String(p || (protocol === 'https:' ? 443 : 80))
    return (
      options.protocol === this.origin.protocol &&
      options.hostname === this.origin.hostname &&
      port(options.port, options.protocol) === port(this.origin.port, this.origin.protocol)
    )
  }

  private takeParked(options: buildConnector.Options): Tracked | undefined {
    if (!this.isOurOrigin(options)) return undefined
    const now = this.clock()
    let best: Tracked | undefined
    for (const t of this.tracked) {
      if (!t.parked || t.socket.destroyed || now - t.lastActive >= this.idleLimitMs) continue
      // A finished handshake first, then the youngest (it lives longest); else the handshake begun first.
      const better = !best || (t.handshaken !== best.handshaken ? t.handshaken : t.handshaken ? t.lastActive > best.lastActive : t.lastActive < best.lastActive)
      if (better) best = t
    }
    if (best) best.parked = false
    return best
  }

  private openAhead(): void {
    const port = this.origin.port || (this.origin.protocol === 'https:' ? '443' : '80')
    let socket: Socket | undefined
    const ready = new Promise<Socket>((resolve, reject) => {
      socket = this.base({ hostname: this.origin.hostname, host: this.origin.host, protocol: this.origin.protocol, port, servername: undefined }, (err, s) =>
        err || !s ? reject(err ?? new Error('no connection')) : resolve(s)
      ) as unknown as Socket | undefined
    })
    // A failed warm-up is only a missed chance: the request will connect (and report) on its own.
    ready.catch(() => {
      this.failedAt = this.clock()
    })
    this.counts.opened++
    if (socket) this.track(socket, true, ready)
    else ready.then((s) => this.track(s, true, ready), () => undefined)
  }

  private track(socket: Socket, parked: boolean, ready: Promise<Socket>): void {
    const t: Tracked = { socket, parked, ready, handshaken: false, lastActive: this.clock(), lastBytes: 0 }
    ready.then(
      (s) => {
        t.handshaken = true
        this.lastProtocol = (s as Socket & { alpnProtocol?: string | false }).alpnProtocol || 'http/1.1'
      },
      () => undefined
    )
    this.tracked.add(t)
    socket.once('close', () => this.tracked.delete(t))
    // A parked connection's error is nobody's to hear (undici listens once it is handed over).
    if (parked) socket.on('error', () => undefined)
    this.startTimer()
  }

  private startTimer(): void {
    if (this.timer || this.closed) return
    this.timer = setInterval(() => this.tick(false), Math.max(50, Math.min(500, this.refreshLeadMs / 3)))
    this.timer.unref()
  }

  private tick(topUp: boolean): void {
    const now = this.clock()
    const busy = this.o.busy()
    let young = 0
    for (const t of this.tracked) {
      if (t.socket.destroyed) {
        this.tracked.delete(t)
        continue
      }
      const bytes = t.socket.bytesRead + t.socket.bytesWritten
      if (bytes !== t.lastBytes) {
        t.lastBytes = bytes
        t.lastActive = now
      }
      const idle = now - t.lastActive
      if (idle >= this.idleLimitMs && (t.parked || !busy)) {
        this.counts.closedIdle++
        this.tracked.delete(t)
        // With a socket error, as undici expects of a connection that went away (a bare destroy trips its HTTP/2 code).
        t.socket.destroy(new errors.SocketError('closed after being idle'))
        continue
      }
      if (idle < this.idleLimitMs - this.refreshLeadMs) young++
    }
    const retryAllowed = now - this.failedAt >= RETRY_AFTER_FAILURE_MS
    if (topUp || (now < this.holdUntil && retryAllowed)) for (let i = young; i < this.o.connections; i++) this.openAhead()
    if (this.tracked.size === 0 && now >= this.holdUntil && this.timer) {
      clearInterval(this.timer)
      this.timer = undefined
    }
  }
}
