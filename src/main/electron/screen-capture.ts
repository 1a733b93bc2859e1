/**
 * The app's context sources: the screen and windows through Electron's desktopCapturer (the desktop
 * portal and PipeWire on Wayland), the selection and the clipboard through Electron's clipboard, and
 * macOS's screen-recording permission, asked for with an explanation first.
 *
 * The app's own window is left out of a screen capture: macOS and Windows leave out a window with
 * content protection, so it is turned on for the moment of the capture; on Linux, where that does
 * nothing, the window's part of the picture is painted black.
 */
import type { Clipboard, DesktopCapturer, Dialog, NativeImage, Screen, SystemPreferences } from 'electron'
import type { WindowTarget } from '../../shared/context'
import { ContextError } from '../../core/context/errors'
import type { RawImage, Rect } from '../../core/context/image-prep'
import type { WindowInfo } from '../../core/context/node-screen-capture'
import type { Capture, ScreenCapture, ScreenPermission, TextSelection } from '../../core/ports'

/** The app's window, as far as capture needs it. */
export interface OwnWindowPort {
  isVisible(): boolean
  /** Bounds in screen coordinates (DIP). */
  getBounds(): Rect
  /** desktopCapturer's id of this window ("window:123:0"). */
  getMediaSourceId(): string
  setContentProtection(enabled: boolean): void
}

export interface ElectronScreenCaptureDeps {
  desktopCapturer: Pick<DesktopCapturer, 'getSources'>
  screen: Pick<Screen, 'getCursorScreenPoint' | 'getDisplayNearestPoint'>
  /** Null before the window is first shown. */
  ownWindow: () => OwnWindowPort | null
  /** Windows whose titles may be private, in screen coordinates (xdotool or the capture library). */
  privateWindows: (titles: string[]) => Promise<WindowInfo[]>
  platform?: NodeJS.Platform
  /** A Wayland session: pixels come through the desktop portal, which may be missing. */
  wayland?: boolean
}

/** NativeImage pixels (BGRA on every platform Electron runs on) as packed RGBA. */
export function rgbaOf(image: Pick<NativeImage, 'toBitmap' | 'getSize'>): RawImage {
  const { width, height } = image.getSize()
  const bgra = image.toBitmap()
  const rgba = Buffer.allocUnsafe(width * height * 4)
  for (let i = 0; i < width * height * 4; i += 4) {
    rgba[i] = bgra[i + 2]
    rgba[i + 1] = bgra[i + 1]
    rgba[i + 2] = bgra[i]
    rgba[i + 3] = 255
  }
  return { width, height, channels: 4, data: rgba }
}

export function createElectronScreenCapture(d: ElectronScreenCaptureDeps): ScreenCapture {
  const platform = d.platform ?? process.platform
  const hidesProtected = platform === 'darwin' || platform === 'win32'

  /** Runs a capture with the app's window protected from it where the system honours that. */
  async function withoutOwnWindow<T>(capture: () => Promise<T>): Promise<T> {
    const own = d.ownWindow()
    const protect = hidesProtected && !!own?.isVisible()
    if (protect) own!.setContentProtection(true)
    try {
      return await capture()
    } finally {
      if (protect) own!.setContentProtection(false)
    }
  }

  return {
    async screen({ privateTitles }): Promise<Capture> {
      const display = d.screen.getDisplayNearestPoint(d.screen.getCursorScreenPoint())
      const scale = display.scaleFactor || 1
      const size = { width: Math.round(display.size.width * scale), height: Math.round(display.size.height * scale) }
      const [sources, windows] = await Promise.all([
        withoutOwnWindow(() => d.desktopCapturer.getSources({ types: ['screen'], thumbnailSize: size, fetchWindowIcons: false })),
        d.privateWindows(privateTitles)
      ])
      const source = sources.find((s) => s.display_id === String(display.id)) ?? sources[0]
      if (!source || source.thumbnail.isEmpty()) {
        if (d.wayland)
          throw new ContextError(
            'The desktop did not give a screenshot.',
            'capture-unavailable',
            'On Wayland the screen is shared through the desktop portal: install xdg-desktop-portal with your desktop’s backend and PipeWire, or attach an image file instead.'
          )
        throw new ContextError('The screen could not be captured.', 'capture-failed')
      }
      const raw = rgbaOf(source.thumbnail)
      // Screen coordinates (DIP) to this picture's pixels.
      const sx = raw.width / display.bounds.width
      const sy = raw.height / display.bounds.height
      const toImage = (r: Rect): Rect => ({ x: (r.x - display.bounds.x) * sx, y: (r.y - display.bounds.y) * sy, width: r.width * sx, height: r.height * sy })
      const own = d.ownWindow()
      const ownWindow = !hidesProtected && own?.isVisible() ? [toImage(own.getBounds())] : []
      // macOS lists windows in points (DIP already); X11 and Windows in device pixels.
      const dip = platform === 'darwin' ? 1 : 1 / scale
      return { image: { kind: 'raw', raw }, windows: windows.map((w) => ({ ...toImage(scaled(w, dip)), title: w.title })), ownWindow }
    },
    async window(target: WindowTarget, { privateTitles }): Promise<Capture> {
      void privateTitles
      const own = d.ownWindow()?.getMediaSourceId()
      const sources = await d.desktopCapturer.getSources({ types: ['window'], thumbnailSize: { width: 3840, height: 2160 }, fetchWindowIcons: false })
      // Electron lists windows front to back; it cannot tell which one is under the pointer, so both mean the frontmost other window.
      void target
      const source = sources.find((s) => s.id !== own && !s.thumbnail.isEmpty())
      if (!source) throw new ContextError('There is no other window to capture.', 'no-window')
      return { image: { kind: 'raw', raw: rgbaOf(source.thumbnail) }, title: source.name, windows: [] }
    }
  }
}

function scaled(r: WindowInfo, f: number): WindowInfo {
  return { ...r, x: r.x * f, y: r.y * f, width: r.width * f, height: r.height * f }
}

/** The PRIMARY selection on Linux (what was last selected with the mouse), the clipboard elsewhere. */
export function createElectronTextSelection(clipboard: Pick<Clipboard, 'readText'> & { selection?: Pick<Clipboard, 'readText'> }): TextSelection {
  return {
    // `clipboard.selection` exists on Linux only.
    selection: () => (clipboard.selection ?? clipboard).readText(),
    clipboard: () => clipboard.readText()
  }
}

export const SCREEN_PERMISSION_EXPLANATION =
  'To answer questions about your screen, MiMo Voice needs the Screen Recording permission. It captures the screen only when you ask ' +
  'about it (the screen shortcut, the "Include screen" switch or the tray), sends that one picture with your question, and keeps nothing.'

/**
 * macOS: explains first, then lets the system ask (its prompt appears on the first capture), and says
 * how to allow it later when the answer was no. Elsewhere: nothing to ask.
 */
export function createScreenPermission(d: {
  systemPreferences: Pick<SystemPreferences, 'getMediaAccessStatus'>
  dialog: Pick<Dialog, 'showMessageBox'>
  /** Makes the system ask (a tiny capture). */
  trigger: () => Promise<unknown>
  platform?: NodeJS.Platform
}): ScreenPermission {
  const platform = d.platform ?? process.platform
  let explained = false
  return {
    async ensure() {
      if (platform !== 'darwin') return true
      const status = d.systemPreferences.getMediaAccessStatus('screen')
      if (status === 'granted') return true
      if (status === 'denied' || status === 'restricted') return false
      if (!explained) {
        explained = true
        const { response } = await d.dialog.showMessageBox({
          type: 'info',
          message: 'Allow MiMo Voice to see your screen?',
          detail: `${SCREEN_PERMISSION_EXPLANATION}\n\nmacOS will ask next; after allowing it, restart MiMo Voice.`,
          buttons: ['Continue', 'Not now'],
          defaultId: 0,
          cancelId: 1
        })
        if (response !== 0) return false
      }
      await d.trigger().catch(() => {})
      return d.systemPreferences.getMediaAccessStatus('screen') === 'granted'
    }
  }
}
