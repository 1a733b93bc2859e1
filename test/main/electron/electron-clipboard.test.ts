// Electron's clipboard by hand (the async, W3C-shaped API of Electron's main process): the adapter
// must keep every format of every entry and put them back as they were.
import { describe, expect, it } from 'vitest'
import type { Clipboard, ClipboardItem } from 'electron'
import { electronClipboard } from '../../../src/main/electron/electron-clipboard'

class FakeItem {
  readonly types: string[]
  constructor(readonly items: Record<string, Blob | string>) {
    this.types = Object.keys(items)
  }
  async getType(type: string): Promise<Blob> {
    const v = this.items[type]
    if (v === undefined) throw new Error(`no ${type}`)
    return typeof v === 'string' ? new Blob([v], { type }) : v
  }
}

class FakeClipboard {
  items: FakeItem[] = []
  text = ''
  selection?: FakeClipboard
  async read() {
    return this.items
  }
  async write(items: FakeItem[]) {
    this.items = items
    this.text = ''
  }
  async readText() {
    return this.text
  }
  async writeText(text: string) {
    this.text = text
    this.items = [new FakeItem({ 'text/plain': text })]
  }
  clear() {
    this.items = []
    this.text = ''
  }
}

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3])

describe("dictation through Electron's clipboard", () => {
  it('saves every format of every entry, and puts them back as they were', async () => {
    const fake = new FakeClipboard()
    fake.items = [new FakeItem({ 'text/plain': 'a chart', 'text/html': '<img alt="a chart">', 'image/png': new Blob([png], { type: 'image/png' }) })]
    const port = electronClipboard(fake as unknown as Clipboard, FakeItem as unknown as typeof ClipboardItem)
    const saved = await port.read()
    await port.writeText('dictated')
    expect(await port.readText()).toBe('dictated')
    await port.restore(saved)
    expect(fake.items).toHaveLength(1)
    expect(fake.items[0].types.sort()).toEqual(['image/png', 'text/html', 'text/plain'])
    expect(new Uint8Array(await (await fake.items[0].getType('image/png')).arrayBuffer())).toEqual(png)
    expect(await (await fake.items[0].getType('text/html')).text()).toBe('<img alt="a chart">')
  })

  it('the primary selection (Linux) is saved and put back when a paste uses it; an empty clipboard is emptied again', async () => {
    const fake = new FakeClipboard()
    fake.selection = new FakeClipboard()
    fake.selection.text = 'selected text'
    const port = electronClipboard(fake as unknown as Clipboard, FakeItem as unknown as typeof ClipboardItem)
    const saved = await port.read({ primary: true })
    await port.writeText('echo hi', { primary: true })
    expect(fake.selection.text).toBe('echo hi')
    await port.restore(saved, { primary: true })
    expect(fake.selection.text).toBe('selected text')
    expect(fake.items).toEqual([])
  })
})
