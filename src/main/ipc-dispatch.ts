import { fail, ok, type Result } from '../shared/errors'
import { invokeSchemas, type Handlers, type InvokeChannel, type InvokeResult } from '../shared/ipc'
import { toUserError } from '../core/user-error'
import { inputErrorFromZod } from '../core/settings/input-error'

export function isInvokeChannel(channel: unknown): channel is InvokeChannel {
  return typeof channel === 'string' && Object.prototype.hasOwnProperty.call(invokeSchemas, channel)
}

/**
 * Runs one request from the window: an unknown channel is refused, the payload is checked against the
 * channel's schema (a bad one names the field and the reason), and anything the service throws comes
 * back as a UserError. Never rejects.
 */
export async function dispatchInvoke<C extends InvokeChannel>(handlers: Handlers, channel: C, payload: unknown): Promise<InvokeResult<C>>
export async function dispatchInvoke(handlers: Handlers, channel: string, payload: unknown): Promise<Result<unknown>>
export async function dispatchInvoke(handlers: Handlers, channel: string, payload: unknown): Promise<Result<unknown>> {
  if (!isInvokeChannel(channel)) {
    return fail({ kind: 'input', message: `Unknown request "${String(channel).slice(0, 80)}".` })
  }
  const parsed = invokeSchemas[channel].safeParse(payload)
  if (!parsed.success) return fail(inputErrorFromZod(parsed.error).toUserError())
  const handler = handlers[channel] as (p: unknown) => unknown
  try {
    return ok(await handler(parsed.data))
  } catch (err) {
    return fail(toUserError(err))
  }
}
