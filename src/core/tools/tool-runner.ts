/**
 * Runs the tool calls of one answer: all at once, each with its own time limit, each answered by a
 * `tool` message with its tool_call_id whatever happens (arguments that are not JSON, a tool that is
 * unknown, fails, times out or is refused), so the model can always go on. Only the turn's end
 * (barge-in, stop) ends them without an answer.
 */
import type { ToolCallView } from '../../shared/tools'
import type { ToolCall, ToolMessage } from '../mimo/types'
import { ToolError, type Tool } from './tool'
import type { Toolset } from './toolset'

/** What the model reads of a result, and what the window shows of it. */
const MODEL_RESULT_MAX = 16_000
const VIEW_RESULT_MAX = 2_000

export interface ConfirmRequest {
  call: ToolCallView
  tool: Tool
  reason: 'destructive' | 'ask-first'
  /** The turn's: the question is withdrawn when it fires. */
  signal: AbortSignal
}

export interface ToolRunOptions {
  /** The turn's: when it fires, every call stops. */
  signal: AbortSignal
  timeoutMs: number
  round: number
  /** Asks the user; resolves false when refused (or not answered in time). Without it, such calls are refused. */
  confirm?: (request: ConfirmRequest) => Promise<boolean>
  /** Each change of a call (running, waiting for a yes, done, failed). */
  onUpdate(view: ToolCallView): void
  clock?: () => number
}

class TimedOut extends Error {}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`
}

/** The arguments as an object ("" means none). Throws ToolError for anything else. */
export function parseArguments(text: string): Record<string, unknown> {
  if (text.trim() === '') return {}
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw new ToolError(`The arguments are not valid JSON (${(err as Error).message}). Send a JSON object.`, 'bad-arguments')
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new ToolError('The arguments must be a JSON object.', 'bad-arguments')
  return value as Record<string, unknown>
}

/** Runs `promise` until it settles or `signal` fires (then rejects with the signal's reason). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason)
    const onAbort = (): void => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort)
        resolve(v)
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(e)
      }
    )
  })
}

async function runOne(call: ToolCall, toolset: Toolset, o: ToolRunOptions): Promise<ToolMessage> {
  const clock = o.clock ?? (() => performance.now())
  const tool = toolset.find(call.function.name)
  let view: ToolCallView = {
    id: call.id,
    round: o.round,
    tool: tool?.name ?? call.function.name,
    ...(tool?.server ? { server: tool.server } : {}),
    arguments: call.function.arguments,
    status: 'running'
  }
  const update = (fields: Partial<ToolCallView>): void => {
    view = { ...view, ...fields }
    o.onUpdate(view)
  }
  const answer = (content: string): ToolMessage => ({ role: 'tool', tool_call_id: call.id, content: shorten(content, MODEL_RESULT_MAX) })
  o.onUpdate(view)
  let started = clock()
  try {
    if (!tool) throw new ToolError(`There is no tool called "${call.function.name}".`, 'unknown-tool')
    const args = parseArguments(call.function.arguments)
    if (tool.confirm) {
      update({ status: 'confirm' })
      const allowed = o.confirm ? await untilAborted(o.confirm({ call: view, tool, reason: tool.confirm, signal: o.signal }), o.signal) : false
      if (!allowed) {
        update({ status: 'refused', error: 'The user did not allow it.', durationMs: 0 })
        return answer('Error: the user did not allow this call. Do not try it again unless the user asks.')
      }
      update({ status: 'running' })
      started = clock()
    }
    const limit = new AbortController()
    const timer = setTimeout(() => limit.abort(new TimedOut()), o.timeoutMs)
    const signal = AbortSignal.any([o.signal, limit.signal])
    try {
      const result = await untilAborted(tool.run(args, { signal }), signal)
      update({ status: 'done', result: shorten(result, VIEW_RESULT_MAX), durationMs: Math.round(clock() - started) })
      return answer(result)
    } finally {
      clearTimeout(timer)
    }
  } catch (err) {
    const durationMs = Math.round(clock() - started)
    if (o.signal.aborted) {
      update({ status: 'stopped', durationMs })
      throw err
    }
    const message =
      err instanceof TimedOut
        ? `The tool did not answer within ${Math.round(o.timeoutMs / 100) / 10} s.`
        : err instanceof Error
          ? err.message
          : String(err)
    update({ status: 'error', error: shorten(message, VIEW_RESULT_MAX), durationMs })
    return answer(`Error: ${message}`)
  }
}

/**
 * Runs every call at once; resolves with their tool messages in call order. Rejects only when the
 * turn's signal fires (each call then shows as stopped).
 */
export async function runToolCalls(calls: ToolCall[], toolset: Toolset, o: ToolRunOptions): Promise<ToolMessage[]> {
  const runs = calls.map((call) => runOne(call, toolset, o))
  const settled = await Promise.allSettled(runs)
  const failed = settled.find((s) => s.status === 'rejected')
  if (failed) throw (failed as PromiseRejectedResult).reason
  return settled.map((s) => (s as PromiseFulfilledResult<ToolMessage>).value)
}
