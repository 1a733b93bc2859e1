// Connections opened ahead, over a real link: the fake service over HTTPS behind the link emulator
// (a round trip of 100 ms, so a handshake on the spot shows), through MimoClient.warm().
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { MimoClient, type MimoClientOptions, type RequestTimings } from '../../../src/core/mimo/client'
import type { ChatRequest } from '../../../src/core/mimo/types'
import { makeTestCertificate, type TestCertificate } from '../../fake-mimo/certificate'
import { startLinkEmulator, type LinkEmulator } from '../../fake-mimo/link-emulator'
import { startFakeMimo, type FakeMimo } from '../../fake-mimo/server'
import { until } from '../../until'

const RTT = 100
const ask: ChatRequest = { model: 'mimo-v2.5', messages: [{ role: 'user', content: 'Hi' }], thinking: { type: 'disabled' } }
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

let tls: TestCertificate
beforeAll(async () => {
  tls = await makeTestCertificate()
})

async function timed(client: MimoClient): Promise<RequestTimings> {
  let timings: RequestTimings | undefined
  for await (const e of client.chat(ask, { onTimings: (t) => (timings = t) })) void e
  return timings!
}

describe.each([
  { protocol: 'http/1.1', http2: false, perTurn: 3 },
  { protocol: 'h2', http2: true, perTurn: 1 }
])('connection warm-up ($protocol)', ({ http2, perTurn }) => {
  let fake: FakeMimo
  let link: LinkEmulator
  const clients: MimoClient[] = []
  beforeAll(async () => {
    fake = await startFakeMimo({ tls, http2 })
    link = await startLinkEmulator({ target: { host: '127.0.0.1', port: fake.port }, profile: { name: 'test', rttMs: RTT, downMbps: 20, upMbps: 5 }, idleCloseMs: 0 })
  })
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.close()
    await until(() => link.openConnections() === 0, { what: 'the connections to close' })
    link.resetCounters()
    fake.clearRequests()
  })
  afterAll(async () => {
    await link.close()
    await fake.close()
  })
  const client = (o: Partial<MimoClientOptions> = {}): MimoClient => {
    const c = new MimoClient({ baseUrl: link.url('/v1'), apiKey: 'test-key', ca: tls.cert, http2, ...o })
    clients.push(c)
    return c
  }

  it('opens and handshakes the connections a turn needs, sends nothing, and the next request finds one ready', async () => {
    const c = client()
    await c.warm()
    await until(() => c.connectionStats()!.open === perTurn && link.counters().down > 0, { what: 'the handshakes' })
    await sleep(3 * RTT)
    expect(link.counters().connections).toBe(perTurn)
    expect(fake.requests).toHaveLength(0)

    const warm = await timed(c)
    expect(warm.connectMs).toBeLessThan(RTT / 2)
    expect(c.connectionStats()).toMatchObject({ opened: perTurn, handedWarm: 1, openedCold: 0 })
    expect(link.counters().connections).toBe(perTurn)

    // Without warm-up, the request pays the TCP and TLS handshakes itself.
    const cold = await timed(client())
    expect(cold.connectMs).toBeGreaterThanOrEqual(2 * RTT * 0.9)
  })

  it('never opens more than a turn needs, however often it is asked', async () => {
    const c = client()
    await c.warm()
    await c.warm()
    await c.warm(2000)
    await sleep(3 * RTT)
    expect(c.connectionStats()!.opened).toBe(perTurn)
    expect(link.counters().connections).toBe(perTurn)
  })

  it('opens nothing without a key', async () => {
    const c = client({ apiKey: () => undefined })
    await c.warm(5000)
    await sleep(3 * RTT)
    expect(link.counters().connections).toBe(0)
    expect(c.connectionStats()!.opened).toBe(0)
  })

  it('closes connections idle past the limit, and replaces them while warmth is held', async () => {
    const idleLimitMs = 500
    const once = client({ idleLimitMs })
    await once.warm(0)
    await until(() => once.connectionStats()!.open === perTurn, { what: 'the warm connections' })
    await until(() => once.connectionStats()!.open === 0, { what: 'the idle connections to close', timeoutMs: 3000 })
    expect(once.connectionStats()!.closedIdle).toBe(perTurn)

    const held = client({ idleLimitMs })
    await held.warm(1500)
    await sleep(1200)
    // Replaced ahead of the limit: still a turn's worth, young, and more were opened than a turn needs at once.
    expect(held.connectionStats()!.open).toBeGreaterThanOrEqual(perTurn)
    expect(held.connectionStats()!.opened).toBeGreaterThan(perTurn)
    expect((await timed(held)).connectMs).toBeLessThan(RTT / 2)
    // Once the hold is over, nothing more is opened and what is idle closes.
    held.cool()
    await until(() => held.connectionStats()!.open === 0, { what: 'the connections to age out', timeoutMs: 3000 })
    const opened = held.connectionStats()!.opened
    await sleep(idleLimitMs * 2)
    expect(held.connectionStats()!.opened).toBe(opened)
  })

  it(`carries a turn's requests side by side (${http2 ? 'one connection' : 'one connection each'})`, async () => {
    const c = client()
    await c.warm()
    await until(() => c.connectionStats()!.open === perTurn && link.counters().down > 0, { what: 'the handshakes' })
    await sleep(2 * RTT)
    // As in a turn: the answer first, then requests beside it.
    const answer = timed(c)
    await sleep(RTT / 2)
    const all = await Promise.all([answer, timed(c), timed(c)])
    for (const t of all) expect(t.connectMs).toBeLessThan(RTT / 2)
    expect(new Set(fake.requests.map((r) => r.connection)).size).toBe(http2 ? 1 : 3)
  })
})

describe('connection warm-up without a service', () => {
  it('tries once per warm-up while held, not again and again, when the service cannot be reached', async () => {
    // A port nothing listens on: every connection is refused at once.
    const { createServer } = await import('node:net')
    const probe = createServer()
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()))
    const port = (probe.address() as { port: number }).port
    await new Promise<void>((r) => probe.close(() => r()))
    const c = new MimoClient({ baseUrl: `https://127.0.0.1:${port}/v1`, apiKey: 'test-key', ca: tls.cert, idleLimitMs: 400 })
    try {
      await c.warm(2000)
      await sleep(1500)
      expect(c.connectionStats()).toMatchObject({ opened: 3, open: 0 })
    } finally {
      await c.close()
    }
  })
})
