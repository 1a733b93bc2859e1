// A fake MiMo service over real HTTP (node:http), as strict as the vendor's reference and what is
// known of the live service: same routes, auth headers, error bodies, SSE framing, streaming
// behaviour per model, and real speech for TTS. Tests and the command line (cli.ts) use it in place
// of api.xiaomimimo.com; faults and latencies can be injected, and every request is logged.

import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http'
import https from 'node:https'
import http2 from 'node:http2'
import { createHash, randomBytes } from 'node:crypto'
import type { AddressInfo, Socket } from 'node:net'
import { asksForTranscript, DEFAULT_TRANSCRIPT, defaultReply, lastQuestion, reasoningFor, tokenize, type ReplyContext } from './replies'
import { hearSpeech, hearUploads, type HeardAudio, type HeardSpeech } from './audio-check'
import { checkRequest, INVALID_AUDIO, paramIncorrect, serviceError, textOf, type Accepted, type ImageSeen, type ServiceError } from './service-rules'
import { imageFacts, type ImageFacts } from './image-facts'
import { answerFromTools, planToolCalls, toolProgress, type PlannedCall } from './tool-script'
import { mp3File, SAMPLE_RATE, synthesize, wavFile } from './speech'

export type { ReplyContext } from './replies'

export interface FakeLatency {
  /** Before the first streamed piece (or before a non-streamed answer). */
  firstTokenMs: number
  /** Between streamed pieces. */
  perTokenMs: number
  /** TTS: before the first audio. */
  ttsFirstByteMs: number
  /** TTS: synthesis time per second of audio (0.5 = twice as fast as real time; 0 = no pacing). */
  ttsRealtimeFactor: number
}

export type FaultStatus = 400 | 401 | 402 | 403 | 404 | 421 | 429 | 500 | 503
export type Fault =
  | { kind: 'status'; status: FaultStatus; retryAfterSec?: number }
  | { kind: 'cut-mid-stream'; afterChunks?: number }
  | { kind: 'malformed-event'; afterChunks?: number }
  | { kind: 'reasoning-only' }
  /** Never answers; with `afterChunks`, stops sending after that many stream chunks and keeps the connection open. */
  | { kind: 'hang'; afterChunks?: number }
  /**
   * A broken or hostile server that never stops sending, until the client hangs up (or `maxBytes`, default
   * 256 MB): an error body, a whole JSON answer, one server-sent line with no end, or one event with no end.
   */
  | { kind: 'flood'; what: 'error-body' | 'json-answer' | 'sse-line' | 'sse-event'; maxBytes?: number }

export interface LoggedRequest {
  /** Date.now() when the request arrived. */
  at: number
  method: string
  path: string
  headers: IncomingHttpHeaders
  /** Parsed JSON (or the raw text when it was not JSON). */
  body: unknown
  /** 0 until the answer's status is sent. */
  status: number
  /** performance.now() when the whole body had arrived: the service's latencies count from here. */
  receivedAt: number
  model?: string
  stream?: boolean
  /** Which TCP connection carried it (1, 2, ...): equal numbers mean a reused keep-alive connection. */
  connection: number
  fault?: Fault['kind']
  /** The client closed the connection before the answer was complete. */
  clientClosed: boolean
  /** The whole answer was sent. */
  completed: boolean
  /** With a flood fault: how many bytes of it were written before the client hung up. */
  floodBytes?: number
  /** The audio the request carried, as decoded. */
  audio?: HeardAudio[]
  /** 'h2' or 'http/1.1'. */
  protocol: string
  /** Size of the request body as received. */
  bodyBytes: number
  /** Images the request carried, decoded: what the fake "saw" (message index, type, size, mean colour), or the URL. */
  images?: LoggedImage[]
}

export type LoggedImage = ({ message: number } & ImageFacts) | { message: number; url: string }

/** What each image is, decoded; null when one cannot be decoded (the service refuses a broken image). */
async function factsOf(seen: ImageSeen[]): Promise<LoggedImage[] | null> {
  const facts = await Promise.all(
    seen.map(async (i): Promise<LoggedImage | null> => {
      if ('url' in i) return { message: i.message, url: i.url }
      const f = await imageFacts(i.mime, i.bytes)
      return f ? { message: i.message, ...f } : null
    })
  )
  return facts.every((f): f is LoggedImage => f !== null) ? facts : null
}

export interface FakeMimoOptions {
  /** Default 0 (a free port); host is 127.0.0.1. */
  port?: number
  /** Accepted keys; default ['test-key']. */
  apiKeys?: string[]
  latency?: Partial<FakeLatency>
  /** The assistant's answer text. */
  reply?: string | ((ctx: ReplyContext) => string)
  /**
   * What the fake "heard" in audio (there is no speech recognition here): fixed text, or a function of
   * the audio bytes of the last user message (a test that knows what it spoke can tell which it was).
   */
  transcript?: Transcript
  /** Behave like a token-plan host: only `tp-` keys work. The main host (default) refuses `tp-` keys with 401. */
  tokenPlanHost?: boolean
  /** Web search as if the plugin were not activated: `error_message` instead of annotations. */
  webSearchUnavailable?: boolean
  /** Serve HTTPS with this key and certificate (PEM; certificate.ts makes one at run time). */
  tls?: { key: string; cert: string }
  /** With `tls`: offer HTTP/2 through ALPN, and HTTP/1.1 to clients that do not ask for it. */
  http2?: boolean
}

/** Fixed text, or a function of what the last user message's audio sounds like (decoded, whatever its container). */
export type Transcript = string | ((speech: HeardSpeech) => string)

/** The bytes of the input_audio data URI in the last user message, if it holds one. */
function lastUserAudio(messages: Array<{ role?: unknown; content?: unknown }>): Buffer | null {
  const last = [...messages].reverse().find((m) => m.role === 'user')
  if (!last || !Array.isArray(last.content)) return null
  for (const part of last.content as Array<{ type?: unknown; input_audio?: { data?: unknown } }>) {
    const data = part?.type === 'input_audio' ? part.input_audio?.data : undefined
    const m = typeof data === 'string' ? /^data:[^;,]+;base64,(.*)$/s.exec(data) : null
    if (m) return Buffer.from(m[1], 'base64')
  }
  return null
}

export interface FakeMimo {
  /** Base URL including /v1. */
  url: string
  port: number
  requests: LoggedRequest[]
  setLatency(l: Partial<FakeLatency>): void
  setReply(r: string | ((ctx: ReplyContext) => string)): void
  setTranscript(t: Transcript): void
  /** Applies to the next `times` requests (default 1), in arrival order. */
  injectFault(f: Fault, times?: number): void
  clearFaults(): void
  clearRequests(): void
  close(): Promise<void>
}

const STATUS_BODIES: Record<FaultStatus, { message: string; type: string; param?: string }> = {
  400: { message: 'Param Incorrect', type: '', param: 'injected fault' },
  401: { message: 'Invalid API Key', type: 'invalid_key' },
  402: { message: 'Insufficient Balance', type: 'insufficient_balance' },
  403: { message: 'Forbidden', type: 'forbidden' },
  404: { message: 'Not Found', type: '' },
  421: { message: 'Content Filtered', type: 'content_filter' },
  429: { message: 'Too many requests', type: 'limitation' },
  500: { message: 'Internal Server Error', type: 'server_error' },
  503: { message: 'Service Unavailable', type: 'server_error' }
}

const BODY_LIMIT = 120 * 1024 * 1024
const TTS_CHUNK_BYTES = Math.round(SAMPLE_RATE * 0.2) * 2 // 200 ms of PCM16
const CHAT_PATH = '/v1/chat/completions'
/** Numbers the connections (a property on the socket: HTTP/2 requests see it through a proxy). */
const CONNECTION_ID = Symbol('connection')

class Stopped extends Error {}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return signal.aborted ? Promise.reject(new Stopped()) : Promise.resolve()
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Stopped())
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(new Stopped())
    }
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

/** A full socket buffer: wait for it to drain, or for the client to hang up (each wait leaves no listener behind). */
function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done)
      res.off('close', done)
      resolve()
    }
    res.once('drain', done)
    res.once('close', done)
  })
}

function forever(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(new Stopped())
    signal.addEventListener('abort', () => reject(new Stopped()), { once: true })
  })
}

function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = []
    let size = 0
    req.on('data', (d: Buffer) => {
      size += d.length
      if (size > BODY_LIMIT) {
        resolve(null)
        req.resume()
        return
      }
      parts.push(d)
    })
    req.on('end', () => resolve(size > BODY_LIMIT ? null : Buffer.concat(parts)))
    req.on('error', reject)
  })
}

function keyFrom(headers: IncomingHttpHeaders): string | undefined {
  const apiKey = headers['api-key']
  if (typeof apiKey === 'string' && apiKey) return apiKey
  const auth = headers.authorization
  const m = typeof auth === 'string' ? /^Bearer\s+(.+)$/i.exec(auth) : null
  return m ? m[1].trim() : undefined
}

type Usage = Record<string, unknown>

interface ChatPlan {
  reasoning: string[]
  annotations?: Array<Record<string, string>>
  searchError?: string
  content: string[]
  /** Streamed one after another, each call's arguments in three pieces. */
  toolCalls: PlannedCall[]
  finish: 'stop' | 'length' | 'tool_calls'
  usage: Usage
}

/** Writes SSE chunks and applies stream faults after the configured number of chunks. */
class SseWriter {
  private sent = 0
  constructor(
    private readonly res: ServerResponse,
    private readonly entry: LoggedRequest,
    private readonly fault: Fault | undefined,
    private readonly signal: AbortSignal
  ) {}

  start(): void {
    this.entry.status = 200
    this.res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      // HTTP/2 forbids connection headers.
      ...(this.entry.protocol === 'h2' ? {} : { connection: 'keep-alive' })
    })
    this.res.flushHeaders()
  }

  async chunk(obj: unknown): Promise<void> {
    if (this.signal.aborted) throw new Stopped()
    await this.write(`data: ${JSON.stringify(obj)}\n\n`)
    this.sent++
    const f = this.fault
    if (!f || !(f.kind === 'cut-mid-stream' || f.kind === 'malformed-event' || (f.kind === 'hang' && f.afterChunks !== undefined))) return
    if (this.sent < (f.afterChunks ?? 3)) return
    if (f.kind === 'cut-mid-stream') {
      // Let what was written reach the client, then drop the connection without ending the response.
      await sleep(20, this.signal)
      this.res.destroy()
      throw new Stopped()
    }
    if (f.kind === 'malformed-event') {
      await this.write('data: {"id":"chatcmpl-broken","choices":[{"index":0,"delta":{"content":"\n\n')
      this.res.end()
      throw new Stopped()
    }
    if (f.kind === 'hang') await forever(this.signal)
  }

  async done(): Promise<void> {
    await this.write('data: [DONE]\n\n')
    this.res.end()
    this.entry.completed = true
  }

  private write(text: string): Promise<void> {
    if (this.res.write(text)) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const onClose = (): void => reject(new Stopped())
      this.res.once('drain', () => {
        this.res.off('close', onClose)
        resolve()
      })
      this.res.once('close', onClose)
    })
  }
}

export async function startFakeMimo(options: FakeMimoOptions = {}): Promise<FakeMimo> {
  const apiKeys = options.apiKeys ?? ['test-key']
  const latency: FakeLatency = { firstTokenMs: 0, perTokenMs: 0, ttsFirstByteMs: 0, ttsRealtimeFactor: 0, ...options.latency }
  let reply = options.reply
  let transcriptOption: Transcript = options.transcript ?? DEFAULT_TRANSCRIPT
  const faults: Array<{ fault: Fault; remaining: number }> = []
  const requests: LoggedRequest[] = []
  const sockets = new Set<Socket>()
  let nextSocket = 0

  function takeFault(): Fault | undefined {
    const head = faults[0]
    if (!head) return undefined
    head.remaining--
    if (head.remaining <= 0) faults.shift()
    return head.fault
  }

  function send(res: ServerResponse, entry: LoggedRequest, err: ServiceError, extraHeaders: Record<string, string> = {}): void {
    entry.status = err.status
    res.writeHead(err.status, { 'content-type': 'application/json', ...extraHeaders })
    res.end(JSON.stringify(err.body))
    entry.completed = true
  }

  function sendJson(res: ServerResponse, entry: LoggedRequest, body: unknown, fault: Fault | undefined): void {
    const text = JSON.stringify(body)
    entry.status = 200
    if (fault?.kind === 'cut-mid-stream') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) })
      res.write(text.slice(0, Math.floor(text.length / 2)))
      setTimeout(() => res.destroy(), 20)
      return
    }
    if (fault?.kind === 'malformed-event') {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(text.slice(0, Math.floor(text.length / 2)))
      return
    }
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(text)
    entry.completed = true
  }

  /** What the fake "heard" in the last user message's audio. */
  async function transcriptOf(body: Record<string, unknown>): Promise<string> {
    if (typeof transcriptOption !== 'function') return transcriptOption
    const messages = Array.isArray(body.messages) ? (body.messages as Array<{ role?: unknown; content?: unknown }>) : []
    const audio = lastUserAudio(messages)
    return audio ? transcriptOption(await hearSpeech(audio)) : ''
  }

  function replyContext(body: Record<string, unknown>, model: string, images_: LoggedImage[], transcript: string): { ctx: ReplyContext; text: string } {
    const messages = Array.isArray(body.messages) ? (body.messages as Array<{ role?: unknown; content?: unknown }>) : []
    const q = lastQuestion(messages, transcript)
    // Images of the question's own message: older ones are not "in view" any more.
    const images = images_.filter((i): i is { message: number } & ImageFacts => 'width' in i && i.message === q.index)
    const { results } = toolProgress(messages)
    return { ctx: { model, question: q.question, heardAudio: q.heardAudio, transcript, body, toolResults: results, images }, text: q.text }
  }

  function planChat(body: Record<string, unknown>, accepted: Accepted, fault: Fault | undefined, images: LoggedImage[], transcript: string): ChatPlan {
    const { ctx, text } = replyContext(body, accepted.model, images, transcript)
    const messages = body.messages as Array<{ role: string; content?: unknown }>
    const tools = Array.isArray(body.tools) ? (body.tools as Array<Record<string, unknown>>) : []
    const functions = tools.flatMap((t) => (t.type === 'function' ? [String((t.function as { name?: unknown }).name)] : []))
    // A reply function decides for itself; a fixed reply is for questions, and tool results are answered with what they said.
    const answer = asksForTranscript(text)
      ? ctx.transcript
      : typeof reply === 'function'
        ? reply(ctx)
        : ctx.toolResults.length > 0
          ? answerFromTools(ctx.toolResults)
          : (reply ?? defaultReply(ctx))
    const plan: ChatPlan = { reasoning: [], content: [], toolCalls: [], finish: 'stop', usage: {} }

    if (fault?.kind === 'reasoning-only') plan.reasoning = tokenize(answer)
    else {
      if (accepted.thinking) plan.reasoning = tokenize(reasoningFor(ctx))
      plan.toolCalls = planToolCalls(ctx.question, messages, functions)
      if (plan.toolCalls.length > 0) plan.finish = 'tool_calls'
      else plan.content = tokenize(answer)
    }

    const search = tools.find((t) => t.type === 'web_search')
    if (search && fault?.kind !== 'reasoning-only') {
      if (options.webSearchUnavailable) plan.searchError = 'Web search plugin is not activated, please activate it in the console'
      else {
        const limit = typeof search.limit === 'number' ? search.limit : 5
        const q = ctx.question || 'the question'
        plan.annotations = Array.from({ length: Math.min(limit, 3) }, (_, i) => ({
          type: 'url_citation',
          url: `https://example.com/search/${i + 1}?q=${encodeURIComponent(q.slice(0, 40))}`,
          title: `Result ${i + 1} about ${q.slice(0, 40)}`,
          summary: `A page that mentions ${q.slice(0, 60)}.`,
          site_name: 'example.com',
          logo_url: 'https://example.com/favicon.ico',
          publish_time: '2026-11-20 08:00:00'
        }))
      }
    }

    const max = typeof body.max_completion_tokens === 'number' ? body.max_completion_tokens : Infinity
    if (plan.reasoning.length + plan.content.length > max) {
      const keepReasoning = Math.min(plan.reasoning.length, max)
      plan.reasoning = plan.reasoning.slice(0, keepReasoning)
      plan.content = plan.content.slice(0, Math.max(0, max - keepReasoning))
      plan.finish = 'length'
    }

    const promptText = messages.map((m) => textOf(m.content)).join(' ')
    const audioTokens = Math.round(accepted.audio.seconds * 6.25)
    // One token per 28×28 patch, as vision models count them.
    const imageTokens = images.reduce((n, i) => n + ('width' in i ? Math.ceil(i.width / 28) * Math.ceil(i.height / 28) : 256), 0)
    const prompt = Math.ceil(promptText.length / 4) + audioTokens + imageTokens + 8
    const completion = plan.reasoning.length + plan.content.length + plan.toolCalls.length * 12
    plan.usage = {
      prompt_tokens: prompt,
      completion_tokens: completion,
      total_tokens: prompt + completion,
      completion_tokens_details: { reasoning_tokens: plan.reasoning.length },
      prompt_tokens_details: {
        cached_tokens: 0,
        ...(accepted.audio.parts ? { audio_tokens: audioTokens } : {}),
        ...(images.length ? { image_tokens: imageTokens } : {})
      },
      ...(plan.annotations ? { web_search_usage: { tool_usage: 1, page_usage: plan.annotations.length } } : {})
    }
    return plan
  }

  async function answerChat(res: ServerResponse, entry: LoggedRequest, body: Record<string, unknown>, accepted: Accepted, fault: Fault | undefined, signal: AbortSignal): Promise<void> {
    const plan = planChat(body, accepted, fault, entry.images ?? [], await transcriptOf(body))
    const id = `chatcmpl-${randomBytes(8).toString('hex')}`
    const created = Math.floor(Date.now() / 1000)
    const model = accepted.model

    if (!accepted.stream) {
      const pieces = plan.reasoning.length + plan.content.length
      await sleep(entry.receivedAt + latency.firstTokenMs + latency.perTokenMs * Math.max(0, pieces - 1) - performance.now(), signal)
      if (fault?.kind === 'hang') return void (await forever(signal))
      sendJson(res, entry, {
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [{
          index: 0,
          finish_reason: plan.finish,
          message: {
            role: 'assistant',
            content: plan.content.join(''),
            ...(plan.reasoning.length ? { reasoning_content: plan.reasoning.join('') } : {}),
            ...(plan.toolCalls.length
              ? { tool_calls: plan.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })) }
              : {}),
            ...(plan.annotations ? { annotations: plan.annotations } : {}),
            ...(plan.searchError ? { error_message: plan.searchError } : {})
          }
        }],
        usage: plan.usage
      }, fault)
      return
    }

    const writer = new SseWriter(res, entry, fault, signal)
    writer.start()
    const chunk = (delta: Record<string, unknown>, finish: string | null = null, usage: Usage | null = null): unknown => ({
      id, object: 'chat.completion.chunk', created, model,
      choices: [{ index: 0, delta, finish_reason: finish }],
      usage
    })
    let first = true
    let sent = 0
    const started = entry.receivedAt
    // Piece i is due at first-token + i x per-token from the request, on an absolute schedule so timer
    // lateness does not add up; the first piece also carries the role.
    const emit = async (delta: Record<string, unknown>): Promise<void> => {
      const isFirst = first
      first = false
      const due = started + latency.firstTokenMs + latency.perTokenMs * sent++
      await sleep(due - performance.now(), signal)
      await writer.chunk(chunk(isFirst ? { role: 'assistant', ...delta } : delta))
    }

    for (const piece of plan.reasoning) await emit({ content: '', reasoning_content: piece })
    if (plan.annotations || plan.searchError)
      await emit({ content: '', ...(plan.annotations ? { annotations: plan.annotations } : { error_message: plan.searchError }) })
    // As the service streams calls: each call's first piece has its index, id and name, the rest add to its arguments.
    for (const [index, call] of plan.toolCalls.entries()) {
      await emit({ content: null, tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] })
      const third = Math.ceil(call.arguments.length / 3)
      for (const args of [call.arguments.slice(0, third), call.arguments.slice(third, 2 * third), call.arguments.slice(2 * third)])
        if (args) await emit({ tool_calls: [{ index, function: { arguments: args } }] })
    }
    for (const piece of plan.content) await emit({ content: piece })
    if (first) await sleep(latency.firstTokenMs, signal)
    await writer.chunk(chunk({}, plan.finish, plan.usage))
    await writer.done()
  }

  function polish(text: string): string {
    const t = text.replace(/\s+/g, ' ').trim()
    if (!t) return t
    const capital = t[0].toUpperCase() + t.slice(1)
    return /[.!?。！？]$/u.test(capital) ? capital : `${capital}.`
  }

  async function answerTts(res: ServerResponse, entry: LoggedRequest, body: Record<string, unknown>, accepted: Accepted, fault: Fault | undefined, signal: AbortSignal): Promise<void> {
    const messages = body.messages as Array<{ role: string; content?: unknown }>
    const audioOpts = (body.audio ?? {}) as { format?: string; voice?: string; optimize_text_preview?: boolean }
    const spoken = messages.filter((m) => m.role === 'assistant').map((m) => textOf(m.content)).join(' ').trim()
    const description = messages.filter((m) => m.role === 'user').map((m) => textOf(m.content)).join(' ').trim()
    const model = accepted.model
    let preview: string | undefined
    let text = spoken
    if (audioOpts.optimize_text_preview) {
      preview = spoken ? polish(spoken) : `Hello! This is how the voice you described sounds: ${description.slice(0, 80).replace(/[.!?]+$/, '')}.`
      text = preview
    }
    const voiceKey =
      model === 'mimo-v2.5-tts-voiceclone'
        ? `clone:${createHash('sha1').update(audioOpts.voice ?? '').digest('hex')}`
        : model === 'mimo-v2.5-tts-voicedesign'
          ? `design:${description}`
          : `builtin:${audioOpts.voice ?? 'mimo_default'}`
    let pcm = await synthesize(text, { key: voiceKey })
    let finish: 'stop' | 'length' = 'stop'
    const max = typeof body.max_completion_tokens === 'number' ? body.max_completion_tokens : 8192
    // About 25 audio tokens per second of speech.
    if (pcm.length / 2 / SAMPLE_RATE * 25 > max) {
      pcm = pcm.subarray(0, Math.floor((max / 25) * SAMPLE_RATE) * 2)
      finish = 'length'
    }
    const seconds = pcm.length / 2 / SAMPLE_RATE
    const prompt = Math.ceil((spoken.length + description.length) / 4) + 8
    const completion = Math.max(1, Math.round(seconds * 25))
    const usage = {
      prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion,
      completion_tokens_details: { reasoning_tokens: 0 }, prompt_tokens_details: { cached_tokens: 0 }
    }
    const id = `chatcmpl-${randomBytes(8).toString('hex')}`
    const audioId = `audio_${randomBytes(8).toString('hex')}`
    const created = Math.floor(Date.now() / 1000)
    const synthesisMs = seconds * 1000 * latency.ttsRealtimeFactor

    if (!accepted.stream) {
      await sleep(entry.receivedAt + latency.ttsFirstByteMs + synthesisMs - performance.now(), signal)
      if (fault?.kind === 'hang') return void (await forever(signal))
      const format = audioOpts.format ?? 'wav'
      let data: Buffer
      if (format === 'wav') data = wavFile(pcm)
      else if (format === 'mp3') {
        const mp3 = await mp3File(pcm)
        if (!mp3) return send(res, entry, serviceError(500, 'Internal Server Error', 'server_error', 'mp3 encoding is not available'))
        data = mp3
      } else data = pcm
      sendJson(res, entry, {
        id, object: 'chat.completion', created, model,
        choices: [{
          index: 0,
          finish_reason: finish,
          message: {
            role: 'assistant',
            content: '',
            audio: { id: audioId, data: data.toString('base64'), expires_at: null, transcript: null },
            ...(preview !== undefined ? { final_text_preview: preview } : {})
          }
        }],
        usage
      }, fault)
      return
    }

    const writer = new SseWriter(res, entry, fault, signal)
    writer.start()
    const chunk = (delta: Record<string, unknown>, finishReason: string | null = null, u: unknown = null): unknown => ({
      id, object: 'chat.completion.chunk', created, model,
      choices: [{ index: 0, delta, finish_reason: finishReason }],
      usage: u
    })
    const audioDelta = (bytes: Buffer): Record<string, unknown> => ({
      audio: { id: audioId, data: bytes.toString('base64'), expires_at: null, transcript: null }
    })
    if (model === 'mimo-v2.5-tts') {
      // Streams for real: 200 ms pieces, paced as synthesis would produce them.
      const started = entry.receivedAt
      await sleep(started + latency.ttsFirstByteMs - performance.now(), signal)
      let first = true
      for (let at = 0; at < pcm.length; at += TTS_CHUNK_BYTES) {
        const piece = pcm.subarray(at, at + TTS_CHUNK_BYTES)
        // Piece k is due once the audio before it has been "synthesised" (absolute schedule, no drift).
        const due = started + latency.ttsFirstByteMs + (at / 2 / SAMPLE_RATE) * 1000 * latency.ttsRealtimeFactor
        if (!first) await sleep(due - performance.now(), signal)
        await writer.chunk(chunk({ ...(first ? { role: 'assistant', content: '' } : {}), ...audioDelta(piece) }))
        first = false
      }
    } else {
      // Voice clone and voice design synthesise everything first, then send it in one piece.
      await sleep(entry.receivedAt + latency.ttsFirstByteMs + synthesisMs - performance.now(), signal)
      await writer.chunk(chunk({ role: 'assistant', content: '', ...(preview !== undefined ? { final_text_preview: preview } : {}), ...audioDelta(pcm) }))
    }
    await writer.chunk(chunk({}, finish, usage))
    await writer.done()
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]
    const entry: LoggedRequest = {
      at: Date.now(),
      method: req.method ?? 'GET',
      path,
      headers: req.headers,
      body: undefined,
      status: 0,
      // Over HTTP/2, req.socket is the session's socket (behind a proxy that reads its properties).
      connection: (req.socket as Socket & { [CONNECTION_ID]?: number })[CONNECTION_ID] ?? 0,
      clientClosed: false,
      completed: false,
      protocol: req.httpVersionMajor === 2 ? 'h2' : 'http/1.1',
      bodyBytes: 0,
      receivedAt: 0
    }
    requests.push(entry)
    const closed = new AbortController()
    res.on('close', () => {
      if (!res.writableFinished) entry.clientClosed = !entry.completed
      closed.abort()
    })
    const signal = closed.signal

    const raw = await readBody(req)
    if (raw === null) return send(res, entry, serviceError(413, 'Request Entity Too Large'))
    entry.bodyBytes = raw.length
    entry.receivedAt = performance.now()
    const text = raw.toString('utf8')
    let body: unknown
    let parsed = true
    try {
      body = text ? JSON.parse(text) : undefined
    } catch {
      parsed = false
      body = text
    }
    entry.body = body

    if (path !== CHAT_PATH) return send(res, entry, serviceError(404, 'Not Found', '', `no route ${req.method} ${path}`))
    if (req.method !== 'POST') return send(res, entry, serviceError(405, 'Method Not Allowed'))

    const fault = takeFault()
    entry.fault = fault?.kind
    if (fault?.kind === 'status') {
      const b = STATUS_BODIES[fault.status]
      return send(res, entry, serviceError(fault.status, b.message, b.type, b.param ?? ''), fault.retryAfterSec !== undefined ? { 'retry-after': String(fault.retryAfterSec) } : {})
    }
    if (fault?.kind === 'hang' && fault.afterChunks === undefined) return void (await forever(signal).catch(() => {}))
    if (fault?.kind === 'flood') return flood(res, entry, fault, signal)

    const key = keyFrom(req.headers)
    const tokenPlanKey = key?.startsWith('tp-') ?? false
    if (!key || !apiKeys.includes(key) || tokenPlanKey !== (options.tokenPlanHost ?? false))
      return send(res, entry, serviceError(401, 'Invalid API Key', 'invalid_key'))

    const contentType = String(req.headers['content-type'] ?? '')
    if (!/^application\/json\b/i.test(contentType))
      return send(res, entry, serviceError(400, 'Param Incorrect', '', 'Content-Type must be application/json'))
    if (!parsed) return send(res, entry, serviceError(400, 'Param Incorrect', '', 'request body is not valid JSON'))

    const checked = checkRequest(body)
    if ('status' in checked) return send(res, entry, checked)
    const heard = await hearUploads(checked.audio.uploads)
    if ('problem' in heard) return send(res, entry, paramIncorrect(INVALID_AUDIO))
    if (heard.length) {
      entry.audio = heard
      checked.audio.seconds = heard.reduce((sum, a) => sum + a.seconds, 0)
    }
    entry.model = checked.model
    entry.stream = checked.stream
    if (checked.images.length) {
      const images = await factsOf(checked.images)
      if (!images) return send(res, entry, serviceError(400, 'Param Incorrect', '', 'image_url.url: the image could not be decoded'))
      entry.images = images
    }
    const b = body as Record<string, unknown>
    try {
      if (checked.tts) await answerTts(res, entry, b, checked, fault, signal)
      else await answerChat(res, entry, b, checked, fault, signal)
    } catch (err) {
      if (err instanceof Stopped) return
      throw err
    }
  }

  /** Writes without end (64 KB at a time, waiting for the socket to drain) until the client hangs up. */
  async function flood(res: ServerResponse, entry: LoggedRequest, fault: Extract<Fault, { kind: 'flood' }>, signal: AbortSignal): Promise<void> {
    const heads = {
      'error-body': [500, 'application/json', '{"error":{"code":"500","message":"'],
      'json-answer': [200, 'application/json', '{"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"'],
      'sse-line': [200, 'text/event-stream', 'data: {"id":"x","choices":[{"index":0,"delta":{"content":"'],
      'sse-event': [200, 'text/event-stream', '']
    } as const
    const [status, type, head] = heads[fault.what]
    entry.status = status
    res.writeHead(status, { 'content-type': type })
    res.write(head)
    const piece = fault.what === 'sse-event' ? Buffer.from('data: more\n'.repeat(6000)) : Buffer.alloc(64 * 1024, 'a')
    const max = fault.maxBytes ?? 256 * 1024 * 1024
    entry.floodBytes = 0
    while (!signal.aborted && entry.floodBytes < max) {
      entry.floodBytes += piece.length
      if (!res.write(piece)) await drainedOrClosed(res)
    }
    res.end()
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' })
        res.end(JSON.stringify(serviceError(500, 'Internal Server Error', 'server_error', String(err)).body))
      } else res.destroy()
    })
  }
  if (options.http2 && !options.tls) throw new Error('HTTP/2 is offered through ALPN: it needs tls')
  // The HTTP/2 server's compatibility API hands the handler objects shaped like node:http's.
  const server: http.Server | https.Server | http2.Http2SecureServer = options.tls
    ? options.http2
      ? http2.createSecureServer({ ...options.tls, allowHTTP1: true }, onRequest as unknown as (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => void)
      : https.createServer(options.tls, onRequest)
    : http.createServer(onRequest)
  server.on(options.tls ? 'secureConnection' : 'connection', (socket: Socket & { [CONNECTION_ID]?: number }) => {
    socket.setNoDelay(true)
    socket[CONNECTION_ID] = ++nextSocket
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  // A TLS connection that fails its handshake never reaches 'secureConnection': close it too.
  if (options.tls) server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port

  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}/v1`,
    port,
    requests,
    setLatency: (l) => Object.assign(latency, l),
    setReply: (r) => {
      reply = r
    },
    setTranscript: (t) => {
      transcriptOption = t
    },
    injectFault: (f, times = 1) => {
      faults.push({ fault: f, remaining: Math.max(1, times) })
    },
    clearFaults: () => {
      faults.length = 0
    },
    clearRequests: () => {
      requests.length = 0
    },
    close: async () => {
      const closing = new Promise<void>((resolve) => server.close(() => resolve()))
      for (const s of sockets) s.destroy()
      await closing
    }
  }
}
