// The MiMo chat-completions client: one keep-alive undici Agent, SSE parsed with eventsource-parser,
// requests checked before they leave, errors turned into sentences a user can act on.
//
// Retries: only 429, 500 and 503, only before the answer has started (a half-spoken answer is never
// repeated), at most `maxAttempts` requests in all, waiting Retry-After when the service gives one.
// Timeouts: connect (the owned Agent), first byte (until the response headers) and idle (between
// pieces of the body; time the caller spends on an event does not count).

import { Agent, request as undiciRequest, type Dispatcher } from 'undici'
import type { Readable } from 'node:stream'
import { BODY_LIMITS, readTextWithin } from './body-limits'
import { ChatEventAssembler } from './chat-events'
import { ConnectionWarmer, type WarmerStats } from './connection-warmer'
import { timedDispatcher, type RequestTimings } from './request-timing'
import { describeSeconds, MimoAbortError, MimoError, type ErrorContext } from './errors'
import { readSseEvents } from './sse'
import type { ChatCompletion, ChatEvent, ChatRequest } from './types'
import { validateRequest } from './validation'

export type { ChatEvent } from './types'

export interface MimoClientOptions {
  /** Includes the version, e.g. https://api.xiaomimimo.com/v1. */
  baseUrl: string
  /** Read before every request, so a key changed in Settings applies at once. */
  apiKey: string | (() => string | undefined | Promise<string | undefined>)
  /** `api-key: KEY` (default) or `Authorization: Bearer KEY`; the service takes both. */
  auth?: 'api-key' | 'bearer'
  timeouts?: { connectMs?: number; firstByteMs?: number; idleMs?: number }
  /** Default 3 attempts in all, 500 ms doubling, at most 10 s between attempts. */
  retry?: { maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number }
  /** Default: one keep-alive Agent owned (and closed) by the client. The connect timeout only applies to the owned Agent. */
  dispatcher?: Dispatcher
  /** Certificates to trust besides the system's (PEM), e.g. a test service's own. Owned Agent only. */
  ca?: string | Buffer | Array<string | Buffer>
  /** Offer HTTP/2 through ALPN (one connection carries every request of a turn); HTTP/1.1 otherwise. Owned Agent only. */
  http2?: boolean
  /** Connections opened ahead by warm() are closed after this long idle (below the service's limit). Default 4000. */
  idleLimitMs?: number
}

export interface RequestOptions {
  signal?: AbortSignal
  /** How long the request waited for a connection and took to send its body. */
  onTimings?: (t: RequestTimings) => void
}

export type { RequestTimings } from './request-timing'
export type { WarmerStats } from './connection-warmer'

export const DEFAULT_TIMEOUTS = { connectMs: 10_000, firstByteMs: 60_000, idleMs: 30_000 }
export const DEFAULT_RETRY = { maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 10_000 }
const RETRY_STATUSES = new Set([429, 500, 503])
const USER_AGENT = 'mimo-voice/0.1'

/** Retry-After as milliseconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value
  if (!v) return undefined
  if (/^\s*\d+(\.\d+)?\s*$/.test(v)) return Math.round(Number(v) * 1000)
  const at = Date.parse(v)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new MimoAbortError())
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(new MimoAbortError())
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

const NETWORK_CODES: Record<string, string> = {
  ENOTFOUND: 'the address was not found',
  EAI_AGAIN: 'the address could not be looked up',
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was reset',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  ETIMEDOUT: 'the connection timed out',
  EPIPE: 'the connection was closed',
  UND_ERR_SOCKET: 'the connection was closed',
  UND_ERR_CLOSED: 'the connection was closed'
}

function errorCode(err: unknown): string | undefined {
  let e: unknown = err
  for (let depth = 0; depth < 4 && e && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && code !== 'ERR_ASSERTION') return code
    const errors = (e as { errors?: unknown }).errors
    e = Array.isArray(errors) && errors.length > 0 ? errors[0] : (e as { cause?: unknown }).cause
  }
  return undefined
}

interface Opened {
  body: Dispatcher.ResponseData['body']
  headers: Dispatcher.ResponseData['headers']
  signal: AbortSignal
  release: () => void
}

export class MimoClient {
  private readonly baseUrl: string
  private readonly endpoint: string
  private readonly apiKey: MimoClientOptions['apiKey']
  private readonly auth: 'api-key' | 'bearer'
  private readonly timeouts: typeof DEFAULT_TIMEOUTS
  private readonly retry: typeof DEFAULT_RETRY
  private readonly dispatcher: Dispatcher
  private readonly ownsDispatcher: boolean
  private readonly inFlight = new Set<AbortController>()
  private readonly warmer: ConnectionWarmer | undefined
  private closed = false

  constructor(options: MimoClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '')
    this.endpoint = `${this.baseUrl}/chat/completions`
    this.apiKey = options.apiKey
    this.auth = options.auth ?? 'api-key'
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts }
    this.retry = { ...DEFAULT_RETRY, ...options.retry }
    this.retry.maxAttempts = Math.max(1, Math.floor(this.retry.maxAttempts))
    this.ownsDispatcher = !options.dispatcher
    if (!options.dispatcher) {
      const http2 = options.http2 ?? false
      this.warmer = new ConnectionWarmer({
        connect: { timeout: this.timeouts.connectMs, allowH2: http2, ...(options.ca ? { ca: options.ca } : {}) },
        origin: new URL(this.baseUrl).origin,
        connections: http2 ? 1 : 3,
        idleLimitMs: options.idleLimitMs,
        busy: () => this.inFlight.size > 0
      })
    }
    this.dispatcher =
      options.dispatcher ??
      new Agent({
        connect: this.warmer!.connector,
        allowH2: options.http2 ?? false,
        // Over HTTP/2 one connection carries a turn's requests side by side (see `idempotent` below).
        pipelining: options.http2 ? 100 : 1,
        // The warmer closes idle connections before the service does; no pings keep one alive for ever.
        pingInterval: 0,
        keepAliveTimeout: 30_000,
        keepAliveMaxTimeout: 120_000
      })
  }

  /**
   * Opens (TCP and TLS) the connections a turn needs, without sending anything, and keeps them warm
   * for `holdMs` (0: open them once). Nothing happens without a key: a connection is only worth
   * having when a request can follow.
   */
  async warm(holdMs = 0): Promise<void> {
    if (!this.warmer || this.closed) return
    const key = await this.readKey().catch(() => undefined)
    if (key && !this.closed) this.warmer.warm(holdMs)
  }

  /** Stops keeping connections warm once the turn is under way (a few seconds on; those open stay until used or idle). */
  cool(): void {
    this.warmer?.cool()
  }

  /** What the warmer did (benchmarks, diagnostics). */
  connectionStats(): WarmerStats | undefined {
    return this.warmer?.stats()
  }

  /**
   * Streams the answer (sends stream:true). Validates first: a bad request throws MimoValidationError at the call,
   * and nothing is sent. Iterating throws MimoError (status 0 for network faults, timeouts and broken streams, with
   * `partialText`) or an AbortError when the signal fires. Leaving the loop early stops the request.
   */
  chat(request: ChatRequest, options: RequestOptions = {}): AsyncIterable<ChatEvent> {
    const body: ChatRequest = { ...request, stream: true }
    validateRequest(body)
    return this.streamEvents(body, options)
  }

  /** Non-streaming (sends stream:false). Same validation, retries and errors as `chat()`. */
  async complete(request: ChatRequest, options: RequestOptions = {}): Promise<ChatCompletion> {
    const body: ChatRequest = { ...request, stream: false }
    validateRequest(body)
    const opened = await this.open(body, options, 'application/json')
    const ctx = this.context(body)
    let text: string
    try {
      text = await readTextWithin(opened.body, BODY_LIMITS.answerBytes)
    } catch (err) {
      throw this.failure(err, opened.signal, options.signal, ctx, 'body', '')
    } finally {
      opened.release()
    }
    await reusable()
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      throw new MimoError({
        status: 0,
        code: 'malformed_response',
        userMessage: 'MiMo sent a damaged answer. Try again.',
        message: `Malformed JSON response: ${text.slice(0, 120)}`
      })
    }
    const completion = parsed as ChatCompletion
    if (!completion || typeof completion !== 'object' || !Array.isArray(completion.choices))
      throw new MimoError({
        status: 0,
        code: 'malformed_response',
        userMessage: 'MiMo sent an answer this app does not understand. Check the base URL in Settings.',
        message: `Response without choices: ${text.slice(0, 120)}`
      })
    return completion
  }

  /** Stops every request in flight and releases the connections. */
  async close(): Promise<void> {
    this.closed = true
    for (const controller of this.inFlight) controller.abort()
    this.inFlight.clear()
    this.warmer?.close()
    if (this.ownsDispatcher) await this.dispatcher.destroy()
  }

  private async *streamEvents(body: ChatRequest, options: RequestOptions): AsyncGenerator<ChatEvent> {
    const callerSignal = options.signal
    const opened = await this.open(body, options, 'text/event-stream')
    const ctx = this.context(body)
    const assembler = new ChatEventAssembler()
    const contentType = String(opened.headers['content-type'] ?? '')
    let finished = false
    try {
      if (contentType.includes('application/json')) {
        // Some gateways answer a streamed request in one piece: read it as a whole answer.
        yield* this.jsonAsEvents(opened, assembler)
        finished = true
        return
      }
      const chunks = (opened.body as Readable).iterator({ destroyOnReturn: false })
      try {
        for await (const batch of readSseEvents(chunks, { maxEventBytes: BODY_LIMITS.sseEventBytes })) {
          for (const event of batch) {
            if (event.event === 'error') {
              assembler.push(JSON.stringify({ error: safeJson(event.data) ?? { message: event.data } }))
              continue
            }
            for (const out of assembler.push(event.data)) yield out
            if (assembler.done) break
          }
          if (assembler.done) break
        }
      } catch (err) {
        if (err instanceof MimoError) throw err
        throw this.failure(err, opened.signal, callerSignal, ctx, 'body', assembler.text)
      }
      if (callerSignal?.aborted) throw new MimoAbortError(assembler.text)
      for (const out of assembler.end()) yield out
      finished = true
    } catch (err) {
      if (err instanceof MimoError && err.partialText === undefined) err.partialText = assembler.text
      if (err instanceof MimoAbortError && err.partialText === undefined) err.partialText = assembler.text
      throw err
    } finally {
      if (assembler.done && !finished && !callerSignal?.aborted) finished = true
      if (finished && assembler.done) {
        // After [DONE] only the end of the response is left: read it so the connection can be reused.
        await opened.body.dump({ limit: Number.MAX_SAFE_INTEGER, signal: AbortSignal.timeout(1000) }).catch(() => {})
        opened.release()
        await reusable()
      } else {
        // Destroying an unfinished body makes undici emit an abort error: nobody needs to hear it.
        opened.body.on('error', () => {})
        opened.body.destroy()
        opened.release()
      }
    }
  }

  private async *jsonAsEvents(opened: Opened, assembler: ChatEventAssembler): AsyncGenerator<ChatEvent> {
    const text = await readTextWithin(opened.body, BODY_LIMITS.answerBytes)
    const parsed = safeJson(text) as (ChatCompletion & { error?: unknown }) | undefined
    if (parsed && !parsed.error && Array.isArray(parsed.choices)) {
      // Re-shape the whole answer as one chunk so one code path decides what to emit.
      const message = parsed.choices[0]?.message
      const chunk = {
        ...parsed,
        object: 'chat.completion.chunk',
        choices: message
          ? [{
              index: 0,
              delta: {
                ...message,
                tool_calls: message.tool_calls?.map((c, index) => ({ index, ...c }))
              },
              finish_reason: parsed.choices[0].finish_reason ?? 'stop'
            }]
          : []
      }
      for (const out of assembler.push(JSON.stringify(chunk))) yield out
      assembler.done = true
      for (const out of assembler.end()) yield out
      return
    }
    assembler.push(text) // an error body or garbage: throws the matching MimoError
    throw new MimoError({
      status: 0,
      code: 'malformed_response',
      userMessage: 'MiMo sent an answer this app does not understand. Check the base URL in Settings.',
      message: `Unexpected JSON answer to a streamed request: ${text.slice(0, 120)}`
    })
  }

  private context(body: ChatRequest, key?: string): ErrorContext {
    return { baseUrl: this.baseUrl, model: body.model, ...(key !== undefined ? { tokenPlanKey: key.startsWith('tp-') } : {}) }
  }

  private async readKey(): Promise<string> {
    const key = typeof this.apiKey === 'function' ? await this.apiKey() : this.apiKey
    const trimmed = key?.trim()
    if (!trimmed)
      throw new MimoError({
        status: 0,
        code: 'no_api_key',
        userMessage: 'No MiMo API key is set. Add your key in Settings (or set MIMO_API_KEY for the command).',
        message: 'No API key'
      })
    return trimmed
  }

  /** Sends the request, retrying 429/500/503 before any answer has begun. Resolves once a 2xx status has arrived. */
  private async open(body: ChatRequest, options: RequestOptions, accept: string): Promise<Opened> {
    const callerSignal = options.signal
    if (this.closed)
      throw new MimoError({ status: 0, code: 'closed', userMessage: 'The MiMo connection was shut down.', message: 'MimoClient is closed' })
    const json = JSON.stringify(body)
    const controller = new AbortController()
    const signal = callerSignal ? AbortSignal.any([callerSignal, controller.signal]) : controller.signal
    this.inFlight.add(controller)
    const release = (): void => {
      this.inFlight.delete(controller)
    }
    try {
      for (let attempt = 1; ; attempt++) {
        if (signal.aborted) throw new MimoAbortError()
        const key = await this.readKey()
        const ctx = this.context(body, key)
        let response: Dispatcher.ResponseData
        try {
          response = await undiciRequest(this.endpoint, {
            dispatcher: options.onTimings ? timedDispatcher(this.dispatcher, options.onTimings) : this.dispatcher,
            method: 'POST',
            // undici shares a connection between requests only when they are marked so: over HTTP/2 that is
            // what a turn wants; over HTTP/1.1 it would pipeline them behind a streaming answer. Nothing is
            // retried by undici either way.
            idempotent: this.warmer?.multiplexing ?? false,
            headers: {
              'content-type': 'application/json',
              accept,
              'user-agent': USER_AGENT,
              ...(this.auth === 'bearer' ? { authorization: `Bearer ${key}` } : { 'api-key': key })
            },
            body: json,
            signal,
            headersTimeout: this.timeouts.firstByteMs,
            bodyTimeout: this.timeouts.idleMs
          })
        } catch (err) {
          throw this.failure(err, signal, callerSignal, ctx, 'connect', undefined)
        }
        if (response.statusCode >= 200 && response.statusCode < 300) {
          const type = String(response.headers['content-type'] ?? '')
          if (/text\/html/i.test(type)) {
            // A web page, not the API: typically a base URL missing /v1 or pointing at a website.
            response.body.on('error', () => {}).destroy()
            throw new MimoError({
              status: 0,
              code: 'not_an_api',
              userMessage: `${this.baseUrl} answered with a web page, not the MiMo API. Check the base URL in Settings: it ends in /v1, e.g. https://api.xiaomimimo.com/v1.`,
              message: `Expected an API answer, got ${type}`
            })
          }
          return { body: response.body, headers: response.headers, signal, release }
        }

        let text = ''
        try {
          text = await readTextWithin(response.body, BODY_LIMITS.errorBytes, { truncate: true })
        } catch (err) {
          if (signal.aborted) throw this.failure(err, signal, callerSignal, ctx, 'body', undefined)
        }
        const retryAfterMs = parseRetryAfter(response.headers['retry-after'])
        const error = MimoError.fromResponse(response.statusCode, text, ctx, retryAfterMs)
        if (!RETRY_STATUSES.has(response.statusCode) || attempt >= this.retry.maxAttempts) throw error
        const backoff = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1))
        const wait = retryAfterMs ?? backoff * (0.75 + Math.random() * 0.25)
        // A Retry-After longer than we are willing to wait: say when to try again instead of hanging.
        if (wait > this.retry.maxDelayMs) throw error
        try {
          await sleep(wait, signal)
        } catch (err) {
          throw this.failure(err, signal, callerSignal, ctx, 'connect', undefined)
        }
      }
    } catch (err) {
      release()
      throw err
    }
  }

  /** Any failure after the request was made, as MimoError or MimoAbortError. */
  private failure(
    err: unknown,
    signal: AbortSignal,
    callerSignal: AbortSignal | undefined,
    ctx: ErrorContext,
    phase: 'connect' | 'body',
    partialText: string | undefined
  ): Error {
    if (err instanceof MimoError) return err
    if (callerSignal?.aborted || (signal.aborted && !this.closed)) return new MimoAbortError(partialText)
    if (this.closed)
      return new MimoError({ status: 0, code: 'closed', userMessage: 'The MiMo connection was shut down.', message: 'MimoClient was closed', partialText })
    const code = errorCode(err)
    const host = (() => {
      try {
        return new URL(this.baseUrl).host
      } catch {
        return this.baseUrl
      }
    })()
    const detail = err instanceof Error ? err.message : String(err)
    switch (code) {
      case 'UND_ERR_CONNECT_TIMEOUT':
        return new MimoError({
          status: 0, code: 'connect_timeout', partialText, cause: err,
          userMessage: `Could not connect to ${host} within ${describeSeconds(this.timeouts.connectMs)}. Check your internet connection and the base URL in Settings.`,
          message: `Connect timeout: ${detail}`
        })
      case 'UND_ERR_HEADERS_TIMEOUT':
        return new MimoError({
          status: 0, code: 'first_byte_timeout', partialText, cause: err,
          userMessage: `MiMo did not start answering within ${describeSeconds(this.timeouts.firstByteMs)}. The service may be busy; try again.`,
          message: `First-byte timeout: ${detail}`
        })
      case 'UND_ERR_BODY_TIMEOUT':
        return new MimoError({
          status: 0, code: 'idle_timeout', partialText, cause: err,
          userMessage: `MiMo stopped sending the answer for ${describeSeconds(this.timeouts.idleMs)}. Try again.`,
          message: `Idle timeout: ${detail}`
        })
    }
    if (phase === 'body')
      return new MimoError({
        status: 0, code: 'stream_cut', partialText, cause: err,
        userMessage: 'The connection to MiMo broke before the answer was complete. Try again.',
        message: `Connection lost while reading the answer: ${detail}`
      })
    const what = (code && NETWORK_CODES[code]) ?? (code && /CERT|SSL|TLS/i.test(code) ? 'the secure connection failed' : undefined)
    const advice =
      code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? 'Check the base URL in Settings and your internet connection.'
        : 'Check your internet connection and the base URL in Settings.'
    return new MimoError({
      status: 0, code: 'network', partialText, cause: err,
      userMessage: `Could not reach MiMo at ${host}${what ? `: ${what}` : ''}. ${advice}`,
      message: `Network error (${code ?? 'unknown'}): ${detail}`
    })
  }
}

/**
 * undici makes a kept-alive HTTP/1.1 connection reusable one turn of the event loop after its
 * response ended: a request sent sooner (the next sentence's speech) would open a new connection.
 */
function reusable(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
