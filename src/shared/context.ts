/**
 * Context for a question: what the user asked the assistant to look at along with it (the screen, a
 * window, the selected text, the clipboard, an image file), and how a turn shows what was sent.
 */

/** Which window a window capture takes. */
export type WindowTarget = 'focused' | 'pointer'

/** What to gather for a question; nothing is captured unless the user asked for it. */
export interface ContextRequest {
  /** The screen the pointer is on, without the app's own window. */
  screen?: boolean
  window?: WindowTarget
  /** The selected text (the PRIMARY selection on Linux, else the clipboard). */
  selection?: boolean
  clipboard?: boolean
}

/** The switches the window shows for the next question, and the image files waiting to go with it. */
export interface NextContext {
  screen: boolean
  selection: boolean
  images: Attachment[]
}

export type AttachmentKind = 'screen' | 'window' | 'image' | 'selection' | 'clipboard'

/** One thing sent with a question, as the turn card shows it: a thumbnail of an image, or the size of a text. */
export interface Attachment {
  /** Unique within the app's run (a waiting image file is removed by it). */
  id: string
  kind: AttachmentKind
  /** "Screen", a window's title, a file's name, "Selected text". */
  label: string
  /** What was sent, in bytes (the encoded image, or the text in UTF-8). */
  bytes: number
  /** Images: the size sent, and a small JPEG data URI of what was sent. */
  width?: number
  height?: number
  mime?: 'image/jpeg' | 'image/png'
  thumbnail?: string
  /** Texts: characters sent, and whether the text was cut at the limit. */
  chars?: number
  truncated?: boolean
  /** Screens: windows blurred or blacked out because their titles are on the private list. */
  hiddenWindows?: number
}

/** The service's limits for one image as this app sends it: long side and encoded size. */
export const MAX_IMAGE_SIDE = 1920
export const MAX_IMAGE_BYTES = 4 * 1024 * 1024
/** A file dropped or pasted on the window: larger files are refused before they cross IPC. */
export const MAX_IMAGE_FILE_BYTES = 20 * 1024 * 1024
/** Images waiting for the next question. */
export const MAX_WAITING_IMAGES = 4
/** Characters of selected or copied text sent with a question; the rest is cut with a note. */
export const MAX_CONTEXT_TEXT_CHARS = 8000
/** Long side of the thumbnail a turn card shows. */
export const THUMBNAIL_SIDE = 160

/** "1920×1080, 412 KB" */
export function describeAttachmentSize(a: Pick<Attachment, 'bytes' | 'width' | 'height' | 'chars'>): string {
  const size = a.bytes >= 1024 * 1024 ? `${(a.bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.max(1, Math.round(a.bytes / 1024))} KB`
  if (a.width && a.height) return `${a.width}×${a.height}, ${size}`
  if (a.chars !== undefined) return `${a.chars} characters`
  return size
}
