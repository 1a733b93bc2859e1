// A network link on loopback, between a client and the fake service: a TCP relay that delays each
// direction by half the round trip, paces the bytes of each direction to its bandwidth (one uplink
// and one downlink shared by every connection, as on a home or mobile line), charges the TCP
// handshake (a client's first byte leaves one round trip after it connected), closes connections
// left idle as a gateway does, and counts the bytes each way.
//
// Not modelled: loss, TCP slow start and congestion control (the relay's own loopback sockets never
// slow down), so a transfer costs exactly its bytes over the bandwidth.
import net, { type AddressInfo, type Socket } from 'node:net'

export interface LinkProfile {
  name: string
  /** Round trip, ms (each direction gets half). */
  rttMs: number
  downMbps: number
  upMbps: number
}

export const LINK_PROFILES = {
  good: { name: 'good', rttMs: 40, downMbps: 50, upMbps: 20 },
  far: { name: 'far', rttMs: 180, downMbps: 20, upMbps: 5 },
  poor: { name: 'poor', rttMs: 300, downMbps: 5, upMbps: 1 }
} as const satisfies Record<string, LinkProfile>

export interface LinkEmulatorOptions {
  /** Where the relay forwards to (the fake service), on loopback. */
  target: { host: string; port: number }
  profile: LinkProfile
  /** A connection with no bytes either way for this long is closed at both ends. Default 5000; 0: never. */
  idleCloseMs?: number
}

export interface LinkCounters {
  /** Bytes from clients to the service (TLS records included). */
  up: number
  /** Bytes from the service to clients. */
  down: number
  /** Connections opened. */
  connections: number
  /** Connections the relay closed for idleness. */
  idleClosed: number
}

export interface LinkEmulator {
  port: number
  /** `https://127.0.0.1:<relay port><path>`, e.g. the base URL with `/v1`. */
  url(path: string, scheme?: 'http' | 'https'): string
  counters(): LinkCounters
  resetCounters(): void
  /** Connections open now. */
  openConnections(): number
  close(): Promise<void>
}

/** One direction of the line: a queue that sends at the bandwidth, then the propagation delay. */
class Direction {
  private freeAt = 0
  bytes = 0
  constructor(
    private readonly delayMs: number,
    private readonly bytesPerMs: number
  ) {}

  /** When `length` bytes handed over now arrive at the other end. */
  arrival(length: number): number {
    const start = Math.max(performance.now(), this.freeAt)
    this.freeAt = start + length / this.bytesPerMs
    this.bytes += length
    return this.freeAt + this.delayMs
  }
}

/** What one end of a connection receives: delivered in order, each piece at its arrival time. */
class Delivery {
  private readonly queue: Array<{ at: number; chunk: Buffer | null }> = []
  private timer: NodeJS.Timeout | undefined

  constructor(
    private readonly to: Socket,
    private readonly onDelivered: () => void
  ) {}

  /** `chunk` null: the sender finished (FIN), delivered after everything before it. */
  push(at: number, chunk: Buffer | null): void {
    this.queue.push({ at, chunk })
    if (!this.timer) this.schedule()
  }

  get pending(): boolean {
    return this.queue.length > 0
  }

  private schedule(): void {
    const head = this.queue[0]
    if (!head) return
    this.timer = setTimeout(() => this.flush(), Math.max(0, head.at - performance.now()))
  }

  private flush(): void {
    this.timer = undefined
    const now = performance.now()
    while (this.queue.length && this.queue[0].at <= now + 0.5) {
      const { chunk } = this.queue.shift()!
      if (this.to.destroyed) continue
      if (chunk === null) this.to.end()
      else this.to.write(chunk)
      this.onDelivered()
    }
    this.schedule()
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    this.queue.length = 0
  }
}

const MAX_PIECE = 16 * 1024

export async function startLinkEmulator(o: LinkEmulatorOptions): Promise<LinkEmulator> {
  const { profile } = o
  const oneWay = profile.rttMs / 2
  const idleCloseMs = o.idleCloseMs ?? 5000
  // Mbit/s to bytes per ms: 1 Mbit/s = 125 bytes/ms.
  const up = new Direction(oneWay, profile.upMbps * 125)
  const down = new Direction(oneWay, profile.downMbps * 125)
  const counters: LinkCounters = { up: 0, down: 0, connections: 0, idleClosed: 0 }
  const open = new Set<Socket>()

  const server = net.createServer((client) => {
    counters.connections++
    // The handshake: the client's SYN and the SYN-ACK cross the line before its first byte can leave.
    const established = performance.now() + profile.rttMs
    const service = net.connect(o.target.port, o.target.host)
    client.setNoDelay(true)
    service.setNoDelay(true)
    open.add(client)
    open.add(service)
    let idle: NodeJS.Timeout | undefined
    let idleClosing = false
    const active = (): void => {
      if (idleCloseMs > 0 && !idleClosing) idle?.refresh()
    }
    const toService = new Delivery(service, active)
    const toClient = new Delivery(client, active)
    /** A reset: both ends at once, nothing more delivered. */
    const abort = (): void => {
      toService.stop()
      toClient.stop()
      client.destroy()
      service.destroy()
    }
    for (const s of [client, service]) {
      s.on('close', () => {
        open.delete(s)
        if (client.destroyed && service.destroyed) {
          toService.stop()
          toClient.stop()
          if (idle) clearTimeout(idle)
        }
      })
    }
    if (idleCloseMs > 0) {
      idle = setTimeout(function check() {
        if (toService.pending || toClient.pending) return void idle?.refresh()
        // The gateway drops the connection: the service hears it now, the client half a trip later.
        idleClosing = true
        counters.idleClosed++
        service.destroy()
        toClient.push(performance.now() + oneWay, null)
        setTimeout(abort, oneWay + 5).unref()
      }, idleCloseMs)
      idle.unref()
    }

    const relay = (from: Socket, line: Direction, to: Delivery, count: 'up' | 'down', opensAt: number): void => {
      // Bytes sent before the handshake is over wait for it off the line (other connections use it meanwhile).
      const held: Array<Buffer | null> = []
      const send = (data: Buffer | null): void => {
        if (data === null) return to.push(line.arrival(0), null)
        for (let at = 0; at < data.length; at += MAX_PIECE) {
          const piece = data.subarray(at, at + MAX_PIECE)
          to.push(line.arrival(piece.length), piece)
        }
      }
      const wait = opensAt - performance.now()
      let open = wait <= 0
      if (!open)
        setTimeout(() => {
          open = true
          for (const data of held.splice(0)) send(data)
        }, wait).unref()
      const pass = (data: Buffer | null): void => (open ? send(data) : void held.push(data))
      from.on('data', (data: Buffer) => {
        if (idleClosing) return // the gateway has dropped the connection: bytes go nowhere
        active()
        counters[count] += data.length
        pass(data)
      })
      from.on('end', () => pass(null))
      from.on('error', abort)
      from.on('close', () => {
        if (!from.readableEnded && !idleClosing) abort()
      })
    }
    relay(client, up, toService, 'up', established)
    relay(service, down, toClient, 'down', 0)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port

  return {
    port,
    url: (path, scheme = 'https') => `${scheme}://127.0.0.1:${port}${path}`,
    counters: () => ({ ...counters }),
    resetCounters() {
      counters.up = counters.down = counters.connections = counters.idleClosed = 0
    },
    openConnections: () => Math.ceil([...open].filter((s) => !s.destroyed).length / 2),
    async close() {
      const closing = new Promise<void>((resolve) => server.close(() => resolve()))
      for (const s of open) s.destroy()
      await closing
    }
  }
}
