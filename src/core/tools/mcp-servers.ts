/**
 * MCP servers, through the official TypeScript SDK's client: a command started over stdio (with its
 * arguments and environment) or a streamable HTTP URL, in the `mcpServers` format of the settings.
 * Each server's tools are offered as `<server>__<tool>`. A server that cannot start, or stops, is
 * reported to the user once (a notice) and its tools answer the model with an error; the next
 * question starts it again.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js'
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js'
import type { McpServerConfig, McpServers, McpServerStatus } from '../../shared/tools'
import { ToolError, type Tool, type ToolSource } from './tool'

export interface McpNotice {
  server: string
  message: string
}

export interface McpHubOptions {
  /** The configured servers (the settings' mcpServers), read at every sync. */
  servers: () => McpServers
  /** Told once per problem: a server that cannot start, or stopped. */
  onNotice?: (notice: McpNotice) => void
  /** How long a question waits for a server that is still starting (default 5 s). */
  startWaitMs?: number
  /** A tool call's upper bound inside the SDK; the tool runner's own limit comes first (default 5 min). */
  callTimeoutMs?: number
  version?: string
  log?: (message: string) => void
}

/** What an MCP tool listing gives for one tool (the fields used here). */
interface ListedTool {
  name: string
  description?: string
  inputSchema: Record<string, unknown>
  annotations?: { destructiveHint?: boolean; readOnlyHint?: boolean }
}

const STDERR_KEEP = 2000
/** A server that could not start is not tried again for this long (a question would wait for it). */
const START_RETRY_MS = 30_000

/** A tool result as text for the model: text parts as they are, other parts named. */
export function resultText(result: { content?: unknown; structuredContent?: unknown; toolResult?: unknown }): string {
  const parts = Array.isArray(result.content) ? (result.content as Array<Record<string, unknown>>) : []
  const texts = parts.map((p) => {
    switch (p.type) {
      case 'text':
        return String(p.text ?? '')
      case 'image':
        return `[an image, ${String(p.mimeType ?? 'unknown type')}]`
      case 'audio':
        return `[audio, ${String(p.mimeType ?? 'unknown type')}]`
      case 'resource_link':
        return `[resource ${String(p.uri ?? '')}${p.name ? `: ${String(p.name)}` : ''}]`
      case 'resource': {
        const r = (p.resource ?? {}) as Record<string, unknown>
        return typeof r.text === 'string' ? r.text : `[resource ${String(r.uri ?? '')}]`
      }
      default:
        return ''
    }
  })
  const text = texts.filter(Boolean).join('\n')
  if (text) return text
  if (result.structuredContent !== undefined) return JSON.stringify(result.structuredContent)
  if (result.toolResult !== undefined) return JSON.stringify(result.toolResult)
  return '(the tool returned nothing)'
}

class McpConnection {
  state: McpServerStatus['state'] = 'idle'
  problem?: string
  /** The last tools listed; kept when the server stops, so a call to them can say why it failed. */
  listed: ListedTool[] = []
  private client: Client | null = null
  private starting: Promise<void> | null = null
  private closing = false
  private stderr = ''
  /** Started at least once (a question waits only for a server's first start). */
  tried = false
  /** A server that could not start is tried again after a while; one that stopped, at the next use. */
  private retryAfter = 0
  /** The user was told about the current failure (once, until the server runs again). */
  private noticed = false

  constructor(
    readonly name: string,
    readonly config: McpServerConfig,
    private readonly hub: { notice(n: McpNotice): void; changed(): void; options: McpHubOptions }
  ) {}

  get key(): string {
    return JSON.stringify(this.config)
  }

  /** Starts the server if it is not running (again after a failure, at most every few seconds). */
  ensureStarted(): Promise<void> {
    if (this.state === 'ready') return Promise.resolve()
    if (this.starting) return this.starting
    if (this.state === 'failed' && Date.now() < this.retryAfter) return Promise.resolve()
    this.tried = true
    this.state = 'starting'
    this.hub.changed()
    this.starting = this.start().finally(() => {
      this.starting = null
      this.hub.changed()
    })
    return this.starting
  }

  private transport(): Transport {
    const c = this.config
    if (c.command) {
      const t = new StdioClientTransport({
        command: c.command,
        args: c.args ?? [],
        env: { ...getDefaultEnvironment(), ...(c.env ?? {}) },
        ...(c.cwd ? { cwd: c.cwd } : {}),
        // Kept, not printed: the last lines say why a server failed.
        stderr: 'pipe'
      })
      t.stderr?.on('data', (d: Buffer) => {
        this.stderr = (this.stderr + d.toString('utf8')).slice(-STDERR_KEEP)
      })
      return t
    }
    return new StreamableHTTPClientTransport(new URL(c.url!), { requestInit: { headers: c.headers ?? {} } })
  }

  private async start(): Promise<void> {
    this.closing = false
    this.stderr = ''
    const client = new Client({ name: 'mimo-voice', version: this.hub.options.version ?? '0.1.0' })
    client.onclose = () => {
      if (this.client !== client) return
      this.client = null
      if (this.closing) return
      const wasReady = this.state === 'ready'
      this.fail(wasReady ? `stopped${this.stderrTail()}` : `closed the connection while starting${this.stderrTail()}`, wasReady ? 0 : START_RETRY_MS)
    }
    try {
      this.client = client
      await client.connect(this.transport(), { timeout: this.hub.options.startWaitMs ? Math.max(this.hub.options.startWaitMs * 6, 30_000) : 30_000 })
      client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
        void this.listTools(client).then(() => this.hub.changed(), () => {})
      })
      await this.listTools(client)
      this.state = 'ready'
      this.problem = undefined
      this.noticed = false
    } catch (err) {
      if (this.client === client) this.client = null
      this.closing = true
      await client.close().catch(() => {})
      if (this.state !== 'failed') this.fail(`could not start: ${(err as Error).message}${this.stderrTail()}`, START_RETRY_MS)
    }
  }

  private async listTools(client: Client): Promise<void> {
    const tools: ListedTool[] = []
    let cursor: string | undefined
    do {
      const page = await client.listTools(cursor ? { cursor } : undefined)
      tools.push(...(page.tools as ListedTool[]))
      cursor = page.nextCursor
    } while (cursor && tools.length < 1000)
    this.listed = tools
  }

  private stderrTail(): string {
    const tail = this.stderr.trim().split('\n').slice(-3).join(' ').trim()
    return tail ? ` (${tail.slice(-300)})` : ''
  }

  private fail(why: string, retryInMs: number): void {
    this.state = 'failed'
    this.retryAfter = Date.now() + retryInMs
    this.problem = `The MCP server "${this.name}" ${why}`
    if (!this.noticed) this.hub.notice({ server: this.name, message: this.problem })
    this.noticed = true
    this.hub.changed()
  }

  async call(tool: string, args: Record<string, unknown>, signal: AbortSignal): Promise<string> {
    if (this.state !== 'ready') await this.ensureStarted()
    const client = this.client
    if (!client || this.state !== 'ready') throw new ToolError(this.problem ?? `The MCP server "${this.name}" is not running.`, 'mcp-down')
    let result
    try {
      result = await client.callTool({ name: tool, arguments: args }, undefined, { signal, timeout: this.hub.options.callTimeoutMs ?? 300_000 })
    } catch (err) {
      if (signal.aborted) throw err
      // The SDK says "Connection closed" when the server died mid-call: say which, and why if it told.
      const died = this.stoppedWith()
      throw new ToolError(died ? `${died}.` : `The MCP server "${this.name}" failed: ${(err as Error).message}`, 'mcp-failed')
    }
    const text = resultText(result as Parameters<typeof resultText>[0])
    if (result.isError) throw new ToolError(text, 'mcp-tool-error')
    return text
  }

  /** Why the server stopped, if it did. */
  private stoppedWith(): string | undefined {
    return this.state === 'failed' ? this.problem : undefined
  }

  tools(): Tool[] {
    const askFirst = this.config.askFirst ?? []
    return this.listed.map((t) => {
      const destructive = t.annotations?.destructiveHint === true && t.annotations.readOnlyHint !== true
      const ask = askFirst.includes('*') || askFirst.includes(t.name)
      return {
        name: t.name,
        server: this.name,
        description: t.description ?? t.name,
        parameters: t.inputSchema && typeof t.inputSchema === 'object' ? t.inputSchema : { type: 'object', properties: {} },
        ...(destructive ? { confirm: 'destructive' as const } : ask ? { confirm: 'ask-first' as const } : {}),
        run: (args, ctx) => this.call(t.name, args, ctx.signal)
      }
    })
  }

  status(): McpServerStatus {
    return { name: this.name, state: this.state, tools: this.listed.map((t) => t.name), ...(this.problem ? { problem: this.problem } : {}) }
  }

  async close(): Promise<void> {
    this.closing = true
    const client = this.client
    this.client = null
    this.state = 'idle'
    await client?.close().catch(() => {})
  }
}

export class McpHub implements ToolSource {
  private readonly connections = new Map<string, McpConnection>()
  private readonly listeners = new Set<(s: McpServerStatus[]) => void>()
  private closed = false
  private readonly hooks: { notice(n: McpNotice): void; changed(): void; options: McpHubOptions }

  constructor(readonly options: McpHubOptions) {
    this.hooks = {
      notice: (n) => {
        options.log?.(n.message)
        options.onNotice?.(n)
      },
      changed: () => this.changed(),
      options
    }
  }

  /** Follows the configuration: servers removed, switched off or changed are stopped. */
  sync(): void {
    const servers = this.options.servers()
    for (const [name, conn] of this.connections) {
      const config = servers[name]
      if (!config || config.disabled || JSON.stringify(config) !== conn.key) {
        this.connections.delete(name)
        void conn.close()
      }
    }
    for (const [name, config] of Object.entries(servers)) {
      if (config.disabled || this.connections.has(name)) continue
      this.connections.set(name, new McpConnection(name, config, this.hooks))
    }
    this.changed()
  }

  /** Starts every enabled server now (the app does at start-up, so the first question does not wait). */
  async startAll(): Promise<void> {
    this.sync()
    await Promise.all([...this.connections.values()].map((c) => c.ensureStarted()))
  }

  /**
   * The tools of the servers that are running. A server's first start is waited for, briefly; one
   * that stopped starts again in the background, and its last known tools are offered meanwhile
   * (a call to them waits for the start, or says why it failed).
   */
  async tools(signal: AbortSignal): Promise<Tool[]> {
    if (this.closed) return []
    this.sync()
    const conns = [...this.connections.values()]
    const first = conns.filter((c) => !c.tried)
    for (const c of conns) if (c.tried) void c.ensureStarted()
    const wait = this.options.startWaitMs ?? 5000
    await Promise.race([
      Promise.all(first.map((c) => c.ensureStarted())),
      new Promise((resolve) => {
        const timer = setTimeout(resolve, wait)
        signal.addEventListener('abort', () => (clearTimeout(timer), resolve(undefined)), { once: true })
      })
    ])
    return conns.flatMap((c) => c.tools())
  }

  status(): McpServerStatus[] {
    const servers = this.options.servers()
    return Object.keys(servers).map((name) => this.connections.get(name)?.status() ?? { name, state: 'off', tools: [] })
  }

  on(_e: 'change', l: (s: McpServerStatus[]) => void): () => void {
    this.listeners.add(l)
    return () => this.listeners.delete(l)
  }

  async close(): Promise<void> {
    this.closed = true
    const conns = [...this.connections.values()]
    this.connections.clear()
    await Promise.all(conns.map((c) => c.close()))
  }

  private changed(): void {
    const status = this.status()
    for (const l of this.listeners) {
      try {
        l(status)
      } catch {
        // a listener's fault is its own
      }
    }
  }
}
