import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { MimoClient } from '../../../src/core/mimo/client'
import { readSseEvents, type EventSourceMessage } from '../../../src/core/mimo/sse'
import type { ChatEvent } from '../../../src/core/mimo/types'

async function* chunks(parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield p
}

async function collect(parts: Uint8Array[]): Promise<EventSourceMessage[]> {
  const out: EventSourceMessage[] = []
  for await (const batch of readSseEvents(chunks(parts))) out.push(...batch)
  return out
}

const chunk = (content: string, extra = ''): string =>
  `{"id":"c1","object":"chat.completion.chunk","created":1,"model":"mimo-v2.5","choices":[{"index":0,"delta":{"content":${JSON.stringify(content)}},"finish_reason":null}],"usage":null${extra}}`
const last = '{"id":"c1","object":"chat.completion.chunk","created":1,"model":"mimo-v2.5","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}'

// A stream with the awkward parts of the format: a comment, an event split over two data lines,
// CRLF line ends, a multi-byte character, and the [DONE] terminator.
const STREAM = [
  ': keep-alive comment\n\n',
  `data: ${chunk('Hello')}\n\n`,
  `data: ${chunk(' 世界 — ok')}\r\n\r\n`,
  'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"mimo-v2.5",\n',
  'data: "choices":[{"index":0,"delta":{"content":"!"},"finish_reason":null}],"usage":null}\n\n',
  `data: ${last}\n\n`,
  'data: [DONE]\n\n'
].join('')
const BYTES = new TextEncoder().encode(STREAM)

describe('readSseEvents', () => {
  it('reads every event of a stream delivered whole', async () => {
    const events = await collect([BYTES])
    expect(events.map((e) => e.data)).toEqual([
      chunk('Hello'),
      chunk(' 世界 — ok'),
      // Two data lines join with a newline, which JSON allows between tokens.
      '{"id":"c1","object":"chat.completion.chunk","created":1,"model":"mimo-v2.5",\n"choices":[{"index":0,"delta":{"content":"!"},"finish_reason":null}],"usage":null}',
      last,
      '[DONE]'
    ])
  })

  it('gives the same events when the bytes are split at every boundary', async () => {
    const whole = await collect([BYTES])
    for (let cut = 1; cut < BYTES.length; cut++) {
      const split = await collect([BYTES.subarray(0, cut), BYTES.subarray(cut)])
      if (JSON.stringify(split) !== JSON.stringify(whole)) throw new Error(`different events when split at byte ${cut}`)
    }
  })

  it('gives the same events when every byte arrives alone', async () => {
    const whole = await collect([BYTES])
    const single = await collect(Array.from(BYTES, (b) => Uint8Array.of(b)))
    expect(single).toEqual(whole)
  })

  it('reads CR-only line ends and ignores fields it does not know', async () => {
    const events = await collect([new TextEncoder().encode('retry: 100\rfoo: bar\rdata: a\r\rdata: b\r\r')])
    expect(events.map((e) => e.data)).toEqual(['a', 'b'])
  })

  it('drops a last event that never got its blank line', async () => {
    const events = await collect([new TextEncoder().encode('data: whole\n\ndata: half')])
    expect(events.map((e) => e.data)).toEqual(['whole'])
  })
})

describe('MimoClient over a raw SSE server', () => {
  let server: http.Server | undefined
  afterEach(async () => {
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()))
    server = undefined
  })

  /** Serves `parts` as separate writes, each after a pause so they travel as separate network chunks. */
  async function serve(parts: Uint8Array[], pauseMs = 2): Promise<string> {
    server = http.createServer(async (req, res) => {
      req.resume()
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      for (const p of parts) {
        res.write(p)
        await new Promise((r) => setTimeout(r, pauseMs))
      }
      res.end()
    })
    server.on('connection', (s) => s.setNoDelay(true))
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()))
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`
  }

  async function events(baseUrl: string): Promise<ChatEvent[]> {
    const client = new MimoClient({ baseUrl, apiKey: 'k' })
    const out: ChatEvent[] = []
    try {
      for await (const e of client.chat({ model: 'mimo-v2.5', messages: [{ role: 'user', content: 'hi' }] })) out.push(e)
    } finally {
      await client.close()
    }
    return out
  }

  it('parses a stream that arrives in small pieces across UTF-8 characters', async () => {
    // 7-byte pieces cut through JSON, CRLF pairs and the three bytes of each CJK character.
    const parts: Uint8Array[] = []
    for (let i = 0; i < BYTES.length; i += 7) parts.push(BYTES.subarray(i, i + 7))
    const out = await events(await serve(parts, 1))
    const text = out.filter((e) => e.type === 'text').map((e) => (e as { text: string }).text).join('')
    expect(text).toBe('Hello 世界 — ok!')
    expect(out.slice(-2)).toEqual([
      { type: 'finish', reason: 'stop' },
      { type: 'usage', usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } }
    ])
  })

  it('stops at [DONE] even if the server sends more after it', async () => {
    const extra = new TextEncoder().encode(`data: ${chunk('Hi')}\n\ndata: [DONE]\n\ndata: ${chunk('after the end')}\n\n`)
    const out = await events(await serve([extra]))
    expect(out.filter((e) => e.type === 'text')).toEqual([{ type: 'text', text: 'Hi' }])
  })

  it('treats a stream that ends without a finish or [DONE] as cut, keeping the partial text', async () => {
    const cut = new TextEncoder().encode(`data: ${chunk('Half of')}\n\ndata: ${chunk(' it')}\n\n`)
    const err = await events(await serve([cut])).catch((e: unknown) => e)
    expect(err).toMatchObject({ name: 'MimoError', status: 0, code: 'stream_cut', partialText: 'Half of it' })
  })

  it('accepts a stream that ends after the finish chunk without [DONE]', async () => {
    const noDone = new TextEncoder().encode(`data: ${chunk('Done')}\n\ndata: ${last}\n\n`)
    const out = await events(await serve([noDone]))
    expect(out.map((e) => e.type)).toEqual(['text', 'finish', 'usage'])
  })

  it('reports an error object sent inside the stream with its status and partial text', async () => {
    const body = new TextEncoder().encode(
      `data: ${chunk('Some')}\n\ndata: {"error":{"code":"500","message":"Internal error","param":"","type":""}}\n\n`
    )
    const err = await events(await serve([body])).catch((e: unknown) => e)
    expect(err).toMatchObject({ name: 'MimoError', status: 500, code: '500', partialText: 'Some' })
  })

  it('reads a whole JSON answer sent to a streamed request as events', async () => {
    server = http.createServer((req, res) => {
      req.resume()
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({
        id: 'x', object: 'chat.completion', created: 1, model: 'mimo-v2.5',
        choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'All at once.' } }],
        usage: { prompt_tokens: 1, completion_tokens: 3, total_tokens: 4 }
      }))
    })
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()))
    const out = await events(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`)
    expect(out).toEqual([
      { type: 'text', text: 'All at once.' },
      { type: 'finish', reason: 'stop' },
      { type: 'usage', usage: { prompt_tokens: 1, completion_tokens: 3, total_tokens: 4 } }
    ])
  })
})
