/**
 * The desktop app's wiring, in plain TypeScript: services in, and the window, tray, hotkey, IPC and
 * notifications driven from their events. Every Electron object arrives as a port (see electron/),
 * so tests run this with fakes.
 */
import type { TurnView } from '../shared/assistant'
import type { AppInfo, EventChannel, Events, Handlers, HotkeyStatus, PublicSettings } from '../shared/ipc'
import type { Settings } from '../shared/settings'
import type { VoiceInfo } from '../shared/voices'
import { toUserError } from '../core/user-error'
import { trayView, type TrayView } from './electron/tray-menu'
import { HotkeyController, type GlobalShortcutPort } from './hotkey/hotkey-controller'
import type { KeyHook } from './hotkey/key-hook'
import { createHandlers } from './ipc-handlers'
import type { Clock, Notifier } from '../core/ports'
import type { MainServices } from '../core/services'

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
  const { assistant, settings, key, voices } = d.services
  const log = d.log ?? (() => {})
  let savedVoices: VoiceInfo[] = []
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

  const hotkey = new HotkeyController({
    target: {
      press: attempt(() => assistant.press()),
      release: attempt(() => assistant.release()),
      toggle: attempt(() => assistant.toggle()),
      phase: () => assistant.state().phase
    },
    globalShortcut: d.globalShortcut,
    loadHook: d.loadHook,
    env: d.env,
    platform: d.platform,
    clock: d.clock,
    onStatus: (status) => {
      send('app:hotkey', status)
      renderTray()
      if (status.problem && status.problem !== lastProblem) {
        d.notifier.show({ title: 'MiMo Voice: shortcut', body: status.problem })
      }
      lastProblem = status.problem
    }
  })

  const appInfo = (): AppInfo => ({ version: d.version, platform: d.platform, hotkey: hotkey.status() })

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
    ask: attempt((question: string) => assistant.ask(question, { fromTray: true })),
    stopSpeaking: attempt(() => assistant.stop()),
    selectVoice: attempt((voice: Settings['voice']) => settings.update({ voice })),
    showWindow,
    openSettings: () => openView('settings'),
    quit: () => d.quit()
  }

  function renderTray(): void {
    try {
      d.tray.render(
        trayView({ phase: assistant.state().phase, settings: settings.get(), voices: savedVoices, hotkey: hotkey.status(), platform: d.platform }, trayActions)
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
      d.notifier.show({ title: 'MiMo Voice', body: [turn.error.message, turn.error.hint].filter(Boolean).join(' ') })
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

  const handlers = createHandlers({ ...d.services, appInfo, pageReady })

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
            if (s.hotkey !== current.accelerator || s.hotkeyMode !== current.requestedMode) {
              void hotkey.apply(s.hotkey, s.hotkeyMode)
            }
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

      renderTray()
      warmConnections()
      const s = settings.get()
      // The key hook is probed in its own process, which can take seconds: the window does not wait.
      if (!d.startHidden || !s.firstRunDone) showWindow()
      await Promise.all([hotkey.apply(s.hotkey, s.hotkeyMode), refreshVoices()])
    },
    showWindow,
    openView,
    pageLoading() {
      windowReady = false
    },
    hotkeyStatus: () => hotkey.status(),
    stop() {
      hotkey.dispose()
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
