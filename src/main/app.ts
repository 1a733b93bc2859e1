/**
 * The desktop app's wiring, in plain TypeScript: services in, and the window, tray, hotkey, IPC and
 * notifications driven from their events. Every Electron object arrives as a port (see electron/),
 * so tests run this with fakes.
 */
import type { AssistantPhase, TurnView } from '../shared/assistant'
import type { UserError } from '../shared/errors'
import type { AppInfo, EventChannel, Events, Handlers, HotkeyStatus, PublicSettings } from '../shared/ipc'
import type { Settings } from '../shared/settings'
import type { VoiceInfo } from '../shared/voices'
import { toUserError } from '../core/user-error'
import { trayView, type TrayView } from './electron/tray-menu'
import { HotkeyController, type GlobalShortcutPort } from './hotkey/hotkey-controller'
import type { KeyHook } from './hotkey/key-hook'
import { createHandlers } from './ipc-handlers'
import type { Clock, MicrophonePermission, Notifier } from '../core/ports'
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
  /** macOS: the microphone question comes before the first recording. */
  microphone: MicrophonePermission
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

const HANDSHAKE: ReadonlyArray<keyof Handlers> = ['assistant:snapshot', 'settings:get']

export class MicrophoneDeniedError extends Error {
  constructor() {
    super('MiMo Voice may not use the microphone.')
    this.name = 'MicrophoneDeniedError'
  }
  toUserError(): UserError {
    return { kind: 'audio', message: this.message, hint: 'Allow it in System Settings > Privacy & Security > Microphone.' }
  }
}

export function createMainApp(d: MainAppDeps): MainApp {
  const { assistant, settings, key, voices } = d.services
  const log = d.log ?? (() => {})
  let phase: AssistantPhase = 'idle'
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

  /**
   * Starting a recording needs the microphone. Where the user has not been asked yet (macOS), ask
   * first; that press does not record (the key is long released once the question is answered).
   */
  const withMicrophone = (start: () => void) => (): void => {
    if (phase === 'recording' || d.microphone.isGranted()) return start()
    void d.microphone.ensure().then(
      (ok) =>
        d.notifier.show({
          title: 'MiMo Voice',
          body: ok
            ? 'Microphone allowed. Use the shortcut again to talk.'
            : 'MiMo Voice may not use the microphone. Allow it in System Settings > Privacy & Security > Microphone.'
        }),
      (err: unknown) => log(`The microphone permission could not be asked: ${toUserError(err).message}`)
    )
  }

  const hotkey = new HotkeyController({
    target: {
      press: withMicrophone(attempt(() => assistant.press())),
      release: attempt(() => assistant.release()),
      toggle: withMicrophone(attempt(() => assistant.toggle())),
      phase: () => phase
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

  const showWindow = (): void => d.window.show()
  const openView = (view: Events['app:navigate']['view']): void => {
    d.window.show()
    if (windowReady) d.window.send('app:navigate', { view })
    else pendingView = { view } // delivered after the page's handshake
  }

  const trayActions = {
    talk: withMicrophone(attempt(() => assistant.toggle())),
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
        trayView({ phase, settings: settings.get(), voices: savedVoices, hotkey: hotkey.status(), platform: d.platform }, trayActions)
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

  function notifyTrayAnswer(turn: TurnView): void {
    if (!turn.fromTray || notifiedTurns.has(turn.id)) return
    if (turn.status === 'done' && turn.reply.trim()) {
      d.notifier.show({ title: turn.question?.trim() || 'MiMo Voice', body: turn.reply.trim() })
    } else if (turn.status === 'error') {
      d.notifier.show({ title: 'MiMo Voice', body: turn.error?.message ?? 'The question could not be answered.' })
    } else return
    notifiedTurns.add(turn.id)
    if (notifiedTurns.size > 200) notifiedTurns.delete(notifiedTurns.values().next().value as string)
  }

  // Handlers: the contract's map, plus the handshake and the key's change event.
  const base = createHandlers({ ...d.services, appInfo })
  const handlers: Handlers = { ...base }
  for (const channel of HANDSHAKE) {
    const inner = base[channel] as (p: unknown) => unknown
    ;(handlers as Record<string, (p: unknown) => unknown>)[channel] = (p) => {
      const result = inner(p)
      if (!windowReady) {
        windowReady = true
        if (pendingView) {
          const view = pendingView
          pendingView = null
          queueMicrotask(() => d.window.send('app:navigate', view))
        }
      }
      return result
    }
  }
  // The window's talk button asks for the microphone the same way.
  for (const channel of ['assistant:press', 'assistant:toggle'] as const) {
    const inner = base[channel]
    handlers[channel] = async (p) => {
      if (phase !== 'recording' && !d.microphone.isGranted() && !(await d.microphone.ensure())) {
        throw new MicrophoneDeniedError()
      }
      return inner(p)
    }
  }
  // Recording a voice sample needs the microphone too.
  const startSample = base['samples:record-start']
  handlers['samples:record-start'] = async (p) => {
    if (!d.microphone.isGranted() && !(await d.microphone.ensure())) throw new MicrophoneDeniedError()
    return startSample(p)
  }
  handlers['key:set'] = (p) => {
    const out = base['key:set'](p) as PublicSettings
    send('settings:changed', out)
    return out
  }
  handlers['key:clear'] = (p) => {
    const out = base['key:clear'](p) as PublicSettings
    send('settings:changed', out)
    return out
  }

  return {
    handlers,
    async start() {
      phase = assistant.snapshot().state.phase
      unsubscribe.push(d.serveIpc(handlers))
      unsubscribe.push(
        assistant.on('state', (s) => {
          const changed = s.phase !== phase
          phase = s.phase
          // One microphone: push-to-talk takes it from a voice-sample recording.
          if (s.phase === 'recording' && voices.samples.recording) {
            voices.samples.cancel()
            send('samples:stopped', {
              reason: 'error',
              error: { kind: 'audio', message: 'The sample recording stopped because push-to-talk took the microphone. Record it again.' }
            })
          }
          send('assistant:state', s)
          if (changed) renderTray()
        }),
        assistant.on('level', (r) => send('assistant:level', r)),
        assistant.on(
          'turn',
          safely('Turn update', (t: TurnView) => {
            send('assistant:turn', t)
            notifyTrayAnswer(t)
          })
        ),
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
