import type { Clipboard, ClipboardItem } from 'electron'
import type { ClipboardContents, ClipboardPort } from '../../core/dictation/text-inserter'

/**
 * The clipboard through Electron: every entry in every format is read and put back at once
 * (text, HTML, rich text, images, whatever the app that copied it offered), and on Linux the
 * primary selection too.
 */
export function electronClipboard(clipboard: Clipboard, Item: typeof ClipboardItem): ClipboardPort {
  return {
    async read(o = {}) {
      const entries: Array<Record<string, Uint8Array>> = []
      for (const item of await clipboard.read()) {
        const entry: Record<string, Uint8Array> = {}
        for (const type of item.types) {
          // Read now: an item from read() fetches its data from whatever the clipboard holds later.
          const data = await item.getType(type).catch(() => null)
          if (data instanceof Blob) entry[type] = new Uint8Array(await data.arrayBuffer())
        }
        if (Object.keys(entry).length) entries.push(entry)
      }
      const out: ClipboardContents = { entries }
      if (o.primary && clipboard.selection) out.primary = await clipboard.selection.readText()
      return out
    },
    async writeText(text, o = {}) {
      await clipboard.writeText(text)
      if (o.primary && clipboard.selection) await clipboard.selection.writeText(text)
    },
    async restore(saved, o = {}) {
      const entries = saved.entries ?? []
      if (entries.length) {
        await clipboard.write(
          entries.map((e) => new Item(Object.fromEntries(Object.entries(e).map(([type, bytes]) => [type, new Blob([bytes], { type })]))))
        )
      } else clipboard.clear()
      if (o.primary && clipboard.selection) await clipboard.selection.writeText(saved.primary ?? '')
    },
    readText: () => clipboard.readText()
  }
}
