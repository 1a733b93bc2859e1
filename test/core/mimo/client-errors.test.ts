import http from 'node:http'
import net from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MimoClient, type MimoClientOptions } from '../../../src/core/mimo/client'
import { MimoError, parseErrorBody } from '../../../src/core/mimo/errors'
import type { ChatRequest } from '../../../src/core/mimo/types'
import { toUserError } from '../../../src/core/user-error'
import { startFakeMimo, type FakeMimo, type FaultStatus } from '../../fake-mimo/server'
import { ask, useFakeMimoClient } from './client-fixture'

async function failure(run: () => Promise<unknown>): Promise<MimoError> {
  try {
    await run()
  } catch (err) {
    if (err instanceof MimoError) return err
    throw err
  }
  throw new Error('expected a MimoError')
}

async function drain(client: MimoClient, request: ChatRequest = ask): Promise<void> {
  for await (const _ of client.chat(request)) {
    // read to the end
  }
}

describe('errors the service answers with', () => {
  // One attempt: each error is seen as the service sent it, not retried.
  const mimo = useFakeMimoClient({ retry: { maxAttempts: 1 } })

  // status -> [service code, what the user is told]
  const CASES: Array<[FaultStatus, RegExp]> = [
    [400, /MiMo refused the request: injected fault\./],
    [401, /did not accept the API key.*tp-/],
    [402, /balance is used up/],
    [403, /refused access to the model mimo-v2\.5/],
    [404, /could not find the model mimo-v2\.5 at http:\/\/127\.0\.0\.1:\d+\/v1.*base URL/],
    [421, /content filter/],
    [429, /too many requests.*Wait a moment/],
    [500, /having trouble right now \(error 500\)/],
    [503, /having trouble right now \(error 503\)/]
  ]

  for (const [status, message] of CASES) {
    it(`${status}: a MimoError with the service's code and a message the user can act on (streamed and not)`, async () => {
      mimo.fake.injectFault({ kind: 'status', status }, 2)
      const streamed = await failure(() => drain(mimo.client))
      const whole = await failure(() => mimo.client.complete(ask))
      for (const err of [streamed, whole]) {
        expect(err.status).toBe(status)
        expect(err.code).toBe(String(status))
        expect(err.userMessage).toMatch(message)
        expect(err.partialText ?? '').toBe('')
        const user = toUserError(err)
        expect(user).toMatchObject({ kind: 'api', status, code: String(status), message: err.userMessage })
      }
      expect(streamed.type).toBe(status === 401 ? 'invalid_key' : status === 429 ? 'limitation' : streamed.type)
      expect(mimo.fake.requests).toHaveLength(2)
    })
  }

  it("400: shows the service's param text, which names the field at fault", async () => {
    const err = await failure(() => mimo.client.complete({ model: 'mimo-v2-pro', messages: [{ role: 'user', content: 'Hi' }] }))
    expect(err.status).toBe(400)
    expect(err.param).toMatch(/mimo-v2-pro was retired on 2026-06-30/)
    expect(err.userMessage).toBe(`MiMo refused the request: ${err.param}.`)
    expect(err.toUserError().param).toBe(err.param)
  })

  it('404 for an unknown model names the model and the base URL', async () => {
    const err = await failure(() => mimo.client.complete({ model: 'mimo-v9', messages: [{ role: 'user', content: 'Hi' }] }))
    expect(err.status).toBe(404)
    expect(err.userMessage).toContain('mimo-v9')
    expect(err.userMessage).toContain(mimo.fake.url)
  })

  it('429 with Retry-After tells the user when to try again', async () => {
    mimo.fake.injectFault({ kind: 'status', status: 429, retryAfterSec: 30 })
    const err = await failure(() => mimo.client.complete(ask))
    expect(err.retryAfterMs).toBe(30_000)
    expect(err.userMessage).toMatch(/Try again in 30 seconds/)
  })

  it('parses the error body the service sends, and tolerates anything else', () => {
    expect(parseErrorBody('{"error":{"code":"400","message":"Param Incorrect","param":"x","type":""}}')).toEqual({ code: '400', message: 'Param Incorrect', param: 'x', type: '' })
    expect(parseErrorBody('{"error":{"code":401,"message":"m"}}')).toMatchObject({ code: '401', message: 'm' })
    expect(parseErrorBody('<html>Bad Gateway</html>')).toEqual({})
    expect(MimoError.fromResponse(502, '<html>Bad Gateway</html>').message).toContain('Bad Gateway')
  })
})

describe('keys and hosts', () => {
  let main: FakeMimo
  let tokenPlan: FakeMimo
  beforeAll(async () => {
    main = await startFakeMimo({ apiKeys: ['sk-good', 'tp-good'] })
    tokenPlan = await startFakeMimo({ apiKeys: ['sk-good', 'tp-good'], tokenPlanHost: true })
  })
  afterAll(async () => {
    await main.close()
    await tokenPlan.close()
  })

  async function withClient<T>(baseUrl: string, apiKey: MimoClientOptions['apiKey'], fn: (c: MimoClient) => Promise<T>, auth?: 'api-key' | 'bearer'): Promise<T> {
    const c = new MimoClient({ baseUrl, apiKey, auth, retry: { maxAttempts: 1 } })
    try {
      return await fn(c)
    } finally {
      await c.close()
    }
  }

  it('sends the key as api-key by default and as a Bearer token when asked', async () => {
    main.clearRequests()
    await withClient(main.url, 'sk-good', (c) => c.complete(ask))
    await withClient(main.url, 'sk-good', (c) => c.complete(ask), 'bearer')
    expect(main.requests.map((r) => r.status)).toEqual([200, 200])
    expect(main.requests[0].headers['api-key']).toBe('sk-good')
    expect(main.requests[0].headers.authorization).toBeUndefined()
    expect(main.requests[1].headers.authorization).toBe('Bearer sk-good')
    expect(main.requests[1].headers['api-key']).toBeUndefined()
  })

  it('a token-plan key on the main host: 401 explaining the token-plan hosts', async () => {
    const err = await failure(() => withClient(main.url, 'tp-good', (c) => c.complete(ask)))
    expect(err.status).toBe(401)
    expect(err.type).toBe('invalid_key')
    expect(err.userMessage).toMatch(/Token-plan keys \(starting with "tp-"\) only work on a token-plan host/)
  })

  it('a token-plan key on a token-plan host works; an ordinary key there gets advice', async () => {
    // The fake listens on 127.0.0.1, so the host name cannot say "token-plan": the generic 401 advice applies.
    await expect(withClient(tokenPlan.url, 'tp-good', (c) => c.complete(ask))).resolves.toMatchObject({ object: 'chat.completion' })
    const err = await failure(() => withClient(tokenPlan.url, 'sk-good', (c) => c.complete(ask)))
    expect(err.status).toBe(401)
    expect(err.userMessage).toMatch(/Check the key in Settings/)
  })

  it('reads the key before every request, so a changed key applies at once', async () => {
    main.clearRequests()
    let key = 'sk-wrong'
    await withClient(main.url, () => key, async (c) => {
      expect((await failure(() => c.complete(ask))).status).toBe(401)
      key = 'sk-good'
      await c.complete(ask)
    })
    expect(main.requests.map((r) => [r.headers['api-key'], r.status])).toEqual([['sk-wrong', 401], ['sk-good', 200]])
  })

  it('with no key, says so and sends nothing', async () => {
    main.clearRequests()
    const err = await failure(() => withClient(main.url, async () => undefined, (c) => c.complete(ask)))
    expect(err.code).toBe('no_api_key')
    expect(err.toUserError()).toMatchObject({ kind: 'input', message: expect.stringMatching(/No MiMo API key/) })
    expect(main.requests).toHaveLength(0)
  })

  it('tells token-plan hosts apart by name when choosing the 401 advice', () => {
    const onHost = MimoError.fromResponse(401, '{"error":{"message":"Invalid API Key","type":"invalid_key"}}', { baseUrl: 'https://token-plan-sgp.xiaomimimo.com/v1', tokenPlanKey: false })
    expect(onHost.userMessage).toMatch(/Token-plan hosts only take token-plan keys/)
    const tpOnMain = MimoError.fromResponse(401, '{}', { baseUrl: 'https://api.xiaomimimo.com/v1', tokenPlanKey: true })
    expect(tpOnMain.userMessage).toMatch(/token-plan-sgp\.xiaomimimo\.com/)
  })
})

describe('a base URL that is not the API', () => {
  it('a base URL without /v1: 404 advising to check the base URL', async () => {
    const fake = await startFakeMimo()
    const client = new MimoClient({ baseUrl: fake.url.replace(/\/v1$/, ''), apiKey: 'test-key' })
    const err = await failure(() => drain(client))
    await client.close()
    await fake.close()
    expect(err.status).toBe(404)
    expect(err.userMessage).toMatch(/Check the base URL in Settings \(it ends in \/v1/)
    expect(fake.requests[0].path).toBe('/chat/completions')
  })

  it('a web page answering 200: says the base URL points at a website', async () => {
    const server = http.createServer((req, res) => {
      req.resume()
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      res.end('<!doctype html><title>Welcome</title>')
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const client = new MimoClient({ baseUrl, apiKey: 'k' })
    const streamed = await failure(() => drain(client))
    const whole = await failure(() => client.complete(ask))
    await client.close()
    await new Promise<void>((r) => server.close(() => r()))
    for (const err of [streamed, whole]) {
      expect(err.code).toBe('not_an_api')
      expect(err.userMessage).toMatch(/answered with a web page, not the MiMo API/)
    }
  })
})

describe('network faults', () => {
  it('a refused connection: status 0, code network, advice about the connection and base URL', async () => {
    const server = net.createServer()
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
    const port = (server.address() as AddressInfo).port
    await new Promise<void>((r) => server.close(() => r()))
    const client = new MimoClient({ baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: 'k' })
    const err = await failure(() => drain(client))
    await client.close()
    expect(err).toMatchObject({ status: 0, code: 'network' })
    expect(err.userMessage).toMatch(/Could not reach MiMo at 127\.0\.0\.1:\d+: the connection was refused\. Check your internet connection/)
    expect(err.toUserError().kind).toBe('network')
  })

  it('a connection that never completes its TLS handshake: connect timeout', async () => {
    // A TCP server that accepts and stays silent: the TLS handshake never finishes.
    const sockets: net.Socket[] = []
    const server = net.createServer((s) => sockets.push(s))
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
    const port = (server.address() as AddressInfo).port
    const client = new MimoClient({ baseUrl: `https://127.0.0.1:${port}/v1`, apiKey: 'k', timeouts: { connectMs: 300 } })
    const started = Date.now()
    const err = await failure(() => client.complete(ask))
    const took = Date.now() - started
    await client.close()
    sockets.forEach((s) => s.destroy())
    await new Promise<void>((r) => server.close(() => r()))
    expect(err).toMatchObject({ status: 0, code: 'connect_timeout' })
    expect(err.userMessage).toMatch(/Could not connect to 127\.0\.0\.1:\d+ within 1 second/)
    expect(took).toBeLessThan(5000)
  })

  it('a host name that does not resolve: the base URL is the first suspect', async () => {
    const client = new MimoClient({ baseUrl: 'http://no-such-host.invalid/v1', apiKey: 'k' })
    const err = await failure(() => client.complete(ask))
    await client.close()
    expect(err.status).toBe(0)
    expect(err.code).toBe('network')
    expect(err.userMessage).toMatch(/no-such-host\.invalid/)
  })
})
