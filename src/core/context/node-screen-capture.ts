/**
 * Screen capture without Electron, for the command and the test hosts. Pixels come from
 * node-screenshots (xcap: XCB on X11, the desktop portal on Wayland, the system APIs on macOS and
 * Windows; prebuilt binaries inside its npm packages). On X11 the windows (focused, under the pointer,
 * private titles) come from xdotool, which works with or without a window manager.
 */
import { createRequire } from 'node:module'
import type { WindowTarget } from '../../shared/context'
import type { Capture, ScreenCapture } from '../ports'
import { displayServer, runToolText, toolRunner, ToolMissingError, type DisplayServer } from '../desktop-tools'
import { ContextError } from './errors'
import type { RawImage, Rect } from './image-prep'

/** The part of node-screenshots this adapter uses. */
interface NsImage {
  readonly width: number
  readonly height: number
  toRaw(): Promise<Buffer>
}
interface NsMonitor {
  x(): number
  y(): number
  width(): number
  height(): number
  isPrimary(): boolean
  captureImage(): Promise<NsImage>
}
interface NsWindow {
  title(): string
  x(): number
  y(): number
  width(): number
  height(): number
  isFocused(): boolean
  isMinimized(): boolean
}
interface NodeScreenshots {
  Monitor: { all(): NsMonitor[]; fromPoint(x: number, y: number): NsMonitor | null }
  Window: { all(): NsWindow[] }
}

const localRequire = createRequire(import.meta.url)
let loaded: NodeScreenshots | null = null

function screenshots(): NodeScreenshots {
  if (loaded) return loaded
  try {
    loaded = localRequire('node-screenshots') as NodeScreenshots
    return loaded
  } catch (err) {
    throw new ContextError(`The screen capture library did not load (${(err as Error).message}).`, 'capture-unavailable', 'Reinstall MiMo Voice.')
  }
}

/** `KEY=value` lines (xdotool --shell) as a map. */
function shellVars(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of text.split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim())
    if (m) out[m[1]] = m[2]
  }
  return out
}

/** Why capture cannot work on this desktop, or undefined when it can. */
export function captureUnavailableReason(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string | undefined {
  if (displayServer(env, platform) === 'none') return 'There is no display to capture (neither DISPLAY nor WAYLAND_DISPLAY is set).'
  return undefined
}

/** RGBA rows of `rect` out of a packed RGBA image. */
export function cropRaw(image: RawImage, rect: Rect): RawImage {
  const x = Math.max(0, Math.min(image.width, Math.round(rect.x)))
  const y = Math.max(0, Math.min(image.height, Math.round(rect.y)))
  const width = Math.max(0, Math.min(image.width - x, Math.round(rect.width)))
  const height = Math.max(0, Math.min(image.height - y, Math.round(rect.height)))
  if (width === 0 || height === 0) throw new ContextError('The window is not on the screen.', 'no-window', 'Bring it into view, then ask again.')
  const c = image.channels
  const out = Buffer.allocUnsafe(width * height * c)
  const src = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength)
  for (let row = 0; row < height; row++) {
    const from = ((y + row) * image.width + x) * c
    src.copy(out, row * width * c, from, from + width * c)
  }
  return { width, height, channels: c, data: out }
}

export interface WindowInfo extends Rect {
  title: string
}

/** The windows that show on an image of this size. */
function onImage(windows: WindowInfo[], width: number, height: number): WindowInfo[] {
  return windows.filter((w) => w.x < width && w.y < height && w.x + w.width > 0 && w.y + w.height > 0)
}

export interface NodeScreenCaptureOptions {
  env?: NodeJS.ProcessEnv
  platform?: NodeJS.Platform
}

/** The desktop's windows, as xdotool (X11) or the capture library (elsewhere) lists them. */
function desktopWindows(env: NodeJS.ProcessEnv, kind: DisplayServer) {
  const x11 = kind === 'x11'
  const run = toolRunner(env)
  const xdotool = async (args: string[]): Promise<string | null> => {
    try {
      const r = await runToolText(run, 'xdotool', args)
      return r.code === 0 ? r.stdout : null
    } catch (err) {
      if (err instanceof ToolMissingError)
        throw new ContextError('Finding windows needs xdotool.', 'capture-unavailable', 'Install it: sudo apt install xdotool')
      throw err
    }
  }

  /** Names then geometry blocks, as `getwindowname %@ getwindowgeometry --shell %@` prints them. */
  const parseWindows = (out: string): WindowInfo[] => {
    const lines = out.split('\n')
    const firstBlock = lines.findIndex((l) => l.startsWith('WINDOW='))
    if (firstBlock < 0) return []
    const names = lines.slice(0, firstBlock)
    const blocks = lines.slice(firstBlock).join('\n').split(/(?=^WINDOW=)/m)
    return blocks.map((b, i) => {
      const v = shellVars(b)
      return { title: names[i] ?? '', x: Number(v.X), y: Number(v.Y), width: Number(v.WIDTH), height: Number(v.HEIGHT) }
    })
  }

  const describeWindows = async (search: string[]): Promise<WindowInfo[]> => {
    const out = await xdotool(['search', ...search, 'getwindowname', '%@', 'getwindowgeometry', '--shell', '%@'])
    return out ? parseWindows(out) : []
  }

  /** Visible windows whose titles contain one of `titles` (any case), in desktop pixels. */
  const privateWindows = async (titles: string[]): Promise<WindowInfo[]> => {
    const words = titles.map((t) => t.trim()).filter(Boolean)
    if (!words.length) return []
    if (x11) {
      const pattern = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')
      return describeWindows(['--onlyvisible', '--name', pattern])
    }
    // Elsewhere the library lists windows itself (Wayland lists none: nothing can be hidden there).
    try {
      return screenshots()
        .Window.all()
        .filter((w) => !w.isMinimized())
        .map((w) => ({ title: w.title(), x: w.x(), y: w.y(), width: w.width(), height: w.height() }))
    } catch {
      return []
    }
  }
  return { xdotool, parseWindows, describeWindows, privateWindows }
}

/** Windows that may be private (for the app, whose own capture API gives no window bounds). */
export function listPrivateWindows(titles: string[], o: NodeScreenCaptureOptions = {}): Promise<WindowInfo[]> {
  const env = o.env ?? process.env
  return desktopWindows(env, displayServer(env, o.platform)).privateWindows(titles)
}

export function createNodeScreenCapture(o: NodeScreenCaptureOptions = {}): ScreenCapture {
  const env = o.env ?? process.env
  const kind = displayServer(env, o.platform)
  const x11 = kind === 'x11'
  const { xdotool, parseWindows, describeWindows, privateWindows } = desktopWindows(env, kind)

  const pointer = async (): Promise<{ x: number; y: number; window: string } | null> => {
    if (!x11) return null
    const out = await xdotool(['getmouselocation', '--shell'])
    if (!out) return null
    const v = shellVars(out)
    return { x: Number(v.X), y: Number(v.Y), window: v.WINDOW ?? '0' }
  }

  const monitors = (): NsMonitor[] => {
    const all = screenshots().Monitor.all()
    if (!all.length) throw new ContextError('No screen was found to capture.', 'capture-failed')
    return all
  }
  const monitorAt = (all: NsMonitor[], point: { x: number; y: number } | null): NsMonitor => {
    if (all.length === 1 || !point) return all.find((m) => m.isPrimary()) ?? all[0]
    return screenshots().Monitor.fromPoint(point.x, point.y) ?? all[0]
  }

  const grab = async (monitor: NsMonitor): Promise<RawImage> => {
    try {
      const image = await monitor.captureImage()
      return { width: image.width, height: image.height, channels: 4, data: await image.toRaw() }
    } catch (err) {
      const why = (err as Error).message
      if (kind === 'wayland')
        throw new ContextError(
          `The desktop did not give a screenshot (${why}).`,
          'capture-unavailable',
          'On Wayland the screen is captured through the desktop portal (xdg-desktop-portal with your desktop’s backend): install it, or attach an image file instead.'
        )
      throw new ContextError(`The screen could not be captured (${why}).`, 'capture-failed')
    }
  }

  const onMonitor = (w: WindowInfo, m: NsMonitor): WindowInfo => ({ ...w, x: w.x - m.x(), y: w.y - m.y() })

  async function findWindow(target: WindowTarget): Promise<WindowInfo> {
    if (!x11) {
      if (kind === 'wayland')
        throw new ContextError('On Wayland an app cannot capture another window.', 'capture-unavailable', 'Ask about the whole screen instead.')
      const focused = screenshots().Window.all().find((w) => w.isFocused())
      if (!focused) throw new ContextError('No window has the focus.', 'no-window')
      return { title: focused.title(), x: focused.x(), y: focused.y(), width: focused.width(), height: focused.height() }
    }
    let id: string | null = null
    if (target === 'focused') {
      id = (await xdotool(['getactivewindow']))?.trim() || (await xdotool(['getwindowfocus']))?.trim() || null
    } else {
      const p = await pointer()
      if (p && p.window !== '0') id = p.window
      else if (p) {
        // No window manager to say which client is under the pointer: the topmost top-level window there.
        const tops = await describeWindows(['--maxdepth', '1', '--onlyvisible', '--name', '.'])
        const under = tops.filter((w) => p.x >= w.x && p.y >= w.y && p.x < w.x + w.width && p.y < w.y + w.height).pop()
        if (under) return under
      }
    }
    if (!id || !/^\d+$/.test(id)) throw new ContextError(target === 'focused' ? 'No window has the focus.' : 'There is no window under the pointer.', 'no-window')
    const [info] = parseWindows((await xdotool(['getwindowname', id, 'getwindowgeometry', '--shell', id])) ?? '')
    if (!info) throw new ContextError('The window closed before it could be captured.', 'no-window')
    return info
  }

  return {
    async screen({ privateTitles }): Promise<Capture> {
      // The private windows are looked up while the pixels are taken.
      const hiddenWindows = privateWindows(privateTitles)
      hiddenWindows.catch(() => {})
      const all = monitors()
      const monitor = monitorAt(all, all.length > 1 ? await pointer() : null)
      const [raw, hidden] = await Promise.all([grab(monitor), hiddenWindows])
      return { image: { kind: 'raw', raw }, windows: onImage(hidden.map((w) => onMonitor(w, monitor)), raw.width, raw.height) }
    },
    async window(target, { privateTitles }): Promise<Capture> {
      const win = await findWindow(target)
      const monitor = monitorAt(monitors(), { x: win.x + win.width / 2, y: win.y + win.height / 2 })
      const [raw, hidden] = await Promise.all([grab(monitor), privateWindows(privateTitles)])
      const box = onMonitor(win, monitor)
      const cropped = cropRaw(raw, box)
      // Private windows overlapping this one, in the cropped image's pixels.
      const windows = onImage(
        hidden.map((w) => onMonitor(w, monitor)).map((w) => ({ ...w, x: w.x - box.x, y: w.y - box.y })),
        cropped.width,
        cropped.height
      )
      return { image: { kind: 'raw', raw: cropped }, title: win.title, windows }
    }
  }
}
