import { describe, expect, it } from 'vitest'
import { TextInserter } from '../../../src/core/dictation/text-inserter'
import { FakeClipboard, FakeKeys, focused } from './fake-desktop'

function inserter(o: { clipboard?: FakeClipboard; senders?: FakeKeys[]; windowClass?: string | null } = {}) {
  const clipboard = o.clipboard ?? new FakeClipboard()
  const senders = o.senders ?? [new FakeKeys('xdotool')]
  const ins = new TextInserter({
    clipboard,
    keySenders: () => senders,
    focusedWindow: focused(o.windowClass ?? 'gedit Gedit'),
    pasteKey: () => 'auto',
    platform: 'linux',
    restoreAfterMs: 20
  })
  return { ins, clipboard, senders }
}

describe('inserting text where the cursor is', () => {
  it('puts the text on the clipboard, sends the paste key, then gives the clipboard back (text and image)', async () => {
    const clipboard = new FakeClipboard()
    const image = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3])
    clipboard.contents = { text: 'what I copied', html: '<b>what I copied</b>', image }
    let onClipboardWhenPasted: string | undefined
    const keys = new FakeKeys('xdotool', undefined, () => (onClipboardWhenPasted = clipboard.contents.text))
    const { ins } = inserter({ clipboard, senders: [keys] })
    const result = await ins.insert('Dictated words.')
    expect(result).toMatchObject({ insert: 'pasted', via: 'ctrl+v via xdotool' })
    expect(onClipboardWhenPasted).toBe('Dictated words.')
    expect(await result.restored).toBe(true)
    expect(clipboard.contents).toEqual({ text: 'what I copied', html: '<b>what I copied</b>', image })
  })

  it('terminals: Ctrl+Shift+V; the xterm family: Shift+Insert with the primary selection set and put back', async () => {
    const a = inserter({ windowClass: 'kitty kitty' })
    await a.ins.insert('ls -la')
    expect(a.senders[0].sent).toEqual(['ctrl+shift+v'])

    const clipboard = new FakeClipboard()
    clipboard.contents = { text: 'before' }
    clipboard.primary = 'selected before'
    const b = inserter({ clipboard, windowClass: 'xterm XTerm' })
    const result = await b.ins.insert('echo hello')
    expect(b.senders[0].sent).toEqual(['shift+insert'])
    expect(clipboard.writes).toEqual([{ text: 'echo hello', primary: true }])
    await result.restored
    expect(clipboard.contents).toEqual({ text: 'before' })
    expect(clipboard.primary).toBe('selected before')
  })

  it('tries the next sender when one fails; when none works the text stays on the clipboard with a notice', async () => {
    const a = inserter({ senders: [new FakeKeys('wtype', 'Compositor does not support the virtual keyboard protocol'), new FakeKeys('ydotool')] })
    expect(await a.ins.insert('x')).toMatchObject({ insert: 'pasted', via: 'ctrl+v via ydotool' })

    const clipboard = new FakeClipboard()
    clipboard.contents = { text: 'old' }
    const b = inserter({ clipboard, senders: [new FakeKeys('wtype', 'not installed'), new FakeKeys('ydotool', 'not installed')] })
    const result = await b.ins.insert('Keep me.')
    expect(result.insert).toBe('clipboard')
    expect(result.notice).toMatch(/^The text is on the clipboard: paste it with Ctrl\+V\./)
    expect(result.notice).toContain('wtype: not installed')
    expect(await result.restored).toBe(false)
    await new Promise((r) => setTimeout(r, 40))
    expect(clipboard.contents.text).toBe('Keep me.')

    const none = inserter({ senders: [] })
    expect((await none.ins.insert('x')).notice).toMatch(/install xdotool on X11, or wtype or ydotool on Wayland/)
  })

  it('something copied in the meantime is left alone', async () => {
    const clipboard = new FakeClipboard()
    clipboard.contents = { text: 'old' }
    const { ins } = inserter({ clipboard })
    const result = await ins.insert('dictated')
    clipboard.contents = { text: 'copied just now' }
    expect(await result.restored).toBe(false)
    expect(clipboard.contents.text).toBe('copied just now')
  })

  it('an empty clipboard is empty again afterwards; a clipboard that cannot be written is an error', async () => {
    const { ins, clipboard } = inserter()
    const result = await ins.insert('temporary')
    await result.restored
    expect(clipboard.contents).toEqual({})

    const broken = new FakeClipboard()
    broken.failWrite = new Error('xclip: cannot open display')
    await expect(inserter({ clipboard: broken }).ins.insert('x')).rejects.toThrow(/cannot open display/)
  })
})
