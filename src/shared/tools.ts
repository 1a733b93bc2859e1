/**
 * Tools the assistant can use: the built-in ones (timers, the clock, opening a web address, the
 * clipboard) and those of MCP servers. What the window, the tray and the command see of them, and
 * the settings that configure them.
 */
import { z } from 'zod'

/** Where a tool call is. `confirm`: waiting for the user's yes (a destructive or "ask first" tool). */
export type ToolCallStatus = 'running' | 'confirm' | 'done' | 'error' | 'refused' | 'stopped'

/** One tool call of a turn, as the turn card, `--json` and the history show it. */
export interface ToolCallView {
  /** The service's tool_call_id. */
  id: string
  /** 1 for the calls of the first answer, 2 for those asked after their results, ... */
  round: number
  /** The tool's own name (an MCP tool's name on its server). */
  tool: string
  /** The MCP server the tool belongs to; absent for built-in tools. */
  server?: string
  /** The arguments as the model wrote them (not always valid JSON). */
  arguments: string
  status: ToolCallStatus
  /** What the tool answered (shortened for the window). */
  result?: string
  /** Why it failed, timed out or was refused. */
  error?: string
  /** Milliseconds from the call's start to its answer. */
  durationMs?: number
}

/** A timer or reminder the user set (by voice, or by a typed question). */
export interface TimerView {
  id: string
  kind: 'timer' | 'reminder'
  /** What it is for: "Tea", "call the dentist". */
  label: string
  /** When it fires (ISO 8601). */
  dueAt: string
  createdAt: string
}

/** A tool call waiting for the user's yes; refused when `expiresAt` passes. */
export interface ToolConfirmation {
  callId: string
  turnId: string
  tool: string
  server?: string
  arguments: string
  /** Why it asks: the tool says it is destructive, or the user marked it "ask first". */
  reason: 'destructive' | 'ask-first'
  expiresAt: string
}

/** How one MCP server is doing, for the settings page. */
export interface McpServerStatus {
  name: string
  state: 'off' | 'idle' | 'starting' | 'ready' | 'failed'
  /** Tool names the server offers (once it has started). */
  tools: string[]
  problem?: string
}

export const CONFIRMATION_TIMEOUT_MS = 30_000
export const MAX_TOOL_ROUNDS = 5

/** The built-in tools, each of which can be switched off. */
export const builtinToolsSchema = z
  .object({ timers: z.boolean(), clock: z.boolean(), openUrl: z.boolean(), clipboard: z.boolean() })
  .strict()
export type BuiltinToolSwitches = z.infer<typeof builtinToolsSchema>
export const DEFAULT_BUILTIN_TOOLS: BuiltinToolSwitches = { timers: true, clock: true, openUrl: true, clipboard: true }

const webUrl = z
  .string()
  .trim()
  .refine((u) => {
    try {
      const { protocol } = new URL(u)
      return protocol === 'http:' || protocol === 'https:'
    } catch {
      return false
    }
  }, 'must be a full http(s) address')

/**
 * One server in the `mcpServers` format other MCP clients use (Claude Desktop, Cursor, Cline):
 * a command started over stdio with its arguments and environment, or the URL of a streamable HTTP
 * server. `disabled` switches it off; `askFirst` names tools (or "*") that need the user's yes.
 */
export const mcpServerSchema = z
  .object({
    type: z.enum(['stdio', 'http', 'streamable-http', 'streamableHttp']).optional(),
    command: z.string().trim().min(1).max(1000).optional(),
    args: z.array(z.string().max(4000)).max(200).optional(),
    env: z.record(z.string().max(200), z.string().max(10_000)).optional(),
    cwd: z.string().max(1000).optional(),
    url: webUrl.optional(),
    headers: z.record(z.string().max(200), z.string().max(10_000)).optional(),
    disabled: z.boolean().optional(),
    askFirst: z.array(z.string().max(200)).max(200).optional()
  })
  .superRefine((s, ctx) => {
    if (!s.command === !s.url) ctx.addIssue({ code: 'custom', message: 'needs either a "command" (stdio) or a "url" (streamable HTTP), not both' })
    if (s.type === 'stdio' && !s.command) ctx.addIssue({ code: 'custom', message: 'a stdio server needs a "command"' })
    if (s.type && s.type !== 'stdio' && !s.url) ctx.addIssue({ code: 'custom', message: 'an HTTP server needs a "url"' })
  })
export type McpServerConfig = z.infer<typeof mcpServerSchema>

/** Server names are prefixes of their tools' names: short, and unique. */
export const mcpServerNameSchema = z
  .string()
  .trim()
  .min(1, 'Give the server a name.')
  .max(40, 'A server name can be at most 40 characters long.')
  .regex(/^[^\s\\/:*?"<>|]+$/u, 'A server name cannot hold spaces or any of \\ / : * ? " < > |')
export const mcpServersSchema = z.record(mcpServerNameSchema, mcpServerSchema).refine((o) => Object.keys(o).length <= 50, 'At most 50 servers.')
export type McpServers = z.infer<typeof mcpServersSchema>

/**
 * Reads an `mcpServers` document: `{"mcpServers": {...}}` (also `{"servers": {...}}`, as VS Code
 * writes it). Fields other clients add and this app does not use are dropped. Throws an Error whose
 * message names the server and field at fault.
 */
export function parseMcpServersDocument(text: string): McpServers {
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch (err) {
    throw new Error(`This is not JSON: ${(err as Error).message}`)
  }
  const root = doc && typeof doc === 'object' && !Array.isArray(doc) ? (doc as Record<string, unknown>) : null
  const servers = root?.mcpServers ?? root?.servers
  if (!servers || typeof servers !== 'object' || Array.isArray(servers)) throw new Error('Expected {"mcpServers": {"name": {"command": ...}}}.')
  // Unknown fields are dropped by the schema (zod objects strip what they do not name).
  const parsed = mcpServersSchema.safeParse(servers)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new Error(`${issue.path.map(String).join('.') || 'mcpServers'}: ${issue.message}`)
  }
  return parsed.data
}

/** The `mcpServers` document for these servers (what an export writes, and what Settings shows). */
export function mcpServersDocument(servers: McpServers): string {
  return JSON.stringify({ mcpServers: servers }, null, 2)
}

/** A time zone the platform knows, such as "Asia/Shanghai". */
export const timeZoneSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz })
      return true
    } catch {
      return false
    }
  }, 'is not a time zone this system knows, such as Asia/Shanghai or Europe/Berlin')
