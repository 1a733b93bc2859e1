// How much of a streamed answer's time goes to reading it: 60 s of TTS audio (PCM16 mono 24 kHz,
// base64 in 200 ms chunks = 300 SSE events, as mimo-v2.5-tts streams it) is served over real HTTP
// by a raw node:http server writing prepared bytes as fast as it can, then parsed and decoded by
// MimoClient. Also measured: the same bytes parsed and decoded in memory, without HTTP.
// Prints a markdown table. Target: parse + decode under 1% of the audio's duration.
//
//   npm run bench:sse [-- --runs 15]

import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { parseArgs } from 'node:util'
import { ttsRequest } from '../src/core/mimo/builders'
import { ChatEventAssembler } from '../src/core/mimo/chat-events'
import { MimoClient } from '../src/core/mimo/client'
import { readSseEvents } from '../src/core/mimo/sse'
import { median } from './stats'

const SAMPLE_RATE = 24000
const AUDIO_SECONDS = 60
const CHUNK_SECONDS = 0.2

const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' } } })
const RUNS = Math.max(3, Number(values.runs))

/** 60 s of a voiced-sounding signal as PCM16 LE. */
function makePcm(): Buffer {
  const frames = SAMPLE_RATE * AUDIO_SECONDS
  const pcm = Buffer.alloc(frames * 2)
  for (let i = 0; i < frames; i++) {
    const t = i / SAMPLE_RATE
    const v = Math.sin(2 * Math.PI * 140 * t) * 0.6 + Math.sin(2 * Math.PI * 280 * t) * 0.3 + (Math.random() - 0.5) * 0.05
    pcm.writeInt16LE(Math.round(v * 12000 * Math.sin(Math.PI * ((t % 0.25) / 0.25))), i * 2)
  }
  return pcm
}

/** The SSE body mimo-v2.5-tts would send for this audio. */
function makeStream(pcm: Buffer): Buffer {
  const id = 'chatcmpl-bench'
  const chunkBytes = SAMPLE_RATE * CHUNK_SECONDS * 2
  const parts: string[] = []
  for (let at = 0, n = 0; at < pcm.length; at += chunkBytes, n++) {
    const delta = { ...(n === 0 ? { role: 'assistant', content: '' } : {}), audio: { id: 'audio_bench', data: pcm.subarray(at, at + chunkBytes).toString('base64'), expires_at: null, transcript: null } }
    parts.push(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 1, model: 'mimo-v2.5-tts', choices: [{ index: 0, delta, finish_reason: null }], usage: null })}\n\n`)
  }
  const usage = { prompt_tokens: 20, completion_tokens: AUDIO_SECONDS * 25, total_tokens: 20 + AUDIO_SECONDS * 25 }
  parts.push(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 1, model: 'mimo-v2.5-tts', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage })}\n\n`)
  parts.push('data: [DONE]\n\n')
  return Buffer.from(parts.join(''), 'utf8')
}

async function overHttp(client: MimoClient, expected: Buffer): Promise<{ ms: number; ok: boolean; events: number }> {
  const request = ttsRequest({ text: 'A long passage.', voice: { kind: 'builtin', id: 'Mia' } })
  const received: Buffer[] = []
  let events = 0
  const started = performance.now()
  for await (const e of client.chat(request)) {
    events++
    if (e.type === 'audio') received.push(e.data)
  }
  const ms = performance.now() - started
  return { ms, ok: Buffer.concat(received).equals(expected), events }
}

async function inMemory(stream: Buffer, expected: Buffer): Promise<{ ms: number; ok: boolean }> {
  // 64 KB pieces, as a socket would deliver them.
  async function* pieces(): AsyncGenerator<Uint8Array> {
    for (let at = 0; at < stream.length; at += 65536) yield stream.subarray(at, at + 65536)
  }
  const started = performance.now()
  const assembler = new ChatEventAssembler()
  const received: Buffer[] = []
  for await (const batch of readSseEvents(pieces()))
    for (const event of batch) for (const e of assembler.push(event.data)) if (e.type === 'audio') received.push(e.data)
  assembler.end()
  const ms = performance.now() - started
  return { ms, ok: Buffer.concat(received).equals(expected) }
}

async function main(): Promise<void> {
  const pcm = makePcm()
  const stream = makeStream(pcm)
  const server = http.createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'content-length': String(stream.length) })
      res.end(stream)
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`
  const client = new MimoClient({ baseUrl, apiKey: 'bench' })

  for (let i = 0; i < 3; i++) {
    await overHttp(client, pcm)
    await inMemory(stream, pcm)
  }
  const http1: number[] = []
  const memory: number[] = []
  let allOk = true
  let eventCount = 0
  for (let i = 0; i < RUNS; i++) {
    const h = await overHttp(client, pcm)
    const m = await inMemory(stream, pcm)
    http1.push(h.ms)
    memory.push(m.ms)
    allOk &&= h.ok && m.ok
    eventCount = h.events
  }
  await client.close()
  await new Promise<void>((r) => server.close(() => r()))

  const mb = stream.length / 1e6
  const row = (name: string, times: number[]): string => {
    const ms = median(times)
    return `| ${name} | ${AUDIO_SECONDS} s | ${ms.toFixed(1)} ms (best ${Math.min(...times).toFixed(1)}) | ${((ms / (AUDIO_SECONDS * 1000)) * 100).toFixed(3)} % | ${(mb / (ms / 1000)).toFixed(0)} MB/s |`
  }
  console.log(`SSE parse + decode: ${Math.round(AUDIO_SECONDS / CHUNK_SECONDS)} audio events (${eventCount} client events), ${mb.toFixed(2)} MB of SSE, median of ${RUNS} runs, Node ${process.versions.node}`)
  console.log('')
  console.log('| path | audio | wall time | % of audio duration | throughput |')
  console.log('|---|---|---|---|---|')
  console.log(row('MimoClient.chat over HTTP (loopback)', http1))
  console.log(row('readSseEvents + ChatEventAssembler in memory', memory))
  console.log('')
  console.log(`decoded audio identical to the source: ${allOk ? 'yes' : 'NO'}`)
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
