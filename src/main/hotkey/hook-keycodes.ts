import { parseAccelerator } from '../../shared/accelerator'

/**
 * uiohook keycodes (libuiohook's VC_* values, the ones uiohook-napi exports as UiohookKey) for the keys an
 * Electron accelerator can name. Kept here so mapping a shortcut never loads the native hook.
 */
export const HOOK_KEYCODES: Record<string, number> = {
  backspace: 0x000e, tab: 0x000f, enter: 0x001c, return: 0x001c, capslock: 0x003a, escape: 0x0001, esc: 0x0001,
  space: 0x0039, pageup: 0x0e49, pagedown: 0x0e51, end: 0x0e4f, home: 0x0e47,
  left: 0xe04b, up: 0xe048, right: 0xe04d, down: 0xe050, insert: 0x0e52, delete: 0x0e53,
  '0': 0x000b, '1': 0x0002, '2': 0x0003, '3': 0x0004, '4': 0x0005, '5': 0x0006, '6': 0x0007, '7': 0x0008, '8': 0x0009, '9': 0x000a,
  a: 0x001e, b: 0x0030, c: 0x002e, d: 0x0020, e: 0x0012, f: 0x0021, g: 0x0022, h: 0x0023, i: 0x0017, j: 0x0024,
  k: 0x0025, l: 0x0026, m: 0x0032, n: 0x0031, o: 0x0018, p: 0x0019, q: 0x0010, r: 0x0013, s: 0x001f, t: 0x0014,
  u: 0x0016, v: 0x002f, w: 0x0011, x: 0x002d, y: 0x0015, z: 0x002c,
  num0: 0x0052, num1: 0x004f, num2: 0x0050, num3: 0x0051, num4: 0x004b, num5: 0x004c, num6: 0x004d, num7: 0x0047,
  num8: 0x0048, num9: 0x0049, nummult: 0x0037, numadd: 0x004e, numsub: 0x004a, numdec: 0x0053, numdiv: 0x0e35,
  f1: 0x003b, f2: 0x003c, f3: 0x003d, f4: 0x003e, f5: 0x003f, f6: 0x0040, f7: 0x0041, f8: 0x0042, f9: 0x0043,
  f10: 0x0044, f11: 0x0057, f12: 0x0058, f13: 0x005b, f14: 0x005c, f15: 0x005d, f16: 0x0063, f17: 0x0064,
  f18: 0x0065, f19: 0x0066, f20: 0x0067, f21: 0x0068, f22: 0x0069, f23: 0x006a, f24: 0x006b,
  ';': 0x0027, '=': 0x000d, ',': 0x0033, '-': 0x000c, '.': 0x0034, '/': 0x0035, '`': 0x0029, '[': 0x001a,
  '\\': 0x002b, ']': 0x001b, "'": 0x0028, numlock: 0x0045, scrolllock: 0x0046, printscreen: 0x0e37
}

/** Left and right keycodes of each modifier: releasing any of them ends a hold. */
export const MODIFIER_KEYCODES = {
  ctrl: [0x001d, 0x0e1d],
  alt: [0x0038, 0x0e38],
  shift: [0x002a, 0x0036],
  meta: [0x0e5b, 0x0e5c]
} as const

export type ModifierName = keyof typeof MODIFIER_KEYCODES

/** A shortcut as the hook sees it: one keycode plus the exact set of modifiers held with it. */
export interface HookCombo {
  keycode: number
  ctrl: boolean
  alt: boolean
  shift: boolean
  meta: boolean
}

function modifierFor(name: string, platform: NodeJS.Platform): ModifierName {
  switch (name.toLowerCase()) {
    case 'commandorcontrol':
    case 'cmdorctrl':
      return platform === 'darwin' ? 'meta' : 'ctrl'
    case 'command':
    case 'cmd':
    case 'super':
    case 'meta':
      return 'meta'
    case 'control':
    case 'ctrl':
      return 'ctrl'
    case 'alt':
    case 'option':
    case 'altgr':
      return 'alt'
    default:
      return 'shift'
  }
}

/** The hook combo for an accelerator, or a sentence saying why hold-to-talk cannot watch that key. */
export function hookComboFor(accelerator: string, platform: NodeJS.Platform = process.platform): HookCombo | string {
  const parsed = parseAccelerator(accelerator)
  if (typeof parsed === 'string') return parsed
  const keycode = HOOK_KEYCODES[parsed.key.toLowerCase()]
  if (keycode === undefined) return `Hold-to-talk cannot watch the key "${parsed.key}".`
  const combo: HookCombo = { keycode, ctrl: false, alt: false, shift: false, meta: false }
  for (const m of parsed.modifiers) combo[modifierFor(m, platform)] = true
  return combo
}

/** What the hook reports with each key event. */
export interface HookKeyEvent {
  keycode: number
  ctrlKey: boolean
  altKey: boolean
  shiftKey: boolean
  metaKey: boolean
}

/** The combo's key went down with exactly its modifiers held (Ctrl+Alt+Shift+Space is not Ctrl+Alt+Space). */
export function isComboDown(combo: HookCombo, e: HookKeyEvent): boolean {
  return (
    e.keycode === combo.keycode &&
    e.ctrlKey === combo.ctrl &&
    e.altKey === combo.alt &&
    e.shiftKey === combo.shift &&
    e.metaKey === combo.meta
  )
}

/** The key or one of the combo's modifiers came up: the hold is over. */
export function endsCombo(combo: HookCombo, e: HookKeyEvent): boolean {
  if (e.keycode === combo.keycode) return true
  return (Object.keys(MODIFIER_KEYCODES) as ModifierName[]).some(
    (m) => combo[m] && (MODIFIER_KEYCODES[m] as readonly number[]).includes(e.keycode)
  )
}
