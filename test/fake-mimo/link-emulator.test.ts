// The network path of bench/network, small enough for every test run: the fake service over HTTPS
// (a certificate made now, trusted only through the client's `ca` option), behind the link emulator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MimoClient } from '../../src/core/mimo/client'
import { MimoError } from '../../src/core/mimo/errors'
import type { ChatRequest } from '../../src/core/mimo/types'
import { makeTestCertificate, type TestCertificate } from './certificate'
import { startLinkEmulator, type LinkEmulator, type LinkProfile } from './link-emulator'
import { startFakeMimo, type FakeMimo } from './server'
import { until } from '../until'

const PROFILE: LinkProfile = { name: 'test', rttMs: 80, downMbps: 8, upMbps: 2 }
const IDLE_CLOSE_MS = 700

let tls: TestCertificate
beforeAll(async () => {
  tls = await makeTestCertificate()
})

const question = (padding = 0): ChatRequest => ({
  model: 'mimo-v2.5',
  messages: [{ role: 'user', content: `${'Tell me about the weather. '.repeat(Math.ceil(padding / 27))}Hi` }],
  thinking: { type: 'disabled' }
})

async function timeToFirstText(client: MimoClient, request: ChatRequest): Promise<number> {
  const t0 = performance.now()
  let first = 0
  for await (const e of client.chat(request)) if (e.type === 'text' && !first) first = performance.now() - t0
  return first
}

describe.each([
  { protocol: 'http/1.1', http2: false },
  { protocol: 'h2', http2: true }
])('link emulator, HTTPS fake service ($protocol)', ({ protocol, http2 }) => {
  let fake: FakeMimo
  let link: LinkEmulator
  let client: MimoClient
  beforeAll(async () => {
    fake = await startFakeMimo({ tls, http2 })
    link = await startLinkEmulator({ target: { host: '127.0.0.1', port: fake.port }, profile: PROFILE, idleCloseMs: IDLE_CLOSE_MS })
    client = new MimoClient({ baseUrl: link.url('/v1'), apiKey: 'test-key', ca: tls.cert, http2, idleLimitMs: 60_000 })
  })
  afterAll(async () => {
    await client.close()
    await link.close()
    await fake.close()
  })

  it('carries a streamed answer over TLS, with the handshake and the round trip charged, and counts the bytes', async () => {
    const cold = await timeToFirstText(client, question())
    // TCP handshake, TLS handshake, then the request and its answer: three round trips at least.
    expect(cold).toBeGreaterThanOrEqual(3 * PROFILE.rttMs)
    expect(fake.requests[0].protocol).toBe(protocol)
    const c = link.counters()
    expect(c.connections).toBe(1)
    expect(c.up).toBeGreaterThan(fake.requests[0].bodyBytes)
    expect(c.down).toBeGreaterThan(500) // the certificate alone

    // The same connection again: one round trip, and the uplink's bandwidth for a bigger question.
    const warm = await timeToFirstText(client, question())
    expect(warm).toBeGreaterThanOrEqual(PROFILE.rttMs)
    expect(warm).toBeLessThan(cold - PROFILE.rttMs)
    const big = await timeToFirstText(client, question(25_000))
    const extra = 25_000 / (PROFILE.upMbps * 125)
    expect(big - warm).toBeGreaterThanOrEqual(extra * 0.8)
    expect(link.counters().connections).toBe(1)
  })

  it('closes a connection left idle, as a gateway does', async () => {
    await timeToFirstText(client, question())
    expect(link.openConnections()).toBe(1)
    await until(() => link.counters().idleClosed >= 1, { what: 'the idle close', timeoutMs: IDLE_CLOSE_MS + 2000 })
    await until(() => link.openConnections() === 0, { what: 'both ends closed', timeoutMs: 2000 })
    // The client notices and connects again.
    await timeToFirstText(client, question())
    expect(link.counters().connections).toBe(2)
  })

  it('refuses the service without its certificate: a clear error, nothing sent', async () => {
    const untrusting = new MimoClient({ baseUrl: link.url('/v1'), apiKey: 'test-key', http2, retry: { maxAttempts: 1 } })
    const before = fake.requests.length
    const err = await timeToFirstText(untrusting, question()).catch((e: unknown) => e)
    await untrusting.close()
    expect(err).toBeInstanceOf(MimoError)
    expect((err as MimoError).userMessage).toMatch(/secure connection failed|certificate/i)
    expect(fake.requests.length).toBe(before)
  })
})
