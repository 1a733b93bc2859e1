// Hand-written stand-ins for the few Electron objects the shell touches. They are injected where the
// code takes them as arguments; 'electron' itself is never loaded in these tests.
import type { BrowserWindowConstructorOptions } from 'electron'

type Handler = (...args: unknown[]) => unknown

export class Emitter {
  listeners = new Map<string, Handler[]>()
  on(event: string, l: Handler) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), l])
    return this
  }
  once(event: string, l: Handler) {
    return this.on(event, l)
  }
  emit(event: string, ...args: unknown[]) {
    return (this.listeners.get(event) ?? []).map((l) => l(...args))
  }
}

export class FakeFrame {
  constructor(
    public url: string,
    public parent: FakeFrame | null = null
  ) {}
}

let nextId = 1

export class FakeWebContents extends Emitter {
  id = nextId++
  sent: Array<[string, unknown]> = []
  destroyed = false
  mainFrame: FakeFrame
  windowOpenHandler: ((d: { url: string }) => { action: string }) | null = null
  constructor(url = 'about:blank') {
    super()
    this.mainFrame = new FakeFrame(url)
  }
  send(channel: string, payload: unknown) {
    this.sent.push([channel, payload])
  }
  isDestroyed() {
    return this.destroyed
  }
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
    this.windowOpenHandler = h
  }
}

export class FakeBrowserWindow extends Emitter {
  static created: FakeBrowserWindow[] = []
  webContents = new FakeWebContents()
  visible = false
  minimized = false
  destroyed = false
  focused = 0
  loaded: string[] = []
  constructor(public options: BrowserWindowConstructorOptions) {
    super()
    FakeBrowserWindow.created.push(this)
  }
  show() {
    this.visible = true
  }
  hide() {
    this.visible = false
  }
  focus() {
    this.focused++
  }
  restore() {
    this.minimized = false
  }
  isMinimized() {
    return this.minimized
  }
  isVisible() {
    return this.visible
  }
  contentProtection = false
  getBounds() {
    return { x: 100, y: 50, width: 480, height: 760 }
  }
  getMediaSourceId() {
    return 'window:42:0'
  }
  setContentProtection(on: boolean) {
    this.contentProtection = on
  }
  isDestroyed() {
    return this.destroyed
  }
  destroy() {
    this.destroyed = true
    this.emit('closed')
  }
  async loadURL(url: string) {
    this.loaded.push(url)
    this.webContents.mainFrame.url = url
    this.webContents.emit('did-start-loading')
  }
  /** What Electron does when the user closes the window: 'close' (cancellable), then 'closed'. */
  userClose() {
    let prevented = false
    this.emit('close', { preventDefault: () => (prevented = true) })
    if (!prevented) this.destroy()
    return !prevented
  }
}

export class FakeIpcMain {
  handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>()
  handle(channel: string, h: (event: unknown, ...args: unknown[]) => unknown) {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`)
    this.handlers.set(channel, h)
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel)
  }
  /** What ipcRenderer.invoke from a frame of a web contents looks like on the main side. */
  invoke(channel: string, from: { sender: { id: number }; senderFrame: FakeFrame | null }, payload?: unknown) {
    const h = this.handlers.get(channel)
    if (!h) throw new Error(`No handler registered for '${channel}'`)
    return h(from, payload)
  }
}
