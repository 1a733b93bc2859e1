/**
 * The desktop app's wiring, in plain TypeScript: services in, and the window, tray, hotkey, IPC and
 * notifications driven from their events. Every Electron object arrives as a port (see electron/),
 * so tests run this with fakes.
 */
import type { TurnView } from '../shared/assistant'
import { withHint, type UserError } from '../shared/errors'
import type { AppInfo, EventChannel, Events, Handlers, HotkeyStatus, PublicSettings } from '../shared/ipc'
import type { Settings } from '../shared/settings'
import type { McpServers, TimerView, ToolConfirmation } from '../shared/tools'
import type { VoiceInfo } from '../shared/voices'
import { toUserError } from '../core/user-error'
import { trayView, type TrayView } from './electron/tray-menu'
import { HotkeyController, type GlobalShortcutPort } from './hotkey/hotkey-controller'
import type { KeyHook } from './hotkey/key-hook'
import type { PushToTalkTarget } from './hotkey/push-to-talk'
import { sharedKeyHook } from './hotkey/shared-key-hook'
import { createHandlers } from './ipc-handlers'
import { createModesWiring } from './modes-wiring'
import type { Clock, Notifier } from '../core/ports'
import type { MainServices } from '../core/services'
import type { AskOptions } from '../core/assistant/assistant'

export interface WindowPort {
  show(): void
  send<E extends EventChannel>(channel: E, payload: Events[E]): void
}

export interface MainAppDeps {
  services: MainServices
  window: WindowPort
  tray: { render(view: TrayView): void }
  /** Binds the handler map to the window's IPC; returns the unbinding. */
  serveIpc: (handlers: Handlers) => () => void
  globalShortcut: GlobalShortcutPort
  loadHook: () => Promise<KeyHook>
  notifier: Notifier
  quit: () => void
  version: string
  platform: NodeJS.Platform
  env?: NodeJS.ProcessEnv
  clock?: Clock
  /** Started by the login item: stay in the tray. */
  startHidden?: boolean
  /** Asks the user (a dialog of the main process) to allow MCP servers that run a new or changed command. */
  approveMcpServers?(servers: McpServers, changed: string[]): Promise<boolean>
  log?: (message: string) => void
}

export interface MainApp {
  start(): Promise<void>
  showWindow(): void
  openView(view: Events['app:navigate']['view']): void
  /** The window's page (re)started loading: events wait for its handshake again. */
  pageLoading(): void
  hotkeyStatus(): HotkeyStatus
  /** The handler map the IPC serves (also used by tests and the browser test host). */
  readonly handlers: Handlers
  stop(): void
}

/** Turn errors about the microphone: the window may be hidden (the shortcut, the tray), so they are notified. */
const MICROPHONE_ERRORS = ['microphone-denied', 'microphone-allowed']

export function createMainApp(d: MainAppDeps): MainApp {
  const { assistant, settings, key, voices, tools } = d.services
  const log = d.log ?? (() => {})
  let savedVoices: VoiceInfo[] = []
  let timers: TimerView[] = []
  let confirmations: ToolConfirmation[] = []
  let windowReady = false
  let pendingView: Events['app:navigate'] | null = null
  const notifiedTurns = new Set<string>()
  const unsubscribe: Array<() => void> = []
  let lastProblem: string | undefined

  const safely =
    <A extends unknown[]>(what: string, fn: (...args: A) => void) =>
    (...args: A): void => {
      try {
        fn(...args)
      } catch (err) {
        log(`${what} failed: ${toUserError(err).message}`)
      }
    }

  const send = <E extends EventChannel>(channel: E, payload: Events[E]): void => {
    if (windowReady) d.window.send(channel, payload)
  }
  const publicSettings = (): PublicSettings => ({ settings: settings.get(), key: key.status() })

  /** A user action (shortcut, tray) that fails says why in a notification: it never throws into Electron. */
  const attempt =
    <A extends unknown[]>(fn: (...args: A) => unknown) =>
    (...args: A): void => {
      try {
        fn(...args)
      } catch (err) {
        const message = toUserError(err).message
        log(message)
        d.notifier.show({ title: 'MiMo Voice', body: message })
      }
    }

  // Every shortcut reaches the keyboard through the same ports, and watches it through one key hook.
  const keyboard = { globalShortcut: d.globalShortcut, loadHook: sharedKeyHook(d.loadHook), env: d.env, platform: d.platform, clock: d.clock }
  const modes = createModesWiring({
    conversation: d.services.conversation,
    dictation: d.services.dictation,
    settings,
    ...keyboard,
    notifier: d.notifier,
    send,
    changed: () => renderTray(),
    attempt,
    log
  })
  // The talk and screen shortcuts drive the assistant alike; the screen's asks about the screen.
  const assistantTarget = (o?: AskOptions): PushToTalkTarget => ({
    press: attempt(() => assistant.press(o)),
    release: attempt(() => assistant.release()),
    toggle: attempt(() => assistant.toggle(o)),
    phase: () => assistant.state().phase
  })
  const hotkey = new HotkeyController({
    target: modes.talkTarget(assistantTarget()),
    ...keyboard,
    onStatus: (status) => {
      send('app:hotkey', status)
      renderTray()
      if (status.problem && status.problem !== lastProblem) {
        d.notifier.show({ title: 'MiMo Voice: shortcut', body: status.problem })
      }
      lastProblem = status.problem
    }
  })

  // The second shortcut asks about the screen: captured at the press, held or tapped like the first.
  const aboutScreen = { context: { screen: true } }
  let lastScreenProblem: string | undefined
  const screenHotkey = new HotkeyController({
    target: assistantTarget(aboutScreen),
    ...keyboard,
    onStatus: (status) => {
      renderTray()
      // A fallback both shortcuts share (no key hook) is told once, by the talk shortcut; this one tells when it cannot work at all.
      if (status.problem && status.activeMode === 'none' && status.problem !== lastScreenProblem)
        d.notifier.show({ title: 'MiMo Voice: screen shortcut', body: status.problem })
      lastScreenProblem = status.problem
    }
  })
  /** After the talk shortcut (they share its key hook); `again`: the talk shortcut was just applied anew. */
  const applyScreenHotkey = async (s: Settings, again = false): Promise<void> => {
    // One key cannot do both: the talk shortcut keeps it.
    if (s.screenHotkey === s.hotkey) {
      screenHotkey.dispose()
      log(`The screen shortcut ${s.screenHotkey} is the talk shortcut too; it is off.`)
      return
    }
    const current = screenHotkey.status()
    if (again || s.screenHotkey !== current.accelerator || s.hotkeyMode !== current.requestedMode || current.activeMode === 'none')
      await screenHotkey.apply(s.screenHotkey, s.hotkeyMode)
  }

  const appInfo = (): AppInfo => ({ version: d.version, platform: d.platform, hotkey: hotkey.status(), screenHotkey: screenHotkey.status() })

  // A question often follows: the connections to MiMo get their handshakes done now.
  const warmConnections = (): void => {
    void Promise.resolve(d.services.connections?.warm(0)).catch(() => undefined)
  }
  const showWindow = (): void => {
    d.window.show()
    warmConnections()
  }
  const openView = (view: Events['app:navigate']['view']): void => {
    showWindow()
    if (windowReady) d.window.send('app:navigate', { view })
    else pendingView = { view } // delivered after the page's handshake
  }

  const trayActions = {
    talk: attempt(() => assistant.toggle()),
    askAboutScreen: attempt(() => assistant.toggle(aboutScreen)),
    conversation: attempt(() => modes.toggleConversation()),
    cancelDictation: attempt(() => d.services.dictation.cancel()),
    ask: attempt((question: string) => assistant.ask(question, { fromTray: true })),
    stopSpeaking: attempt(() => assistant.stop()),
    selectVoice: attempt((voice: Settings['voice']) => settings.update({ voice })),
    cancelTimer: attempt((id: string) => tools?.cancelTimer(id)),
    confirmTool: attempt((callId: string, allow: boolean) => tools?.confirm(callId, allow)),
    showWindow,
    openSettings: () => openView('settings'),
    quit: () => d.quit()
  }

  function renderTray(): void {
    try {
      d.tray.render(
        trayView(
          {
            phase: assistant.state().phase,
            settings: settings.get(),
            voices: savedVoices,
            hotkey: hotkey.status(),
            screenHotkey: screenHotkey.status(),
            platform: d.platform,
            timers,
            confirmations,
            conversation: d.services.conversation.state().phase,
            dictation: d.services.dictation.state().phase
          },
          trayActions
        )
      )
    } catch (err) {
      log(`The tray could not be drawn: ${toUserError(err).message}`)
    }
  }

  async function refreshVoices(): Promise<void> {
    try {
      savedVoices = await voices.list()
    } catch (err) {
      // Built-in voices are always listed; saved ones return with the next successful read.
      log(`Voices could not be listed: ${toUserError(err).message}`)
    }
    renderTray()
  }

  /** Answers to tray questions, and microphone problems, also come as notifications (once per turn). */
  function notifyTurn(turn: TurnView): void {
    if (notifiedTurns.has(turn.id)) return
    if (turn.status === 'error' && MICROPHONE_ERRORS.includes(turn.error.code ?? '')) {
      d.notifier.show({ title: 'MiMo Voice', body: withHint(turn.error) })
    } else if (!turn.fromTray) {
      return
    } else if (turn.status === 'done' && turn.reply.trim()) {
      d.notifier.show({ title: turn.question?.trim() || 'MiMo Voice', body: turn.reply.trim() })
    } else if (turn.status === 'error') {
      d.notifier.show({ title: 'MiMo Voice', body: turn.error.message })
    } else return
    notifiedTurns.add(turn.id)
    if (notifiedTurns.size > 200) notifiedTurns.delete(notifiedTurns.values().next().value as string)
  }

  /** The window's page asked for its first data: events may flow, and a view the tray asked for is shown. */
  function pageReady(): void {
    if (windowReady) return
    windowReady = true
    if (pendingView) {
      const view = pendingView
      pendingView = null
      queueMicrotask(() => d.window.send('app:navigate', view))
    }
  }

  const handlers = createHandlers({ ...d.services, appInfo, pageReady, approveMcpServers: d.approveMcpServers, modes: () => modes.snapshot() })

  return {
    handlers,
    async start() {
      unsubscribe.push(d.serveIpc(handlers))
      unsubscribe.push(
        assistant.on('state', (s) => {
          send('assistant:state', s)
          renderTray()
        }),
        assistant.on('level', (r) => send('assistant:level', r)),
        assistant.on(
          'turn',
          safely('Turn update', (t: TurnView) => {
            send('assistant:turn', t)
            notifyTurn(t)
          })
        ),
        assistant.on('reply', (delta) => send('assistant:reply', delta)),
        key.on('change', () => send('settings:changed', publicSettings())),
        settings.on(
          'change',
          safely('Settings change', (s: Settings) => {
            send('settings:changed', publicSettings())
            const current = hotkey.status()
            // The talk shortcut first, then the screen shortcut (they share the key hook).
            const talk = s.hotkey !== current.accelerator || s.hotkeyMode !== current.requestedMode ? hotkey.apply(s.hotkey, s.hotkeyMode) : null
            if (talk) void talk.then(() => applyScreenHotkey(settings.get(), true))
            else void applyScreenHotkey(s)
            renderTray()
          })
        )
      )
      const offVoices = voices.on?.('change', (list) => {
        savedVoices = list
        send('voices:changed', list)
        renderTray()
      })
      if (offVoices) unsubscribe.push(offVoices)
      unsubscribe.push(
        voices.samples.on('level', (r) => send('samples:level', r)),
        voices.samples.on('stopped', (e) => send('samples:stopped', e))
      )
      if (d.services.context) unsubscribe.push(d.services.context.on('next', (next) => send('context:next', next)))
      if (tools) {
        try {
          timers = tools.timers()
        } catch (err) {
          log(`Timers could not be listed: ${toUserError(err).message}`)
        }
        confirmations = tools.confirmations()
        unsubscribe.push(
          tools.on('timers', (list) => {
            timers = list
            send('tools:timers', list)
            renderTray()
          }),
          tools.on('confirmations', (list) => {
            confirmations = list
            send('tools:confirmations', list)
            renderTray()
          }),
          tools.on('mcp', (status) => send('tools:mcp', status))
        )
      }
      // The history: the History view follows it; a problem keeping a turn is told once (the turn went on).
      const { conversations } = d.services
      unsubscribe.push(
        conversations.on('change', safely('History change', () => send('history:changed', conversations.status()))),
        conversations.on(
          'problem',
          safely('History problem', (e: UserError) => {
            log(`History: ${e.message}`)
            send('history:problem', e)
            d.notifier.show({ title: 'MiMo Voice: history', body: e.message })
          })
        )
      )

      renderTray()
      warmConnections()
      const s = settings.get()
      // The key hook starts in its own process, which can take seconds: the window does not wait.
      if (!d.startHidden || !s.firstRunDone) showWindow()
      // The talk shortcut first: the screen shortcut and dictation's share its key hook once it runs.
      await Promise.all([hotkey.apply(s.hotkey, s.hotkeyMode).then(() => Promise.all([applyScreenHotkey(settings.get()), modes.start()])), refreshVoices()])
    },
    showWindow,
    openView,
    pageLoading() {
      windowReady = false
    },
    hotkeyStatus: () => hotkey.status(),
    stop() {
      hotkey.dispose()
      screenHotkey.dispose()
      modes.stop()
      for (const off of unsubscribe.splice(0)) {
        try {
          off()
        } catch {
          // already gone
        }
      }
    }
  }
}
