/**
 * The tools, put together for the app (and the browser test host): the built-in tools, the MCP
 * servers of the settings, the timers with their alerts, and the calls waiting for a yes.
 */
import type { McpServerStatus, TimerView, ToolConfirmation } from '../../shared/tools'
import type { ClipboardWriter, Clock, Notifier, Scheduler, UrlOpener } from '../ports'
import type { SettingsService, ToolsService } from '../services'
import { createBuiltinTools } from './builtin-tools'
import { ConfirmationBroker } from './confirmations'
import { McpHub } from './mcp-servers'
import type { Tool, ToolSource } from './tool'
import { announceTimers } from './timer-alerts'
import { TimerService } from './timers'

export interface ToolServiceDeps {
  settings: SettingsService
  dataDir: string
  /** Speaks a timer's alert in the chosen voice. */
  speak(text: string): Promise<unknown>
  /** Resolves when the assistant is quiet: a timer's alert waits for it (timer-alerts.ts). */
  quiet?: () => Promise<void>
  notifier?: Notifier
  openUrl: UrlOpener
  clipboard: ClipboardWriter
  /** Wall-clock time (timers, the clock tool, confirmation deadlines). */
  clock?: Clock
  scheduler?: Scheduler
  version?: string
  log?: (message: string) => void
}

export interface ToolServiceParts extends ToolsService {
  /** Every tool a question may use now: the built-in ones switched on, and those of running MCP servers. */
  source: ToolSource
  broker: ConfirmationBroker
  timerService: TimerService
  hub: McpHub
  /** Fires timers, starts the MCP servers. */
  start(): void
  close(): Promise<void>
}

/** Tools from several sources, as one. */
export function allTools(sources: ToolSource[]): ToolSource {
  return {
    async tools(signal) {
      const lists = await Promise.all(sources.map((s) => s.tools(signal).catch(() => [] as Tool[])))
      return lists.flat()
    }
  }
}

export function createToolService(d: ToolServiceDeps): ToolServiceParts {
  const log = d.log ?? (() => {})
  const settings = (): ReturnType<SettingsService['get']> => d.settings.get()
  const notices = new Set<(message: string) => void>()
  const timerService = new TimerService({ dataDir: d.dataDir, clock: d.clock, scheduler: d.scheduler, log })
  const broker = new ConfirmationBroker({ clock: d.clock, scheduler: d.scheduler })
  const hub = new McpHub({
    servers: () => settings().mcpServers,
    version: d.version,
    log,
    onNotice: ({ message }) => {
      if (d.notifier?.isSupported()) d.notifier.show({ title: 'MiMo Voice: MCP server', body: message })
      for (const l of notices) l(message)
    }
  })
  const builtins = createBuiltinTools({ settings, timers: timerService, openUrl: d.openUrl, clipboard: d.clipboard, clock: d.clock })
  const unsubscribe: Array<() => void> = []

  const service: ToolServiceParts = {
    source: allTools([builtins, hub]),
    broker,
    timerService,
    hub,
    timers: () => timerService.list(),
    cancelTimer: (id) => timerService.cancel(id),
    confirmations: () => broker.list(),
    confirm: (callId, allow) => broker.answer(callId, allow),
    mcpStatus: () => hub.status(),
    on(e: 'timers' | 'confirmations' | 'mcp' | 'notice', l: (v: never) => void): () => void {
      switch (e) {
        case 'timers':
          return timerService.on('change', l as (t: TimerView[]) => void)
        case 'confirmations':
          return broker.on('change', l as (c: ToolConfirmation[]) => void)
        case 'mcp':
          return hub.on('change', l as (s: McpServerStatus[]) => void)
        default: {
          const listener = l as (m: string) => void
          notices.add(listener)
          return () => notices.delete(listener)
        }
      }
    },
    start() {
      unsubscribe.push(announceTimers(timerService, { notifier: d.notifier, speak: d.speak, quiet: d.quiet, log }))
      // A server switched off, removed or changed stops; a new one starts.
      unsubscribe.push(d.settings.on('change', () => void hub.startAll().catch(() => {})))
      timerService.start()
      void hub.startAll().catch((err: unknown) => log(`MCP servers: ${(err as Error).message}`))
    },
    async close() {
      for (const off of unsubscribe.splice(0)) off()
      timerService.stop()
      await hub.close()
    }
  }
  return service
}
