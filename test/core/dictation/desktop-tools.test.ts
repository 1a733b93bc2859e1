// The desktop tools' command lines, with a stand-in runner (the real tools run under Xvfb in
// test/audio-stack/dictation-xvfb.test.ts).
import { describe, expect, it } from 'vitest'
import { ClipboardUnavailableError, CommandClipboard } from '../../../src/core/dictation/command-clipboard'
import { commandFocusedWindow, commandKeySenders } from '../../../src/core/dictation/command-keys'
import type { RunTool, ToolOutput } from '../../../src/core/desktop-tools'

/** Answers as the installed tools would; records every call. */
function runner(installed: string[], answer: (cmd: string, args: string[]) => Partial<ToolOutput> = () => ({})) {
  const calls: string[] = []
  const run: RunTool = async (cmd, args, o) => {
    calls.push([cmd, ...args].join(' ') + (o?.input !== undefined ? ` <<< ${Buffer.from(o.input).toString()}` : ''))
    if (!installed.includes(cmd)) return null
    return { code: 0, stdout: Buffer.alloc(0), stderr: '', ...answer(cmd, args) }
  }
  return { run, calls }
}

describe('keystrokes through the desktop tools', () => {
  it('X11: xdotool with the modifiers still held let go', async () => {
    const r = runner(['xdotool'])
    const [xdotool] = commandKeySenders({ env: { DISPLAY: ':0' }, platform: 'linux', run: r.run })
    await xdotool.send('ctrl+shift+v')
    expect(r.calls).toEqual(['xdotool key --clearmodifiers --delay 0 ctrl+shift+v'])
  })

  it('Wayland: wtype, else ydotool (key codes first, names for the old version); each says why it failed', async () => {
    const r = runner(['ydotool'], (_cmd, args) => (args[1] === '29:1' ? { code: 1, stderr: 'Unknown key' } : {}))
    const [wtype, ydotool] = commandKeySenders({ env: { WAYLAND_DISPLAY: 'wayland-0' }, platform: 'linux', run: r.run })
    await expect(wtype.send('ctrl+v')).rejects.toThrow('not installed')
    await ydotool.send('ctrl+v')
    expect(r.calls).toEqual(['wtype -M ctrl -k v -m ctrl', 'ydotool key 29:1 47:1 47:0 29:0', 'ydotool key ctrl+v'])
  })

  it('the focused window class comes from xdotool and xprop; elsewhere it is unknown', async () => {
    const r = runner(['xdotool', 'xprop'], (cmd) =>
      cmd === 'xdotool' ? { stdout: Buffer.from('2097164\n') } : { stdout: Buffer.from('WM_CLASS(STRING) = "gnome-terminal-server", "Gnome-terminal"\n') }
    )
    expect(await commandFocusedWindow({ env: { DISPLAY: ':0' }, platform: 'linux', run: r.run }).windowClass()).toBe('gnome-terminal-server Gnome-terminal')
    expect(await commandFocusedWindow({ env: { WAYLAND_DISPLAY: 'w' }, platform: 'linux', run: r.run }).windowClass()).toBeNull()
  })
})

describe('the clipboard through the desktop tools', () => {
  it('xclip: reads the formats on offer, writes text to the clipboard and the primary selection, puts an image back', async () => {
    const r = runner(['xclip'], (_cmd, args) => {
      if (args.includes('TARGETS')) return { stdout: Buffer.from('TARGETS\nimage/png\ntext/html\n') }
      if (args.includes('image/png')) return { stdout: Buffer.from([1, 2, 3]) }
      if (args.includes('text/html')) return { stdout: Buffer.from('<b>x</b>') }
      return { stdout: Buffer.from('primary text') }
    })
    const clipboard = new CommandClipboard({ env: { DISPLAY: ':0' }, platform: 'linux', run: r.run })
    const saved = await clipboard.read({ primary: true })
    expect(saved).toEqual({ image: new Uint8Array([1, 2, 3]), html: '<b>x</b>', primary: 'primary text' })
    await clipboard.writeText('hello', { primary: true })
    await clipboard.restore(saved, { primary: true })
    expect(r.calls.filter((c) => c.includes(' -i'))).toEqual([
      'xclip -selection clipboard -i <<< hello',
      'xclip -selection primary -i <<< hello',
      'xclip -selection clipboard -i -t image/png <<< \u0001\u0002\u0003',
      'xclip -selection primary -i <<< primary text'
    ])
  })

  it('Windows: found by clip /?, text written to clip as UTF-16 with its byte-order mark, read through PowerShell', async () => {
    const inputs: Uint8Array[] = []
    const r = runner(['clip', 'powershell.exe'], (cmd) => (cmd === 'powershell.exe' ? { stdout: Buffer.from('old text') } : {}))
    const run: RunTool = async (cmd, args, o) => {
      if (o?.input !== undefined && typeof o.input !== 'string') inputs.push(o.input)
      return r.run(cmd, args, o)
    }
    const clipboard = new CommandClipboard({ env: {}, platform: 'win32', run })
    expect(await clipboard.read()).toEqual({ text: 'old text' })
    await clipboard.writeText('你好 é')
    expect(r.calls.map((c) => c.split(' <<< ')[0])).toEqual(['clip /?', 'powershell.exe -NoProfile -Command Get-Clipboard -Raw', 'clip'])
    expect(Buffer.from(inputs[0])).toEqual(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('你好 é', 'utf16le')]))
  })

  it('xsel when xclip is missing (text only); no display at all is a clear error', async () => {
    const r = runner(['xsel'], () => ({ stdout: Buffer.from('old text') }))
    const clipboard = new CommandClipboard({ env: { DISPLAY: ':0' }, platform: 'linux', run: r.run })
    expect(await clipboard.read()).toEqual({ text: 'old text' })
    await clipboard.writeText('new')
    expect(r.calls.at(-1)).toBe('xsel --clipboard --input <<< new')
    const none = new CommandClipboard({ env: {}, platform: 'linux', run: r.run })
    await expect(none.read()).rejects.toBeInstanceOf(ClipboardUnavailableError)
    await expect(none.read()).rejects.toThrow(/no DISPLAY or WAYLAND_DISPLAY/)
  })
})
