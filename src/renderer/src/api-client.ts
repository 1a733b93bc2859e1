/**
 * The window's only way to the main process. Wraps `window.api`: unwraps every `Result` (a failed
 * call rejects with `ApiCallError`, whose `userError` the UI shows), turns a broken bridge into a
 * message instead of a crash, and drops malformed event payloads. Components never touch window.api.
 */
import type { UserError } from '../../shared/errors'
import {
  eventSchemas,
  type Api,
  type EventChannel,
  type Events,
  type InvokeChannel,
  type InvokePayload,
  type InvokeResult,
  type InvokeResults
} from '../../shared/ipc'

/** A call the main process refused or could not answer; `userError` is what the UI shows. */
export class ApiCallError extends Error {
  constructor(
    readonly channel: InvokeChannel,
    readonly userError: UserError
  ) {
    super(userError.message)
    this.name = 'ApiCallError'
  }
}

/** Codes the client itself gives to transport failures (the UI words them in the user's language). */
export const BRIDGE_MISSING = 'bridge-missing'
export const BRIDGE_FAILED = 'bridge-failed'

export type PayloadArgs<C extends InvokeChannel> = InvokePayload<C> extends undefined ? [] : [payload: InvokePayload<C>]

export interface ApiClient {
  /** Resolves with the call's value; rejects with ApiCallError only. */
  call<C extends InvokeChannel>(channel: C, ...args: PayloadArgs<C>): Promise<InvokeResults[C]>
  /** Subscribes to a main-process event; returns the unsubscribe function. */
  on<E extends EventChannel>(event: E, listener: (payload: Events[E]) => void): () => void
}

/** Any caught value as something the UI can show. */
export function userErrorOf(err: unknown): UserError {
  if (err instanceof ApiCallError) return err.userError
  const message = err instanceof Error ? err.message : String(err)
  return { kind: 'internal', message }
}

export function createApiClient(api: Api | undefined): ApiClient {
  return {
    async call(channel, ...args) {
      if (!api || typeof api[channel] !== 'function') {
        throw new ApiCallError(channel, {
          kind: 'internal',
          code: BRIDGE_MISSING,
          message: 'The window is not connected to the app (window.api is missing).'
        })
      }
      let result: InvokeResult<typeof channel>
      try {
        const fn = api[channel] as (payload?: unknown) => Promise<InvokeResult<typeof channel>>
        result = await fn(...(args as [unknown?]))
      } catch (err) {
        // The bridge itself failed (no handler, window closing): never a raw rejection in a component.
        throw new ApiCallError(channel, {
          kind: 'internal',
          code: BRIDGE_FAILED,
          message: `The app did not answer (${channel}): ${err instanceof Error ? err.message : String(err)}`
        })
      }
      if (!result || typeof result !== 'object' || typeof result.ok !== 'boolean') {
        throw new ApiCallError(channel, { kind: 'internal', code: BRIDGE_FAILED, message: `The app sent an unreadable answer (${channel}).` })
      }
      if (!result.ok) throw new ApiCallError(channel, result.error)
      return result.value
    },

    on(event, listener) {
      if (!api || typeof api.on !== 'function') return () => {}
      const schema = eventSchemas[event]
      return api.on(event, (payload) => {
        // The sender is our own main process, but a malformed payload must not break a view.
        if (!schema.safeParse(payload).success) {
          console.warn(`Ignored a malformed '${event}' event`)
          return
        }
        listener(payload)
      })
    }
  }
}
