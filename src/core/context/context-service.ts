/**
 * Context for questions: the one owner of what the next question carries (the window's "include
 * screen" and "include selection" switches, and image files waiting to go), of gathering it at the
 * moment the user asks (never before), and of the private-window rule.
 *
 * Nothing gathered is kept here: the switches reset once a question takes them, and the images live
 * only in the turn that sent them.
 */
import type { Attachment, ContextRequest, NextContext, WindowTarget } from '../../shared/context'
import { MAX_IMAGE_FILE_BYTES, MAX_WAITING_IMAGES } from '../../shared/context'
import type { Settings } from '../../shared/settings'
import type { Capture, ScreenCapture, ScreenPermission, TextSelection } from '../ports'
import type { GatheredContext } from './context-parts'
import { ContextError } from './errors'
import { imageDataUri, prepareImage, type ImageSource, type Rect } from './image-prep'
import { labelledText } from './text-context'

export interface ContextSources {
  capture?: ScreenCapture
  text?: TextSelection
  /** macOS: screen recording must be allowed first. */
  permission?: ScreenPermission
}

export interface ContextServiceDeps extends ContextSources {
  settings: () => Pick<Settings, 'privateWindowTitles' | 'privateWindows'>
  /** Why capture cannot work here (e.g. a Wayland session without the portal); shown when the user asks. */
  captureUnavailable?: string
}

type ImageItem = GatheredContext['images'][number]

/** The private-window rule: a title containing any listed word, in any case. */
export function isPrivateTitle(title: string | undefined, privateTitles: string[]): boolean {
  if (!title) return false
  const t = title.toLowerCase()
  return privateTitles.some((p) => p.trim() && t.includes(p.trim().toLowerCase()))
}

export class ContextService {
  #switches = { screen: false, selection: false }
  #waiting: ImageItem[] = []
  #counter = 0
  readonly #listeners = new Set<(next: NextContext) => void>()

  constructor(private readonly deps: ContextServiceDeps) {}

  /** What the next question will carry. */
  next(): NextContext {
    return { ...this.#switches, images: this.#waiting.map((i) => i.attachment) }
  }

  setNext(patch: Partial<Pick<NextContext, 'screen' | 'selection'>>): NextContext {
    this.#switches = { ...this.#switches, ...patch }
    return this.#changed()
  }

  /** An image file dropped or pasted on the window (or given to the command): prepared now, sent with the next question. */
  async addImage(bytes: Uint8Array, fileName: string): Promise<NextContext> {
    if (this.#waiting.length >= MAX_WAITING_IMAGES)
      throw new ContextError(`At most ${MAX_WAITING_IMAGES} images can go with one question.`, 'too-many-images', 'Remove one first.')
    this.#waiting.push(await this.imageFile(bytes, fileName))
    return this.#changed()
  }

  removeImage(id: string): NextContext {
    this.#waiting = this.#waiting.filter((i) => i.attachment.id !== id)
    return this.#changed()
  }

  on(e: 'next', l: (next: NextContext) => void): () => void {
    this.#listeners.add(l)
    return () => this.#listeners.delete(l)
  }

  /** Whether the next question, with `extra`, would carry images (so it needs a model that sees). */
  wantsImages(extra: ContextRequest = {}): boolean {
    return this.#switches.screen || this.#waiting.length > 0 || !!extra.screen || !!extra.window
  }

  /**
   * The question is being asked now: takes the switches and the waiting images (they reset), adds
   * `extra`, and starts gathering at once. Undefined when there is nothing to gather.
   */
  take(extra: ContextRequest = {}): Promise<GatheredContext> | undefined {
    const request: ContextRequest = {
      ...extra,
      screen: extra.screen || this.#switches.screen,
      selection: extra.selection || this.#switches.selection
    }
    const files = this.#waiting
    const changed = this.#switches.screen || this.#switches.selection || files.length > 0
    this.#switches = { screen: false, selection: false }
    this.#waiting = []
    if (changed) this.#changed()
    if (!request.screen && !request.window && !request.selection && !request.clipboard && files.length === 0) return undefined
    return this.gather(request, files)
  }

  /** Gathers what `request` names, at once, plus images already prepared. */
  async gather(request: ContextRequest, files: ImageItem[] = []): Promise<GatheredContext> {
    const [screen, window, selection, clipboard] = await Promise.all([
      request.screen ? this.#capture('screen') : undefined,
      request.window ? this.#capture(request.window) : undefined,
      request.selection ? this.#text('selection') : undefined,
      request.clipboard ? this.#text('clipboard') : undefined
    ])
    return {
      images: [screen, window, ...files].filter((i): i is ImageItem => !!i),
      texts: [selection, clipboard].filter((t): t is GatheredContext['texts'][number] => !!t)
    }
  }

  /** An image file, checked and made ready to send. */
  async imageFile(bytes: Uint8Array, fileName: string): Promise<ImageItem> {
    if (bytes.byteLength === 0) throw new ContextError(`${fileName} is empty.`, 'not-an-image')
    if (bytes.byteLength > MAX_IMAGE_FILE_BYTES)
      throw new ContextError(`${fileName} is larger than ${MAX_IMAGE_FILE_BYTES / (1024 * 1024)} MB.`, 'image-too-large', 'Use a smaller image.')
    return this.#image('image', fileName, { kind: 'encoded', bytes })
  }

  async #capture(what: 'screen' | WindowTarget): Promise<ImageItem> {
    const capture = this.deps.capture
    if (!capture) {
      throw new ContextError(
        this.deps.captureUnavailable ?? 'The screen cannot be captured here.',
        'capture-unavailable',
        'Attach an image file instead.'
      )
    }
    if (this.deps.permission && !(await this.deps.permission.ensure())) {
      throw new ContextError(
        'MiMo Voice is not allowed to record the screen.',
        'permission-denied',
        'Allow MiMo Voice in System Settings > Privacy & Security > Screen Recording, then restart it. Only what you ask about is captured, and only when you ask.'
      )
    }
    const { privateWindowTitles, privateWindows } = this.deps.settings()
    const o = { privateTitles: privateWindowTitles }
    let shot: Capture
    try {
      shot = what === 'screen' ? await capture.screen(o) : await capture.window(what, o)
    } catch (err) {
      if (err instanceof ContextError) throw err
      throw new ContextError(`The ${what === 'screen' ? 'screen' : 'window'} could not be captured: ${(err as Error).message}`, 'capture-failed')
    }
    if (what !== 'screen' && isPrivateTitle(shot.title, privateWindowTitles)) {
      throw new ContextError(
        `The window "${shot.title}" is on your private list, so it was not sent.`,
        'private-window',
        'Ask about another window, or change the private windows in Settings.'
      )
    }
    const hidden: Rect[] = shot.windows.filter((w) => isPrivateTitle(w.title, privateWindowTitles))
    const label = what === 'screen' ? 'Screen' : shot.title?.trim() || 'Window'
    return this.#image(what === 'screen' ? 'screen' : 'window', label, shot.image, {
      blur: privateWindows === 'blur' ? hidden : [],
      black: [...(privateWindows === 'exclude' ? hidden : []), ...(shot.ownWindow ?? [])],
      hiddenWindows: hidden.length
    })
  }

  async #image(
    kind: Attachment['kind'],
    label: string,
    source: ImageSource,
    hide: { blur: Rect[]; black: Rect[]; hiddenWindows: number } = { blur: [], black: [], hiddenWindows: 0 }
  ): Promise<ImageItem> {
    const image = await prepareImage(source, { blur: hide.blur, black: hide.black })
    const attachment: Attachment = {
      id: this.#id(),
      kind,
      label,
      bytes: image.bytes.byteLength,
      width: image.width,
      height: image.height,
      mime: image.mime,
      thumbnail: image.thumbnail,
      ...(hide.hiddenWindows ? { hiddenWindows: hide.hiddenWindows } : {})
    }
    return { attachment, dataUri: imageDataUri(image) }
  }

  async #text(kind: 'selection' | 'clipboard'): Promise<GatheredContext['texts'][number] | undefined> {
    const source = this.deps.text
    const what = kind === 'selection' ? 'selected text' : 'clipboard'
    if (!source) throw new ContextError(`The ${what} cannot be read here.`, 'selection-unavailable')
    let text: string
    try {
      text = kind === 'selection' ? await source.selection() : await source.clipboard()
    } catch (err) {
      if (err instanceof ContextError) throw err
      throw new ContextError(`The ${what} could not be read: ${(err as Error).message}`, 'selection-unavailable')
    }
    if (!text.trim()) {
      throw new ContextError(
        kind === 'selection' ? 'No text is selected.' : 'The clipboard holds no text.',
        'selection-unavailable',
        kind === 'selection' ? 'Select the text first, then ask.' : 'Copy the text first, then ask.'
      )
    }
    const label = kind === 'selection' ? 'Selected text' : 'Clipboard text'
    const t = labelledText(label, text)
    const attachment: Attachment = {
      id: this.#id(),
      kind,
      label,
      bytes: Buffer.byteLength(t.part, 'utf8'),
      chars: t.chars,
      truncated: t.truncated
    }
    return { attachment, part: t.part }
  }

  #id(): string {
    return `ctx-${Date.now().toString(36)}-${(++this.#counter).toString(36)}`
  }

  #changed(): NextContext {
    const next = this.next()
    for (const l of this.#listeners) {
      try {
        l(next)
      } catch {
        // A listener's fault (the window's) must not break the question.
      }
    }
    return next
  }
}
