import { describe, expect, it } from 'vitest'
import { MimoClient, parseRetryAfter } from '../../../src/core/mimo/client'
import { MimoError } from '../../../src/core/mimo/errors'
import { defaultReply, tokenize, type ReplyContext } from '../../fake-mimo/replies'
import { ask, chatEvents, useFakeMimoClient } from './client-fixture'

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p
  } catch (err) {
    return err
  }
  throw new Error('expected the promise to reject')
}

describe('retries', () => {
  // Short waits between attempts, so the retries themselves are quick.
  const mimo = useFakeMimoClient({ retry: { baseDelayMs: 20, maxDelayMs: 2000 } })

  for (const status of [429, 500, 503] as const) {
    it(`${status} twice, then an answer: three requests in all, and the answer arrives`, async () => {
      mimo.fake.injectFault({ kind: 'status', status }, 2)
      const events = await chatEvents(mimo.client)
      expect(mimo.fake.requests.map((r) => r.status)).toEqual([status, status, 200])
      expect(events.some((e) => e.type === 'text')).toBe(true)
    })
  }

  it('gives up after three attempts in all and reports the last error', async () => {
    mimo.fake.injectFault({ kind: 'status', status: 503 }, 5)
    const err = await rejection(mimo.client.complete(ask))
    expect(err).toBeInstanceOf(MimoError)
    expect((err as MimoError).status).toBe(503)
    expect(mimo.fake.requests).toHaveLength(3)
  })

  it('takes maxAttempts from the options', async () => {
    const patient = new MimoClient({ baseUrl: mimo.fake.url, apiKey: 'test-key', retry: { maxAttempts: 5, baseDelayMs: 5 } })
    mimo.fake.injectFault({ kind: 'status', status: 500 }, 4)
    await patient.complete(ask)
    await patient.close()
    expect(mimo.fake.requests.map((r) => r.status)).toEqual([500, 500, 500, 500, 200])
  })

  for (const status of [400, 401, 402, 403, 404, 421] as const) {
    it(`does not retry ${status}`, async () => {
      mimo.fake.injectFault({ kind: 'status', status }, 3)
      await rejection(chatEvents(mimo.client))
      expect(mimo.fake.requests).toHaveLength(1)
    })
  }

  it('waits the Retry-After the service asks for', async () => {
    mimo.fake.injectFault({ kind: 'status', status: 429, retryAfterSec: 1 })
    await chatEvents(mimo.client)
    expect(mimo.fake.requests).toHaveLength(2)
    expect(mimo.fake.requests[1].at - mimo.fake.requests[0].at).toBeGreaterThanOrEqual(950)
  })

  it('does not wait a Retry-After longer than maxDelayMs: reports it at once instead', async () => {
    mimo.fake.injectFault({ kind: 'status', status: 429, retryAfterSec: 60 })
    const started = Date.now()
    const err = (await rejection(chatEvents(mimo.client))) as MimoError
    expect(Date.now() - started).toBeLessThan(1000)
    expect(err.retryAfterMs).toBe(60_000)
    expect(err.userMessage).toMatch(/Try again in 60 seconds/)
    expect(mimo.fake.requests).toHaveLength(1)
  })

  it('never retries once the answer has started streaming', async () => {
    mimo.fake.injectFault({ kind: 'cut-mid-stream', afterChunks: 4 })
    const err = (await rejection(chatEvents(mimo.client))) as MimoError
    expect(err.code).toBe('stream_cut')
    // Four chunks of one word each had arrived.
    expect(err.partialText).toBe(tokenize(defaultReply({ question: 'Hi' } as ReplyContext)).slice(0, 4).join(''))
    expect(mimo.fake.requests).toHaveLength(1)
    mimo.fake.injectFault({ kind: 'malformed-event', afterChunks: 2 })
    expect(await rejection(chatEvents(mimo.client))).toMatchObject({ code: 'malformed_stream' })
    expect(mimo.fake.requests).toHaveLength(2)
  })

  it('stops waiting between attempts when the signal fires, and sends nothing more', async () => {
    mimo.fake.injectFault({ kind: 'status', status: 503, retryAfterSec: 2 })
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 150)
    const started = Date.now()
    const err = await rejection(chatEvents(mimo.client, ask, controller.signal))
    expect((err as Error).name).toBe('AbortError')
    expect(Date.now() - started).toBeLessThan(1500)
    await new Promise((r) => setTimeout(r, 2200))
    expect(mimo.fake.requests).toHaveLength(1)
  })

})

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3000)
    expect(parseRetryAfter('0.5')).toBe(500)
    const now = Date.parse('2026-11-24T12:00:00Z')
    expect(parseRetryAfter('Tue, 24 Nov 2026 12:00:10 GMT', now)).toBe(10_000)
    expect(parseRetryAfter('Tue, 24 Nov 2026 11:00:00 GMT', now)).toBe(0)
    expect(parseRetryAfter('soon')).toBeUndefined()
    expect(parseRetryAfter(undefined)).toBeUndefined()
  })
})
