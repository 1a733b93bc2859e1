import type { PasteKey } from '../../../src/core/dictation/paste-keys'
import type { ClipboardContents, ClipboardPort, FocusedWindow, KeySender } from '../../../src/core/dictation/text-inserter'

/** A clipboard by hand: what it holds, and every write. */
export class FakeClipboard implements ClipboardPort {
  contents: ClipboardContents = {}
  primary: string | undefined
  writes: Array<{ text: string; primary: boolean }> = []
  failWrite: Error | null = null
  async read(o: { primary?: boolean } = {}): Promise<ClipboardContents> {
    return { ...this.contents, ...(o.primary && this.primary !== undefined ? { primary: this.primary } : {}) }
  }
  async writeText(text: string, o: { primary?: boolean } = {}): Promise<void> {
    if (this.failWrite) throw this.failWrite
    this.writes.push({ text, primary: !!o.primary })
    this.contents = { text }
    if (o.primary) this.primary = text
  }
  async restore(saved: ClipboardContents, o: { primary?: boolean } = {}): Promise<void> {
    const { primary, ...rest } = saved
    this.contents = rest
    if (o.primary) this.primary = primary
  }
  async readText(): Promise<string | undefined> {
    return this.contents.text
  }
}

/** A keystroke sender that records what it sent (or fails like a missing tool). */
export class FakeKeys implements KeySender {
  sent: PasteKey[] = []
  constructor(
    readonly name: string,
    private readonly failure?: string,
    private readonly onSend?: (key: PasteKey) => void
  ) {}
  async send(key: PasteKey): Promise<void> {
    if (this.failure) throw new Error(this.failure)
    this.sent.push(key)
    this.onSend?.(key)
  }
}

export const focused = (windowClass: string | null): FocusedWindow => ({ windowClass: async () => windowClass })
