/**
 * An image made ready to send: private parts blurred or blacked out, scaled so the long side is at
 * most 1920 px, encoded as JPEG or PNG within 4 MB, and a small thumbnail for the turn card.
 *
 * sharp (libvips) does the decoding, scaling and encoding: it ships prebuilt binaries inside npm
 * packages (no compiler, no download at install) and encodes a 1920×1080 frame in a few tens of
 * milliseconds, which a pure-JavaScript encoder cannot (see docs/context.md).
 */
import sharp, { type OverlayOptions, type Sharp } from 'sharp'
import { MAX_IMAGE_BYTES, MAX_IMAGE_SIDE, THUMBNAIL_SIDE } from '../../shared/context'
import { ContextError } from './errors'

/** Pixels as a capture returns them: rows packed tightly, RGB or RGBA, top row first. */
export interface RawImage {
  width: number
  height: number
  channels: 3 | 4
  data: Uint8Array
}

/** An image as a capture or a file gives it: raw pixels, or encoded bytes (PNG, JPEG, WebP, GIF, ...). */
export type ImageSource = { kind: 'raw'; raw: RawImage } | { kind: 'encoded'; bytes: Uint8Array }

/** A rectangle of an image, in its pixels, origin top left. */
export interface Rect {
  x: number
  y: number
  width: number
  height: number
}

export interface PrepareOptions {
  /** Regions to blur beyond recognition. */
  blur?: Rect[]
  /** Regions to paint black. */
  black?: Rect[]
  maxSide?: number
  maxBytes?: number
}

export interface PreparedImageData {
  mime: 'image/jpeg' | 'image/png'
  bytes: Buffer
  width: number
  height: number
  /** A JPEG data URI, long side THUMBNAIL_SIDE. */
  thumbnail: string
}

const JPEG_QUALITIES = [82, 70, 55, 40]
/** Gaussian sigma that makes text unreadable at any screen size. */
const BLUR_SIGMA = 30

function clip(r: Rect, width: number, height: number): Rect | null {
  const x = Math.max(0, Math.round(r.x))
  const y = Math.max(0, Math.round(r.y))
  const right = Math.min(width, Math.round(r.x + r.width))
  const bottom = Math.min(height, Math.round(r.y + r.height))
  return right > x && bottom > y ? { x, y, width: right - x, height: bottom - y } : null
}

function fromSource(source: ImageSource): Sharp {
  if (source.kind === 'raw') {
    const { width, height, channels, data } = source.raw
    return sharp(data, { raw: { width, height, channels } })
  }
  // One frame of an animation; EXIF orientation applied so the model sees it upright.
  return sharp(source.bytes, { failOn: 'error', limitInputPixels: 100_000_000 }).rotate()
}

async function describe(source: ImageSource): Promise<{ width: number; height: number; format?: string; oriented: boolean }> {
  if (source.kind === 'raw') return { width: source.raw.width, height: source.raw.height, oriented: true }
  try {
    const m = await sharp(source.bytes).metadata()
    if (!m.width || !m.height) throw new Error('no size')
    const swapped = (m.orientation ?? 1) >= 5
    return {
      width: swapped ? m.height : m.width,
      height: swapped ? m.width : m.height,
      format: m.format,
      oriented: (m.orientation ?? 1) === 1
    }
  } catch {
    throw new ContextError('That file is not an image MiMo Voice can read.', 'not-an-image', 'Use a PNG, JPEG, WebP or GIF image.')
  }
}

/** The overlays that hide private regions: blurred copies of them, or black boxes. */
async function hidingOverlays(source: ImageSource, width: number, height: number, o: PrepareOptions): Promise<OverlayOptions[]> {
  const overlays: OverlayOptions[] = []
  for (const r of o.blur ?? []) {
    const c = clip(r, width, height)
    if (!c) continue
    const region = await fromSource(source)
      .extract({ left: c.x, top: c.y, width: c.width, height: c.height })
      .blur(BLUR_SIGMA)
      .png({ compressionLevel: 0 })
      .toBuffer()
    overlays.push({ input: region, left: c.x, top: c.y })
  }
  for (const r of o.black ?? []) {
    const c = clip(r, width, height)
    if (!c) continue
    overlays.push({ input: { create: { width: c.width, height: c.height, channels: 3, background: '#000000' } }, left: c.x, top: c.y })
  }
  return overlays
}

/**
 * Makes an image ready to send. A JPEG or PNG file that already fits is sent as it is; everything
 * else is re-encoded (PNG kept for PNG files with transparency when it fits, JPEG otherwise).
 * Throws ContextError for bytes that are not an image, or an image that cannot fit the limit.
 */
export async function prepareImage(source: ImageSource, o: PrepareOptions = {}): Promise<PreparedImageData> {
  const maxSide = o.maxSide ?? MAX_IMAGE_SIDE
  const maxBytes = o.maxBytes ?? MAX_IMAGE_BYTES
  const info = await describe(source)
  const overlays = await hidingOverlays(source, info.width, info.height, o)
  const scale = Math.min(1, maxSide / Math.max(info.width, info.height))
  const width = Math.max(1, Math.round(info.width * scale))
  const height = Math.max(1, Math.round(info.height * scale))

  let encoded: { mime: PreparedImageData['mime']; bytes: Buffer; width: number; height: number } | null = null
  const untouched = source.kind === 'encoded' && scale === 1 && overlays.length === 0 && info.oriented
  if (untouched && (info.format === 'jpeg' || info.format === 'png') && source.bytes.byteLength <= maxBytes) {
    encoded = { mime: info.format === 'png' ? 'image/png' : 'image/jpeg', bytes: Buffer.from(source.bytes), width, height }
  }

  if (!encoded) encoded = await encode(source, overlays, info, { width, height }, maxBytes)
  const thumbnail = await thumbnailOf(encoded.bytes)
  return { ...encoded, thumbnail }
}

async function encode(
  source: ImageSource,
  overlays: OverlayOptions[],
  info: { width: number; height: number; format?: string },
  size: { width: number; height: number },
  maxBytes: number
): Promise<{ mime: PreparedImageData['mime']; bytes: Buffer; width: number; height: number }> {
  // The hidden parts are painted in at full size, before any scaling, so nothing private survives it.
  let base: ImageSource = source
  if (overlays.length) {
    const { data, info: out } = await fromSource(source).composite(overlays).raw().toBuffer({ resolveWithObject: true })
    base = { kind: 'raw', raw: { width: out.width, height: out.height, channels: out.channels as 3 | 4, data } }
  }
  const resized = (w: number, h: number): Sharp => {
    const p = fromSource(base)
    return w === info.width && h === info.height ? p : p.resize(w, h, { fit: 'fill', kernel: 'lanczos3' })
  }

  if (source.kind === 'encoded' && info.format === 'png') {
    const png = await resized(size.width, size.height).png({ compressionLevel: 6 }).toBuffer()
    if (png.byteLength <= maxBytes) return { mime: 'image/png', bytes: png, ...size }
  }
  let { width, height } = size
  for (let attempt = 0; attempt < 4; attempt++) {
    for (const quality of JPEG_QUALITIES) {
      const jpeg = await resized(width, height).flatten({ background: '#ffffff' }).jpeg({ quality }).toBuffer()
      if (jpeg.byteLength <= maxBytes) return { mime: 'image/jpeg', bytes: jpeg, width, height }
    }
    width = Math.max(1, Math.round(width * 0.7))
    height = Math.max(1, Math.round(height * 0.7))
  }
  throw new ContextError(
    `The image does not fit in ${Math.round(maxBytes / (1024 * 1024))} MB even scaled down.`,
    'image-too-large',
    'Use a smaller image.'
  )
}

/** A small JPEG of what is sent (decoded at a fraction of its size: cheap even for a full screen). */
async function thumbnailOf(bytes: Buffer): Promise<string> {
  const thumb = await sharp(bytes)
    .resize(THUMBNAIL_SIDE, THUMBNAIL_SIDE, { fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: 70 })
    .toBuffer()
  return `data:image/jpeg;base64,${thumb.toString('base64')}`
}

/** The data URI an image_url part carries. */
export function imageDataUri(image: Pick<PreparedImageData, 'mime' | 'bytes'>): string {
  return `data:${image.mime};base64,${image.bytes.toString('base64')}`
}
