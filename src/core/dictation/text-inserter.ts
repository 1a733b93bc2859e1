/**
 * Puts dictated text where the cursor is, in whatever app has focus: the clipboard is saved, the
 * text put on it, a paste keystroke sent to the focused window (the one that window understands,
 * see paste-keys.ts), and a moment later the clipboard is given back what it held (text, rich text
 * and images), unless the user copied something new meanwhile. When no keystroke can be sent the
 * text stays on the clipboard and the result says how to paste it.
 */
import type { InsertMethod } from '../../shared/modes'
import type { PasteKeySetting } from '../../shared/settings'
import { pasteKeyFor, usesPrimarySelection, type PasteKey } from './paste-keys'

/**
 * The text stays on the clipboard this long after the paste keystroke. An app that reads it later pastes
 * the old contents instead (a browser on a loaded test machine was later than 500 ms). Waiting longer costs nothing
 * the user sees, since a copy made meanwhile is never overwritten.
 */
export const RESTORE_AFTER_MS = 1000

/** What a clipboard held, as far as it could be read. */
export interface ClipboardContents {
  /** Every entry with every format (MIME type to bytes), where the clipboard can hand them all over. */
  entries?: Array<Record<string, Uint8Array>>
  text?: string
  html?: string
  rtf?: string
  /** PNG bytes. */
  image?: Uint8Array
  /** X11's primary selection (Shift+Insert pastes it), saved only when a paste uses it. */
  primary?: string
}

export interface ClipboardPort {
  /** The clipboard now; `primary`: the primary selection too. Parts that cannot be read are left out. */
  read(o?: { primary?: boolean }): Promise<ClipboardContents>
  /** Replaces the clipboard (and the primary selection, when asked) with text. */
  writeText(text: string, o?: { primary?: boolean }): Promise<void>
  /** Puts saved contents back (an empty save empties the clipboard). */
  restore(saved: ClipboardContents, o?: { primary?: boolean }): Promise<void>
  /** The clipboard's text now (to see whether someone copied something meanwhile). */
  readText(): Promise<string | undefined>
}

/** One way to send a keystroke to the focused window (the key hook library, xdotool, wtype, ...). */
export interface KeySender {
  readonly name: string
  /** Resolves once the keystroke was sent; rejects with the reason it could not be. */
  send(key: PasteKey): Promise<void>
}

export interface FocusedWindow {
  /** The focused window's class or app name (e.g. "xterm XTerm"), null when it cannot be told. */
  windowClass(): Promise<string | null>
}

/** Where dictated text goes: the clipboard, the ways to send a paste keystroke, the focused window. */
export interface DictationDesktop {
  clipboard: ClipboardPort
  /** Tried in order until one sends the keystroke. */
  keySenders: () => KeySender[]
  focusedWindow?: FocusedWindow
}

export interface TextInserterDeps extends DictationDesktop {
  pasteKey: () => PasteKeySetting
  platform: NodeJS.Platform
  /** How long the text stays on the clipboard for the app to read it before the old contents return (RESTORE_AFTER_MS). */
  restoreAfterMs?: number
}

/** What is learnt before the text is known (the key's release): the window's paste key and the clipboard to give back. */
export interface InsertPlan {
  key: PasteKey
  primary: boolean
  saved: ClipboardContents | undefined
}

export interface InsertResult {
  insert: InsertMethod
  /** e.g. "ctrl+v via xdotool". */
  via?: string
  notice?: string
  /** Settles once the clipboard holds what it held before (true), or was left as it is (false). */
  restored: Promise<boolean>
}

const KEY_LABEL: Record<PasteKey, string> = { 'ctrl+v': 'Ctrl+V', 'cmd+v': 'Cmd+V', 'ctrl+shift+v': 'Ctrl+Shift+V', 'shift+insert': 'Shift+Insert' }

export class TextInserter {
  readonly #d: TextInserterDeps

  constructor(deps: TextInserterDeps) {
    this.#d = deps
  }

  /**
   * Looks at the focused window and saves the clipboard: done while the text is being transcribed,
   * so inserting it costs only the clipboard write and the keystroke.
   */
  async plan(): Promise<InsertPlan> {
    const windowClass = (await this.#d.focusedWindow?.windowClass().catch(() => null)) ?? null
    const key = pasteKeyFor({ setting: this.#d.pasteKey(), platform: this.#d.platform, windowClass })
    const primary = usesPrimarySelection(key)
    const saved = await this.#d.clipboard.read({ primary }).catch(() => undefined)
    return { key, primary, saved }
  }

  async insert(text: string, planned?: InsertPlan | Promise<InsertPlan>): Promise<InsertResult> {
    const { key, primary, saved } = await (planned ?? this.plan())
    await this.#d.clipboard.writeText(text, { primary })

    const failures: string[] = []
    let sentBy: string | undefined
    for (const sender of this.#d.keySenders()) {
      try {
        await sender.send(key)
        sentBy = sender.name
        break
      } catch (err) {
        failures.push(`${sender.name}: ${err instanceof Error ? err.message : String(err)}`)
      }
    }
    if (!sentBy) {
      const why = failures.length
        ? `The paste keystroke could not be sent (${failures.join('; ')}).`
        : `No way to send a keystroke was found here (${installHint(this.#d.platform)}).`
      return { insert: 'clipboard', notice: `The text is on the clipboard: paste it with ${KEY_LABEL[key]}. ${why}`, restored: Promise.resolve(false) }
    }
    const restored = this.#restoreLater(text, saved, primary)
    return { insert: 'pasted', via: `${key} via ${sentBy}`, restored }
  }

  async #restoreLater(text: string, saved: ClipboardContents | undefined, primary: boolean): Promise<boolean> {
    await new Promise((r) => setTimeout(r, this.#d.restoreAfterMs ?? RESTORE_AFTER_MS))
    try {
      // Something new was copied meanwhile: that is what the user wants on the clipboard now.
      if ((await this.#d.clipboard.readText()) !== text) return false
      await this.#d.clipboard.restore(saved ?? {}, { primary })
      return true
    } catch {
      return false
    }
  }
}

function installHint(platform: NodeJS.Platform): string {
  if (platform === 'linux') return 'install xdotool on X11, or wtype or ydotool on Wayland'
  if (platform === 'darwin') return 'allow MiMo Voice to control the computer in System Settings > Privacy & Security > Accessibility'
  return 'the key library could not be loaded'
}
