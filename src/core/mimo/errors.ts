import type { UserError } from '../../shared/errors'

/** What the client knew when the service refused a request: used to tailor the advice. */
export interface ErrorContext {
  baseUrl?: string
  model?: string
  /** Whether the key sent starts with `tp-` (a token-plan key). Never the key itself. */
  tokenPlanKey?: boolean
}

export function isTokenPlanHost(baseUrl: string | undefined): boolean {
  if (!baseUrl) return false
  try {
    return /^token-plan-/i.test(new URL(baseUrl).hostname)
  } catch {
    return false
  }
}

/** "MiMo at api.xiaomimimo.com", or "MiMo" when the base URL is not known. */
function serviceAt(baseUrl: string | undefined): string {
  try {
    return baseUrl ? `MiMo at ${new URL(baseUrl).host}` : 'MiMo'
  } catch {
    return 'MiMo'
  }
}

/** "1 second", "30 seconds". */
export function describeSeconds(ms: number): string {
  const s = Math.max(1, Math.round(ms / 1000))
  return s === 1 ? '1 second' : `${s} seconds`
}

/** The sentence a user can act on, for a status the service answered with. */
export function userMessageForStatus(
  status: number,
  body: { message?: string; param?: string },
  ctx: ErrorContext = {},
  retryAfterMs?: number
): string {
  const detail = body.param || body.message
  const model = ctx.model ? `the model ${ctx.model}` : 'the model'
  switch (status) {
    case 400:
      return detail
        ? `MiMo refused the request: ${detail}.`
        : 'MiMo refused the request as malformed. Check the model, voice and audio settings.'
    case 401: {
      const onTokenPlanHost = isTokenPlanHost(ctx.baseUrl)
      // The host is named: a key refused by a server the user did not expect is worth noticing.
      const refused = `${serviceAt(ctx.baseUrl)} did not accept the API key.`
      if (ctx.tokenPlanKey && !onTokenPlanHost)
        return (
          `${refused} Token-plan keys (starting with "tp-") only work on a token-plan host: ` +
          'choose Token plan China, Singapore or Amsterdam (https://token-plan-sgp.xiaomimimo.com/v1) as the base URL in Settings.'
        )
      if (!ctx.tokenPlanKey && onTokenPlanHost)
        return (
          `${refused} Token-plan hosts only take token-plan keys (starting with "tp-"): ` +
          'use your token-plan key, or the Global base URL https://api.xiaomimimo.com/v1 for a pay-as-you-go key.'
        )
      return (
        `${refused} Check the key in Settings (or MIMO_API_KEY). ` +
        'Token-plan keys (starting with "tp-") need a token-plan base URL such as https://token-plan-sgp.xiaomimimo.com/v1.'
      )
    }
    case 402:
      return 'Your MiMo account balance is used up. Top it up at platform.xiaomimimo.com, then try again.'
    case 403:
      return (
        `MiMo refused access to ${model} with this key${detail ? ` (${detail})` : ''}. ` +
        'Check that your plan includes it; web search also needs the Web Search plugin activated in the MiMo console.'
      )
    case 404:
      return (
        `MiMo could not find ${model} at ${ctx.baseUrl ?? 'the base URL'}. ` +
        'Check the base URL in Settings (it ends in /v1, e.g. https://api.xiaomimimo.com/v1) and the model name.'
      )
    case 421:
      return "MiMo's content filter blocked this request or its answer. Rephrase it and try again."
    case 429:
      return retryAfterMs !== undefined
        ? `MiMo is getting too many requests from this key. Try again in ${describeSeconds(retryAfterMs)}.`
        : 'MiMo is getting too many requests from this key. Wait a moment and try again.'
    default:
      if (status >= 500)
        return `MiMo is having trouble right now (error ${status}). Try again in a moment.`
      return `MiMo answered with an error (${status})${detail ? `: ${detail}` : ''}.`
  }
}

export interface MimoErrorInit {
  status: number
  code: string
  type?: string
  param?: string
  userMessage: string
  /** For developers and logs: what happened, with the service's own words. */
  message?: string
  partialText?: string
  retryAfterMs?: number
  cause?: unknown
}

/**
 * A request to MiMo failed. `status` is the HTTP status, or 0 for network faults, timeouts and broken streams.
 * `partialText`: the answer text that had arrived before a stream broke.
 */
export class MimoError extends Error {
  override name = 'MimoError'
  readonly status: number
  readonly code: string
  readonly type: string
  readonly param?: string
  readonly userMessage: string
  partialText?: string
  readonly retryAfterMs?: number

  constructor(init: MimoErrorInit) {
    super(init.message ?? init.userMessage, init.cause === undefined ? undefined : { cause: init.cause })
    this.status = init.status
    this.code = init.code
    this.type = init.type ?? ''
    this.param = init.param
    this.userMessage = init.userMessage
    this.partialText = init.partialText
    this.retryAfterMs = init.retryAfterMs
  }

  /** An answer the service gave with an error status and (usually) a `{"error":{...}}` body. */
  static fromResponse(status: number, bodyText: string, ctx: ErrorContext = {}, retryAfterMs?: number): MimoError {
    const body = parseErrorBody(bodyText)
    const code = body.code !== undefined && body.code !== '' ? String(body.code) : String(status)
    const serviceWords = [body.message, body.param].filter(Boolean).join(': ') || bodyText.slice(0, 200) || '(empty body)'
    return new MimoError({
      status,
      code,
      type: body.type ?? '',
      param: body.param || undefined,
      userMessage: userMessageForStatus(status, body, ctx, retryAfterMs),
      message: `MiMo answered ${status}: ${serviceWords}`,
      retryAfterMs
    })
  }

  toUserError(): UserError {
    const hint =
      this.partialText && this.partialText.trim()
        ? 'Part of the answer arrived before the failure; it is shown as it was.'
        : undefined
    return {
      kind: this.code === 'no_api_key' ? 'input' : this.status === 0 ? 'network' : 'api',
      message: this.userMessage,
      ...(hint ? { hint } : {}),
      ...(this.status ? { status: this.status } : {}),
      code: this.code,
      ...(this.param ? { param: this.param } : {})
    }
  }
}

/** Reads `{"error":{code,message,param,type}}` (or a bare `{message,...}`), tolerating anything else. */
export function parseErrorBody(text: string): { code?: string; message?: string; param?: string; type?: string } {
  try {
    const parsed: unknown = JSON.parse(text)
    if (!parsed || typeof parsed !== 'object') return {}
    const obj = parsed as Record<string, unknown>
    const inner = obj.error && typeof obj.error === 'object' ? (obj.error as Record<string, unknown>) : obj
    const str = (v: unknown): string | undefined =>
      typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined
    return { code: str(inner.code), message: str(inner.message), param: str(inner.param), type: str(inner.type) }
  } catch {
    return {}
  }
}

/** A request the client refused to send: `field` names the request field at fault (e.g. `audio.voice`). */
export class MimoValidationError extends Error {
  override name = 'MimoValidationError'
  readonly field: string

  constructor(field: string, message: string) {
    super(`${field}: ${message}`)
    this.field = field
  }

  /** The reason without the field prefix. */
  get reason(): string {
    return this.message.slice(this.field.length + 2)
  }

  toUserError(): UserError {
    return { kind: 'input', message: `This request cannot be sent to MiMo: ${this.reason}.`, param: this.field }
  }
}

/** The caller stopped the request (its AbortSignal fired). Recognisable as `err.name === 'AbortError'`. */
export class MimoAbortError extends Error {
  override name = 'AbortError'
  readonly code = 'ABORT_ERR'
  partialText?: string

  constructor(partialText?: string) {
    super('The MiMo request was stopped.')
    this.partialText = partialText
  }

  toUserError(): UserError {
    return { kind: 'input', message: 'Stopped.' }
  }
}

export function isAbortError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'AbortError'
}
