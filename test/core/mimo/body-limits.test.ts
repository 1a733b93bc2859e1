// A broken or hostile server that never stops sending: the client reads at most a bounded amount of any
// body or server-sent event, then stops and says so (real HTTP against the fake MiMo's flood fault).
import { describe, expect, it } from 'vitest'
import { BODY_LIMITS } from '../../../src/core/mimo/body-limits'
import { MimoError } from '../../../src/core/mimo/errors'
import { ask, useFakeMimoClient } from './client-fixture'

async function failure(run: () => Promise<unknown>): Promise<MimoError> {
  const err = await run().then(
    () => undefined,
    (e: unknown) => e
  )
  if (err instanceof MimoError) return err
  throw new Error(`expected a MimoError, got ${String(err)}`)
}

const MB = 1024 * 1024

describe('bounded reading of what the service sends', () => {
  const mimo = useFakeMimoClient({ retry: { maxAttempts: 1 } })
  const sent = (): number => mimo.fake.requests.at(-1)?.floodBytes ?? 0

  it('an error body that never ends: the first 64 KB are read, the error is reported, the rest is never fetched', async () => {
    mimo.fake.injectFault({ kind: 'flood', what: 'error-body' })
    const err = await failure(() => mimo.client.complete(ask))
    expect(err.status).toBe(500)
    expect(err.userMessage).toMatch(/having trouble right now \(error 500\)/)
    // What the server managed to write before the client hung up: the client's reads plus socket buffers.
    expect(sent()).toBeLessThan(16 * MB)
    expect(BODY_LIMITS.errorBytes).toBe(64 * 1024)
  })

  it('a whole answer of more than 32 MB is refused, not read into memory', async () => {
    mimo.fake.injectFault({ kind: 'flood', what: 'json-answer' })
    const err = await failure(() => mimo.client.complete(ask))
    expect(err.code).toBe('response_too_large')
    expect(err.userMessage).toMatch(/more than 32 MB in one answer/)
    expect(sent()).toBeLessThan(BODY_LIMITS.answerBytes + 16 * MB)
  })

  for (const what of ['sse-line', 'sse-event', 'json-answer'] as const) {
    it(`a stream whose ${what === 'json-answer' ? 'JSON answer' : what === 'sse-line' ? 'line' : 'event'} never ends stops at 32 MB`, async () => {
      mimo.fake.injectFault({ kind: 'flood', what })
      const err = await failure(async () => {
        for await (const _ of mimo.client.chat(ask)) {
          // read on
        }
      })
      expect(err.code).toBe('response_too_large')
      expect(sent()).toBeLessThan(BODY_LIMITS.sseEventBytes + 16 * MB)
    })
  }
})
