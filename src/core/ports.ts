/**
 * What the core and the shell need from the outside world. The Electron edge (src/main/electron) and
 * the CLI provide adapters; tests pass hand-written fakes or real plain-Node parts.
 */
import type { WindowTarget } from '../shared/context'
import type { KeyStorage } from '../shared/settings'
import type { ImageSource, Rect } from './context/image-prep'

/** The settings document on disk (config.json): top-level fields, read and written whole or in part. */
export interface SettingsStore {
  /** The stored document as written by any version of the app (never validated here). */
  read(): Record<string, unknown>
  /** Writes these top-level fields; fields not named stay as they are (saved voices live beside settings). */
  write(fields: Record<string, unknown>): void
  /** Removes top-level fields (migrations drop old names). */
  remove(keys: string[]): void
  /** The file, for the settings page and the docs. */
  readonly path: string
}

/** Where the API key is kept: the OS keychain through Electron's safeStorage in the app. */
export interface SecretStore {
  /** How a stored secret is protected here; 'unavailable' means set() will refuse. */
  storage(): Exclude<KeyStorage, 'environment'>
  get(): string | undefined
  /** Throws a typed error with toUserError() when the secret cannot be stored. */
  set(secret: string): void
  clear(): void
}

export interface Notification {
  title: string
  body: string
}

export interface Notifier {
  /** False where the desktop has no notification service. */
  isSupported(): boolean
  show(n: Notification): void
}

/** macOS asks the user once before the microphone is used; other platforms answer true. */
export interface MicrophonePermission {
  /** Already allowed (no question needed). */
  isGranted(): boolean
  /** Asks if the user has not been asked yet; true when recording may start. */
  ensure(): Promise<boolean>
}

export interface Clock {
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }

/** A capture as a screen source gives it: the pixels, and what the private-window rule needs. */
export interface Capture {
  image: ImageSource
  /** A window capture: the window's title. */
  title?: string
  /** Windows on the capture whose titles may be private (the adapter may list only likely ones), in image pixels. */
  windows: Array<Rect & { title: string }>
  /** The app's own window, where it is on the capture: always left out (painted black). */
  ownWindow?: Rect[]
}

/** The screen and its windows: desktopCapturer in the app, the X server (or the desktop portal) in the command. */
export interface ScreenCapture {
  /** The screen the pointer is on. `privateTitles`: the adapter lists windows whose titles contain one of these. */
  screen(o: { privateTitles: string[] }): Promise<Capture>
  window(target: WindowTarget, o: { privateTitles: string[] }): Promise<Capture>
}

/** Text the user selected or copied. Both answer '' when there is none. */
export interface TextSelection {
  /** The selected text: the PRIMARY selection on Linux, the clipboard where there is no such thing. */
  selection(): Promise<string>
  clipboard(): Promise<string>
}

/** macOS asks the user before an app may record the screen; other platforms answer true. */
export interface ScreenPermission {
  /** True when capturing may go ahead; false when the user said no (the caller explains how to allow it). */
  ensure(): Promise<boolean>
}

/** Opens a web address in the user's browser (Electron's shell.openExternal in the app, xdg-open in the command). */
export interface UrlOpener {
  open(url: string): Promise<void>
}

/** The system clipboard (Electron's clipboard in the app, wl-copy / xclip / xsel / pbcopy in the command). */
export interface ClipboardWriter {
  writeText(text: string): Promise<void>
}

/** Timers that fire later: setTimeout in the app, a hand-turned clock in tests. */
export interface Scheduler {
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export const systemScheduler: Scheduler = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms)
    // A waiting timer must not keep the command's process alive.
    t.unref?.()
    return t
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>)
}
