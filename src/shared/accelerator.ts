// Electron accelerator strings ("CommandOrControl+Alt+Space"): checked in shared code so the
// settings page can refuse a bad shortcut before it reaches globalShortcut.
const MODIFIERS = new Set([
  'command', 'cmd', 'control', 'ctrl', 'commandorcontrol', 'cmdorctrl', 'alt', 'option', 'altgr', 'shift', 'super', 'meta'
])
const NAMED_KEYS = new Set([
  'plus', 'space', 'tab', 'capslock', 'numlock', 'scrolllock', 'backspace', 'delete', 'insert', 'return', 'enter',
  'up', 'down', 'left', 'right', 'home', 'end', 'pageup', 'pagedown', 'escape', 'esc', 'volumeup', 'volumedown',
  'volumemute', 'medianexttrack', 'mediaprevioustrack', 'mediastop', 'mediaplaypause', 'printscreen',
  'num0', 'num1', 'num2', 'num3', 'num4', 'num5', 'num6', 'num7', 'num8', 'num9',
  'numdec', 'numadd', 'numsub', 'nummult', 'numdiv'
])

export interface ParsedAccelerator {
  modifiers: string[]
  key: string
}

/** Parses an accelerator, or returns a sentence saying what is wrong with it. */
export function parseAccelerator(accelerator: string): ParsedAccelerator | string {
  const parts = accelerator.split('+').map((p) => p.trim())
  if (parts.some((p) => p === '')) return 'A shortcut looks like "CommandOrControl+Alt+Space": parts joined by "+".'
  const key = parts[parts.length - 1]
  const modifiers = parts.slice(0, -1)
  for (const m of modifiers) {
    if (!MODIFIERS.has(m.toLowerCase())) return `"${m}" is not a modifier (use Ctrl, Alt, Shift, Super or CommandOrControl).`
  }
  if (new Set(modifiers.map((m) => m.toLowerCase())).size !== modifiers.length) return 'A modifier is repeated.'
  if (MODIFIERS.has(key.toLowerCase())) return 'The shortcut needs a key after its modifiers, such as Space.'
  const k = key.toLowerCase()
  const isKey = /^[a-z0-9]$/.test(k) || /^f([1-9]|1[0-9]|2[0-4])$/.test(k) || NAMED_KEYS.has(k) || /^[`\-=[\]\\;',./]$/.test(key)
  if (!isKey) return `"${key}" is not a key Electron knows.`
  if (modifiers.length === 0 && !/^f([1-9]|1[0-9]|2[0-4])$/.test(k)) {
    return 'A global shortcut needs at least one modifier (Ctrl, Alt, Shift or Super), or a function key.'
  }
  return { modifiers, key }
}
