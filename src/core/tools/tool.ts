/**
 * A tool the model may call: a built-in one or one of an MCP server's. Tools answer with text for the
 * model; a tool that cannot do what was asked throws (a ToolError says why in words the model and
 * the user can read).
 */
import type { UserError } from '../../shared/errors'

export interface ToolContext {
  /** Fires when the turn is cut short (barge-in, stop) or the call's time is up. */
  signal: AbortSignal
}

export interface Tool {
  /** The tool's own name (an MCP tool's name on its server). */
  name: string
  /** The MCP server it belongs to; absent for built-in tools. */
  server?: string
  description: string
  /** A JSON Schema object for the arguments. */
  parameters: Record<string, unknown>
  /** Needs the user's yes before it runs: the tool says it is destructive, or the user marked it "ask first". */
  confirm?: 'destructive' | 'ask-first'
  run(args: Record<string, unknown>, ctx: ToolContext): Promise<string>
}

/** Where tools come from: asked once per turn, so a setting or a server change applies to the next question. */
export interface ToolSource {
  tools(signal: AbortSignal): Promise<Tool[]>
}

/** A tool's refusal or failure, worded for the model (it reads it as the result) and the user. */
export class ToolError extends Error {
  constructor(
    message: string,
    readonly code = 'tool-failed'
  ) {
    super(message)
    this.name = 'ToolError'
  }

  toUserError(): UserError {
    return { kind: 'input', code: this.code, message: this.message }
  }
}

/** Arguments as an object: the model's JSON must be one. */
export function stringArg(args: Record<string, unknown>, key: string, o: { required?: boolean; max?: number } = {}): string | undefined {
  const v = args[key]
  if (v === undefined || v === null || v === '') {
    if (o.required) throw new ToolError(`The argument "${key}" is required.`, 'bad-arguments')
    return undefined
  }
  if (typeof v !== 'string') throw new ToolError(`The argument "${key}" must be a string.`, 'bad-arguments')
  if (o.max && v.length > o.max) throw new ToolError(`The argument "${key}" is longer than ${o.max} characters.`, 'bad-arguments')
  return v
}
