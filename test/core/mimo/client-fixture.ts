// The fake MiMo server with a client pointed at it, shared by the client tests, and the small
// requests they send.

import { afterAll, beforeAll, beforeEach } from 'vitest'
import { MimoClient, type MimoClientOptions } from '../../../src/core/mimo/client'
import type { ChatEvent, ChatRequest } from '../../../src/core/mimo/types'
import { startFakeMimo, type FakeMimo } from '../../fake-mimo/server'

/** A one-line question with thinking off: the smallest request the service answers. */
export const ask: ChatRequest = { model: 'mimo-v2.5', messages: [{ role: 'user', content: 'Hi' }], thinking: { type: 'disabled' } }

export interface FakeMimoClient {
  readonly fake: FakeMimo
  readonly client: MimoClient
}

/**
 * For the enclosing describe block: starts a fake MiMo server and a client on it (key 'test-key',
 * plus `options`) before its tests and closes both after them. Each test starts with an empty
 * request log and no faults left over from the one before. The accessors are valid inside tests.
 */
export function useFakeMimoClient(options: Omit<MimoClientOptions, 'baseUrl' | 'apiKey'> = {}): FakeMimoClient {
  let fake: FakeMimo | undefined
  let client: MimoClient | undefined
  beforeAll(async () => {
    fake = await startFakeMimo()
    client = new MimoClient({ baseUrl: fake.url, apiKey: 'test-key', ...options })
  })
  afterAll(async () => {
    await client?.close()
    await fake?.close()
  })
  beforeEach(() => {
    fake!.clearRequests()
    fake!.clearFaults()
  })
  return {
    get fake() {
      if (!fake) throw new Error('the fake MiMo server is not started yet (use it inside a test)')
      return fake
    },
    get client() {
      if (!client) throw new Error('the client is not made yet (use it inside a test)')
      return client
    }
  }
}

/** Every event of a streamed chat, in order. */
export async function chatEvents(client: MimoClient, request: ChatRequest = ask, signal?: AbortSignal): Promise<ChatEvent[]> {
  const out: ChatEvent[] = []
  for await (const e of client.chat(request, { signal })) out.push(e)
  return out
}
