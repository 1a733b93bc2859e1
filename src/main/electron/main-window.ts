import type { BrowserWindow as ElectronWindow, BrowserWindowConstructorOptions, IpcMainInvokeEvent } from 'electron'
import type { EventChannel, Events } from '../../shared/ipc'
import type { AppPage } from './app-page'
import type { OwnWindowPort } from './screen-capture'

type WindowLike = Pick<
  ElectronWindow,
  | 'on'
  | 'once'
  | 'show'
  | 'hide'
  | 'focus'
  | 'restore'
  | 'isMinimized'
  | 'isDestroyed'
  | 'isVisible'
  | 'loadURL'
  | 'destroy'
  | 'getBounds'
  | 'getMediaSourceId'
  | 'setContentProtection'
> & {
  webContents: Pick<ElectronWindow['webContents'], 'id' | 'send' | 'on' | 'isDestroyed'>
}

export interface MainWindowOptions {
  /** Electron's BrowserWindow class (a fake in tests). */
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => WindowLike
  preloadPath: string
  /** Development: devtools allowed. */
  isDev: boolean
  iconPath?: string
  page: AppPage
  /** True once the app is quitting: closing the window then really closes it. */
  isQuitting: () => boolean
  /** The page started loading (again): the renderer must redo its handshake. */
  onPageLoading?: () => void
  log?: (message: string) => void
}

/**
 * The one window. Created on first show; closing it hides it (the app lives on in the tray) unless
 * the app is quitting.
 */
export class MainWindow {
  #win: WindowLike | null = null
  readonly #o: MainWindowOptions

  constructor(o: MainWindowOptions) {
    this.#o = o
  }

  show(): void {
    const win = this.#ensure()
    if (win.isMinimized()) win.restore()
    win.show()
    win.focus()
  }

  isVisible(): boolean {
    return !!this.#win && !this.#win.isDestroyed() && this.#win.isVisible()
  }

  send<E extends EventChannel>(channel: E, payload: Events[E]): void {
    const win = this.#win
    if (!win || win.isDestroyed() || win.webContents.isDestroyed()) return
    win.webContents.send(channel, payload)
  }

  /** The request came from this window's top frame, showing our page. */
  isTrustedSender(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>): boolean {
    const win = this.#win
    if (!win || win.isDestroyed()) return false
    const frame = event.senderFrame
    if (!frame || event.sender.id !== win.webContents.id) return false
    if (frame.parent !== null) return false
    return this.#o.page.isOurPage(frame.url)
  }

  /** The window as a screen capture must leave it out; null while there is none. */
  captureView(): OwnWindowPort | null {
    const win = this.#win
    return win && !win.isDestroyed() ? win : null
  }

  destroy(): void {
    if (this.#win && !this.#win.isDestroyed()) this.#win.destroy()
    this.#win = null
  }

  #ensure(): WindowLike {
    if (this.#win && !this.#win.isDestroyed()) return this.#win
    const { BrowserWindow, preloadPath, isDev, iconPath } = this.#o
    // The Electron security checklist's webPreferences, all explicit, written where the window is made.
    const win = new BrowserWindow({
      width: 480,
      height: 760,
      minWidth: 380,
      minHeight: 520,
      show: false,
      title: 'MiMo Voice',
      backgroundColor: '#111318',
      autoHideMenuBar: true,
      ...(iconPath ? { icon: iconPath } : {}),
      webPreferences: {
        preload: preloadPath,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
        webviewTag: false,
        navigateOnDragDrop: false,
        safeDialogs: true,
        spellcheck: false,
        // A middle click must not open a window (the open handler denies it anyway).
        disableBlinkFeatures: 'Auxclick',
        devTools: isDev
      }
    })
    this.#win = win
    win.on('close', (event) => {
      if (this.#o.isQuitting()) return
      event.preventDefault()
      win.hide()
    })
    win.on('closed', () => {
      if (this.#win === win) this.#win = null
    })
    win.webContents.on('did-start-loading', () => this.#o.onPageLoading?.())
    win.loadURL(this.#o.page.url).catch((err: Error) => this.#o.log?.(`The window could not load: ${err.message}`))
    return win
  }
}
