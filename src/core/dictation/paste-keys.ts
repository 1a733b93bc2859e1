/**
 * The keystroke that pastes into the focused window: Cmd+V on macOS, Ctrl+V elsewhere, except in
 * terminals, where Ctrl+V means something else: Ctrl+Shift+V in most, and Shift+Insert in the
 * xterm family, which pastes the primary selection (so the text goes there too). The user can
 * pin one in the settings for a window this rule does not know.
 */
import type { PasteKeySetting } from '../../shared/settings'

export type PasteKey = 'ctrl+v' | 'cmd+v' | 'ctrl+shift+v' | 'shift+insert'

/** Terminals that paste the clipboard with Ctrl+Shift+V (window class or app name, lower case). */
const CTRL_SHIFT_V_TERMINALS = [
  'gnome-terminal',
  'gnome-terminal-server',
  'org.gnome.terminal',
  'org.gnome.console',
  'kgx',
  'org.gnome.ptyxis',
  'ptyxis',
  'konsole',
  'org.kde.konsole',
  'xfce4-terminal',
  'mate-terminal',
  'lxterminal',
  'qterminal',
  'terminator',
  'tilix',
  'com.gexperts.tilix',
  'alacritty',
  'kitty',
  'wezterm',
  'org.wezfurlong.wezterm',
  'foot',
  'footclient',
  'terminology',
  'guake',
  'yakuake',
  'tilda',
  'sakura',
  'st-256color',
  'st',
  'cool-retro-term',
  'hyper',
  'tabby',
  'warp',
  'blackbox',
  'com.raggesilver.blackbox',
  'contour',
  'rio',
  'ghostty',
  'com.mitchellh.ghostty'
]

/** Terminals that paste with Shift+Insert only (from the primary selection). */
const SHIFT_INSERT_TERMINALS = ['xterm', 'uxterm', 'rxvt', 'urxvt', 'rxvt-unicode', 'urxvt-256color', 'aterm', 'eterm', 'mlterm']

export function pasteKeyFor(o: { setting: PasteKeySetting; platform: NodeJS.Platform; windowClass?: string | null }): PasteKey {
  if (o.platform === 'darwin') return 'cmd+v'
  switch (o.setting) {
    case 'ctrl-v':
      return 'ctrl+v'
    case 'ctrl-shift-v':
      return 'ctrl+shift+v'
    case 'shift-insert':
      return 'shift+insert'
    default:
      break
  }
  if (o.platform === 'win32') return 'ctrl+v'
  const names = (o.windowClass ?? '')
    .toLowerCase()
    .split(/[\s,"]+/)
    .filter(Boolean)
  if (names.some((n) => SHIFT_INSERT_TERMINALS.includes(n))) return 'shift+insert'
  if (names.some((n) => CTRL_SHIFT_V_TERMINALS.includes(n))) return 'ctrl+shift+v'
  return 'ctrl+v'
}

/** Shift+Insert in the xterm family pastes the primary selection: the text must be there too. */
export function usesPrimarySelection(key: PasteKey): boolean {
  return key === 'shift+insert'
}
