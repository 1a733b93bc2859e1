/**
 * The hands-free conversation and dictation in the desktop app: their shortcuts (and the talk
 * shortcut's double tap), their state pushed to the window and the tray, and notifications for
 * what the user would otherwise miss (a dictation left on the clipboard, a conversation that ended
 * on its own).
 */
import { withHint } from '../shared/errors'
import type { EventChannel, Events } from '../shared/ipc'
import { conversationActive, type ConversationState, type Dictation, type ModesSnapshot } from '../shared/modes'
import type { Settings } from '../shared/settings'
import type { Notifier } from '../core/ports'
import type { ConversationService, DictationControl, SettingsService } from '../core/services'
import type { Clock } from '../core/ports'
import type { GlobalShortcutPort } from './hotkey/hotkey-controller'
import type { KeyHook } from './hotkey/key-hook'
import { ModeShortcuts } from './hotkey/mode-shortcuts'
import type { PushToTalkTarget } from './hotkey/push-to-talk'

export interface ModesWiringDeps {
  conversation: ConversationService
  dictation: DictationControl
  settings: SettingsService
  globalShortcut: GlobalShortcutPort
  /** Shared with the talk shortcut. */
  loadHook: () => Promise<KeyHook>
  notifier: Notifier
  send: <E extends EventChannel>(channel: E, payload: Events[E]) => void
  /** The tray shows the modes: it is drawn again when they change. */
  changed: () => void
  /** Runs a user action; a failure becomes a notification (see app.ts). */
  attempt: <A extends unknown[]>(fn: (...args: A) => unknown) => (...args: A) => void
  env?: NodeJS.ProcessEnv
  platform?: NodeJS.Platform
  clock?: Clock
  log?: (message: string) => void
}

export interface ModesWiring {
  /** The talk shortcut's rule with the modes in it: a double tap starts (or ends) a conversation, a press during one ends it. */
  talkTarget(push: PushToTalkTarget): PushToTalkTarget
  toggleConversation(): void
  snapshot(): ModesSnapshot
  start(): Promise<void>
  stop(): void
}

const ENDED_BY_ITSELF: Partial<Record<NonNullable<ConversationState['ended']>, string>> = {
  silence: 'The conversation ended after a long silence.'
}

export function createModesWiring(d: ModesWiringDeps): ModesWiring {
  const { conversation, dictation } = d
  const unsubscribe: Array<() => void> = []
  const on = (): boolean => conversationActive(conversation.state())

  const shortcuts = new ModeShortcuts({
    conversation: { toggle: d.attempt(() => toggleConversation()) },
    dictation: {
      press: d.attempt(() => dictation.press()),
      release: d.attempt(() => dictation.release()),
      toggle: d.attempt(() => dictation.toggle()),
      phase: () => (dictation.state().phase === 'recording' ? 'recording' : 'idle')
    },
    globalShortcut: d.globalShortcut,
    loadHook: d.loadHook,
    env: d.env,
    platform: d.platform,
    clock: d.clock,
    onStatus: (status) => {
      // A shortcut that works another way (tap instead of hold) is explained in Settings; one that does not work at all is notified.
      for (const [mode, s] of Object.entries(status)) {
        if (s?.problem && s.activeMode === 'none') d.notifier.show({ title: `MiMo Voice: ${mode} shortcut`, body: s.problem })
      }
      publish()
    }
  })

  function toggleConversation(): void {
    if (on()) conversation.stop()
    else conversation.start()
  }

  function snapshot(): ModesSnapshot {
    return { conversation: conversation.state(), dictation: dictation.state(), shortcuts: shortcuts.status() }
  }

  function publish(): void {
    d.send('modes:changed', snapshot())
    d.changed()
  }

  function onConversation(s: ConversationState): void {
    publish()
    if (s.phase !== 'off') return
    const body = s.error ? withHint(s.error) : s.ended ? ENDED_BY_ITSELF[s.ended] : undefined
    if (body) d.notifier.show({ title: 'MiMo Voice: conversation', body })
  }

  /** The window may be hidden (the shortcut is pressed in another app): what needs the user's hand is notified. */
  function onDictation(result: Dictation): void {
    d.send('dictation:done', result)
    const body = result.error ? withHint(result.error) : result.insert !== 'pasted' ? result.notice : undefined
    if (body) d.notifier.show({ title: 'MiMo Voice: dictation', body })
  }

  let applied: Pick<Settings, 'conversationHotkey' | 'dictationHotkey'> | null = null
  function applyShortcuts(s: Settings): Promise<void> {
    if (applied && applied.conversationHotkey === s.conversationHotkey && applied.dictationHotkey === s.dictationHotkey) return Promise.resolve()
    applied = { conversationHotkey: s.conversationHotkey, dictationHotkey: s.dictationHotkey }
    return shortcuts.apply(applied).catch((err: Error) => d.log?.(`The mode shortcuts could not be registered: ${err.message}`))
  }

  return {
    talkTarget(push) {
      return {
        press: () => (on() ? conversation.stop() : push.press()),
        release: () => (on() ? undefined : push.release()),
        toggle: () => (on() ? conversation.stop() : push.toggle()),
        // In a conversation a press ends it, whatever the assistant is doing.
        phase: () => (on() ? 'idle' : push.phase()),
        doubleTap: d.attempt(() => toggleConversation())
      }
    },
    toggleConversation,
    snapshot,
    async start() {
      unsubscribe.push(
        conversation.on('state', onConversation),
        // The window's meter follows the conversation's microphone as it does push-to-talk's.
        conversation.on('level', (r) => d.send('assistant:level', r)),
        dictation.on('state', () => publish()),
        dictation.on('level', (r) => d.send('assistant:level', r)),
        dictation.on('done', onDictation),
        d.settings.on('change', (s) => void applyShortcuts(s))
      )
      await applyShortcuts(d.settings.get())
    },
    stop() {
      shortcuts.dispose()
      for (const off of unsubscribe.splice(0)) off()
    }
  }
}
