import { beforeEach, describe, expect, it } from 'vitest'
import { until } from '../../until'
import { MimoClient } from '../../../src/core/mimo/client'
import { isAbortError, MimoError } from '../../../src/core/mimo/errors'
import type { ChatEvent } from '../../../src/core/mimo/types'
import { ask, useFakeMimoClient } from './client-fixture'

describe('timeouts, abort and close', () => {
  // Short timeouts, so a silent service is found out quickly.
  const mimo = useFakeMimoClient({ timeouts: { firstByteMs: 300, idleMs: 300 } })
  beforeEach(() => {
    // Tests slow the fake down; each starts from an instant one.
    mimo.fake.setLatency({ firstTokenMs: 0, perTokenMs: 0 })
  })

  it('a service that never answers: first-byte timeout, streamed and not', async () => {
    mimo.fake.injectFault({ kind: 'hang' }, 2)
    const streamed = await (async () => {
      for await (const _ of mimo.client.chat(ask)) {
        // nothing arrives
      }
    })().catch((e: unknown) => e)
    const whole = await mimo.client.complete(ask).catch((e: unknown) => e)
    for (const err of [streamed, whole]) {
      expect(err).toBeInstanceOf(MimoError)
      expect(err).toMatchObject({ status: 0, code: 'first_byte_timeout', userMessage: expect.stringMatching(/did not start answering within 1 second/) })
    }
    expect(mimo.fake.requests).toHaveLength(2) // timeouts are not retried
  })

  it('a stream that stalls: idle timeout with the partial text', async () => {
    mimo.fake.injectFault({ kind: 'hang', afterChunks: 5 })
    const seen: string[] = []
    const err = await (async () => {
      for await (const e of mimo.client.chat(ask)) if (e.type === 'text') seen.push(e.text)
    })().catch((e: unknown) => e)
    expect(err).toMatchObject({ status: 0, code: 'idle_timeout', userMessage: expect.stringMatching(/stopped sending the answer/) })
    expect(seen).toHaveLength(5)
    expect((err as MimoError).partialText).toBe(seen.join(''))
  })

  it('time the caller spends on an event does not count as idle', async () => {
    mimo.fake.setLatency({ perTokenMs: 1 })
    const texts: string[] = []
    for await (const e of mimo.client.chat(ask)) {
      if (e.type !== 'text') continue
      texts.push(e.text)
      // Five times idleMs (undici's timers are coarse, about a second).
      if (texts.length === 1) await new Promise((r) => setTimeout(r, 1500))
    }
    expect(texts.length).toBeGreaterThan(10)
  })

  it('slow but steady tokens are not a timeout', async () => {
    mimo.fake.setLatency({ firstTokenMs: 200, perTokenMs: 30 })
    const events: ChatEvent[] = []
    for await (const e of mimo.client.chat({ ...ask, max_completion_tokens: 12 })) events.push(e)
    expect(events.find((e) => e.type === 'finish')).toEqual({ type: 'finish', reason: 'length' })
  })

  it('abort mid-stream stops at once: AbortError with the partial text, and the connection is closed', async () => {
    mimo.fake.setLatency({ perTokenMs: 40 })
    const controller = new AbortController()
    const seen: string[] = []
    let abortedAt = 0
    const err = await (async () => {
      for await (const e of mimo.client.chat(ask, { signal: controller.signal })) {
        if (e.type !== 'text') continue
        seen.push(e.text)
        if (seen.length === 3) {
          abortedAt = Date.now()
          controller.abort()
        }
      }
    })().catch((e: unknown) => e)
    expect(Date.now() - abortedAt).toBeLessThan(500)
    expect(isAbortError(err)).toBe(true)
    expect((err as Error).name).toBe('AbortError')
    expect((err as { partialText?: string }).partialText).toBe(seen.join(''))
    expect(seen).toHaveLength(3)
    await until(() => mimo.fake.requests[0].clientClosed)
    expect(mimo.fake.requests[0].completed).toBe(false)
  })

  it('abort while waiting for the first byte', async () => {
    mimo.fake.injectFault({ kind: 'hang' })
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 50)
    const slow = new MimoClient({ baseUrl: mimo.fake.url, apiKey: 'test-key' })
    const err = await slow.complete(ask, { signal: controller.signal }).catch((e: unknown) => e)
    await slow.close()
    expect(isAbortError(err)).toBe(true)
    await until(() => mimo.fake.requests[0].clientClosed)
  })

  it('a signal that has already fired sends nothing', async () => {
    const controller = new AbortController()
    controller.abort()
    const err = await mimo.client.complete(ask, { signal: controller.signal }).catch((e: unknown) => e)
    expect(isAbortError(err)).toBe(true)
    expect(mimo.fake.requests).toHaveLength(0)
  })

  it('leaving the loop early stops the request without an error', async () => {
    mimo.fake.setLatency({ perTokenMs: 30 })
    let n = 0
    for await (const e of mimo.client.chat(ask)) {
      if (e.type === 'text' && ++n === 2) break
    }
    await until(() => mimo.fake.requests[0].clientClosed)
  })

  it('close() stops requests in flight and refuses new ones', async () => {
    mimo.fake.setLatency({ perTokenMs: 40 })
    const closing = new MimoClient({ baseUrl: mimo.fake.url, apiKey: 'test-key' })
    const running = (async () => {
      let n = 0
      for await (const e of closing.chat(ask)) if (e.type === 'text' && ++n === 2) void closing.close()
    })().catch((e: unknown) => e)
    expect(await running).toMatchObject({ name: 'MimoError', code: 'closed' })
    await expect(closing.complete(ask)).rejects.toMatchObject({ code: 'closed' })
    await until(() => mimo.fake.requests[0].clientClosed)
  })
})
