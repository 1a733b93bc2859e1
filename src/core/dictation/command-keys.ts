/**
 * Paste keystrokes and the focused window through the desktop's own tools: xdotool on X11, wtype
 * or ydotool on Wayland, osascript on macOS. The app tries its key library first (see
 * src/main/hotkey/key-tapper.ts); these are what is left, and all the command line has.
 */
import { complaint, displayServer, toolRunner, type RunTool } from '../desktop-tools'
import type { PasteKey } from './paste-keys'
import type { FocusedWindow, KeySender } from './text-inserter'

/** Linux input-event key codes (ydotool 1.x takes code:1 for down, code:0 for up). */
const EV = { ctrl: 29, shift: 42, v: 47, insert: 110 } as const

const XDOTOOL_KEYS: Record<PasteKey, string> = { 'ctrl+v': 'ctrl+v', 'cmd+v': 'super+v', 'ctrl+shift+v': 'ctrl+shift+v', 'shift+insert': 'shift+Insert' }

const WTYPE_ARGS: Record<PasteKey, string[]> = {
  'ctrl+v': ['-M', 'ctrl', '-k', 'v', '-m', 'ctrl'],
  'cmd+v': ['-M', 'logo', '-k', 'v', '-m', 'logo'],
  'ctrl+shift+v': ['-M', 'ctrl', '-M', 'shift', '-k', 'v', '-m', 'shift', '-m', 'ctrl'],
  'shift+insert': ['-M', 'shift', '-k', 'Insert', '-m', 'shift']
}

function ydotoolCodes(key: PasteKey): string[] {
  const chord: number[] =
    key === 'shift+insert' ? [EV.shift, EV.insert] : key === 'ctrl+shift+v' ? [EV.ctrl, EV.shift, EV.v] : [EV.ctrl, EV.v]
  return [...chord.map((c) => `${c}:1`), ...[...chord].reverse().map((c) => `${c}:0`)]
}

/** A sender that runs one tool: it fails with what the tool said, or "not installed". */
function toolSender(name: string, run: RunTool, attempts: (key: PasteKey) => string[][]): KeySender {
  return {
    name,
    async send(key) {
      let last = 'not installed'
      for (const args of attempts(key)) {
        const r = await run(name, args, { timeoutMs: 3000 })
        if (!r) throw new Error('not installed')
        if (r.code === 0) return
        last = complaint(name, r)
      }
      throw new Error(last)
    }
  }
}

/** The keystroke senders this desktop offers, in the order to try them. */
export function commandKeySenders(o: { env?: NodeJS.ProcessEnv; platform?: NodeJS.Platform; run?: RunTool } = {}): KeySender[] {
  const env = o.env ?? process.env
  const run = o.run ?? toolRunner(env)
  switch (displayServer(env, o.platform ?? process.platform)) {
    case 'x11':
      // --clearmodifiers: the dictation shortcut's Ctrl and Alt may still be held. --delay 0: the
      // default 12 ms between key events makes a chord take 30 ms, for nothing (XTest keeps the order).
      return [toolSender('xdotool', run, (key) => [['key', '--clearmodifiers', '--delay', '0', XDOTOOL_KEYS[key]]])]
    case 'wayland':
      return [
        toolSender('wtype', run, (key) => [WTYPE_ARGS[key]]),
        // ydotool 1.x takes key codes; 0.1 took names.
        toolSender('ydotool', run, (key) => [['key', ...ydotoolCodes(key)], ['key', XDOTOOL_KEYS[key]]])
      ]
    case 'darwin':
      return [toolSender('osascript', run, () => [['-e', 'tell application "System Events" to keystroke "v" using command down']])]
    default:
      return []
  }
}

/** The focused window's class on X11 (xdotool + xprop); elsewhere it cannot be told. */
export function commandFocusedWindow(o: { env?: NodeJS.ProcessEnv; platform?: NodeJS.Platform; run?: RunTool } = {}): FocusedWindow {
  const env = o.env ?? process.env
  const run = o.run ?? toolRunner(env)
  const x11 = displayServer(env, o.platform ?? process.platform) === 'x11'
  return {
    async windowClass() {
      if (!x11) return null
      const focus = await run('xdotool', ['getwindowfocus'], { timeoutMs: 3000 })
      const id = focus?.code === 0 ? focus.stdout.toString().trim() : ''
      if (!/^\d+$/.test(id)) return null
      const prop = await run('xprop', ['-id', id, 'WM_CLASS'], { timeoutMs: 3000 })
      const m = prop?.code === 0 ? /WM_CLASS\(\w+\) = (.*)$/m.exec(prop.stdout.toString()) : null
      return m ? m[1].replace(/"/g, '').replace(/,\s*/g, ' ').trim() : null
    }
  }
}
