import type { PasteKey } from '../../core/dictation/paste-keys'
import { commandKeySenders } from '../../core/dictation/command-keys'
import type { KeySender } from '../../core/dictation/text-inserter'
import { HOOK_KEYCODES, MODIFIER_KEYCODES } from './hook-keycodes'
import { isWayland } from './hotkey-controller'
import type { KeyHook } from './key-hook'

const CHORDS: Record<PasteKey, { key: number; modifiers: number[] }> = {
  'ctrl+v': { key: HOOK_KEYCODES.v, modifiers: [MODIFIER_KEYCODES.ctrl[0]] },
  'cmd+v': { key: HOOK_KEYCODES.v, modifiers: [MODIFIER_KEYCODES.meta[0]] },
  'ctrl+shift+v': { key: HOOK_KEYCODES.v, modifiers: [MODIFIER_KEYCODES.ctrl[0], MODIFIER_KEYCODES.shift[0]] },
  'shift+insert': { key: HOOK_KEYCODES.insert, modifiers: [MODIFIER_KEYCODES.shift[0]] }
}

/**
 * The paste keystroke through the key library the app already ships (uiohook-napi's keyTap:
 * CGEvent on macOS, SendInput on Windows; on X11 its prebuilt library sends a synthetic event to
 * the focused window, which terminals ignore). On Wayland it would only reach X apps, so there it
 * declines and the desktop's tools (wtype, ydotool) are tried.
 */
export function hookKeySender(o: { loadHook: () => Promise<KeyHook>; env?: NodeJS.ProcessEnv; platform?: NodeJS.Platform }): KeySender {
  return {
    name: 'uiohook',
    async send(key) {
      if ((o.platform ?? process.platform) === 'linux' && isWayland(o.env ?? process.env)) throw new Error('not on Wayland')
      const hook = await o.loadHook()
      if (!hook.keyTap) throw new Error('this key library cannot send keys')
      // Held while the keystroke goes out: a hook that runs for the shortcuts anyway is not started twice.
      await hook.start()
      try {
        const chord = CHORDS[key]
        hook.keyTap(chord.key, chord.modifiers)
      } finally {
        hook.stop()
      }
    }
  }
}

/**
 * The app's keystroke senders in the order to try them: the key library first, except on Linux,
 * where xdotool's XTest keystroke reaches every X app (terminals too) and comes first.
 */
export function appKeySenders(o: { loadHook: () => Promise<KeyHook>; env?: NodeJS.ProcessEnv; platform?: NodeJS.Platform }): KeySender[] {
  const library = hookKeySender(o)
  const tools = commandKeySenders({ env: o.env, platform: o.platform })
  return (o.platform ?? process.platform) === 'linux' ? [...tools, library] : [library, ...tools]
}
