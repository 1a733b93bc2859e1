import { describe, expect, it } from 'vitest'
import { pasteKeyFor, usesPrimarySelection } from '../../../src/core/dictation/paste-keys'

describe('the paste keystroke', () => {
  it.each([
    ['Chromium chromium', 'ctrl+v'],
    ['gedit Gedit', 'ctrl+v'],
    ['gnome-terminal-server Gnome-terminal', 'ctrl+shift+v'],
    ['konsole konsole', 'ctrl+shift+v'],
    ['Alacritty Alacritty', 'ctrl+shift+v'],
    ['kitty kitty', 'ctrl+shift+v'],
    ['xterm XTerm', 'shift+insert'],
    ['urxvt URxvt', 'shift+insert'],
    [null, 'ctrl+v']
  ] as const)('on Linux, in %s: %s', (windowClass, key) => {
    expect(pasteKeyFor({ setting: 'auto', platform: 'linux', windowClass })).toBe(key)
  })

  it('macOS is always Cmd+V; Windows Ctrl+V; a pinned key wins elsewhere', () => {
    expect(pasteKeyFor({ setting: 'auto', platform: 'darwin', windowClass: 'Terminal' })).toBe('cmd+v')
    expect(pasteKeyFor({ setting: 'ctrl-shift-v', platform: 'darwin' })).toBe('cmd+v')
    expect(pasteKeyFor({ setting: 'auto', platform: 'win32', windowClass: 'xterm' })).toBe('ctrl+v')
    expect(pasteKeyFor({ setting: 'ctrl-shift-v', platform: 'linux', windowClass: 'gedit' })).toBe('ctrl+shift+v')
    expect(pasteKeyFor({ setting: 'ctrl-v', platform: 'linux', windowClass: 'xterm XTerm' })).toBe('ctrl+v')
  })

  it('Shift+Insert pastes the primary selection, so the text must go there too', () => {
    expect(usesPrimarySelection('shift+insert')).toBe(true)
    expect(usesPrimarySelection('ctrl+shift+v')).toBe(false)
  })
})
