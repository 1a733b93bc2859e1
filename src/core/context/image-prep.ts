/**
 * An image made ready to send: private parts blurred or blacked out, scaled so the long side is at
 * most 1920 px, encoded as JPEG or PNG within 4 MB, and a small thumbnail for the turn card.
 *
 * sharp (libvips) does the decoding, scaling and encoding: it ships prebuilt binaries inside npm
 * packages (no compiler, no download at install) and encodes a 1920×1080 frame in a few tens of
 * milliseconds, which a pure-JavaScript encoder cannot (see docs/context.md).
 */
import sharp, { type Sharp } from 'sharp'
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
/** Side of the blocks a blurred region becomes: far larger than any letter on a screen. */
const MOSAIC_BLOCK = 24

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

async function toRaw(source: ImageSource): Promise<RawImage> {
  if (source.kind === 'raw') return source.raw
  const { data, info } = await fromSource(source).raw().toBuffer({ resolveWithObject: true })
  return { width: info.width, height: info.height, channels: info.channels as 3 | 4, data }
}

/**
 * A copy of the pixels with the regions hidden: blurred ones turned into a mosaic of 24-pixel blocks
 * (each the mean of its pixels: no text survives that), black ones painted black. Done in the pixel
 * rows, so a full screen costs one copy, not another pass of the image library.
 */
function hideRegions(raw: RawImage, blur: Rect[], black: Rect[]): RawImage {
  const { width, height, channels: c } = raw
  const data = Buffer.from(raw.data)
  for (const region of blur) {
    const r = clip(region, width, height)
    if (!r) continue
    for (let by = r.y; by < r.y + r.height; by += MOSAIC_BLOCK) {
      for (let bx = r.x; bx < r.x + r.width; bx += MOSAIC_BLOCK) {
        const bw = Math.min(MOSAIC_BLOCK, r.x + r.width - bx)
        const bh = Math.min(MOSAIC_BLOCK, r.y + r.height - by)
        const sum = [0, 0, 0, 0]
        for (let y = by; y < by + bh; y++)
          for (let i = (y * width + bx) * c, end = i + bw * c; i < end; i += c) for (let k = 0; k < c; k++) sum[k] += data[i + k]
        const mean = sum.map((v) => Math.round(v / (bw * bh)))
        for (let y = by; y < by + bh; y++)
          for (let i = (y * width + bx) * c, end = i + bw * c; i < end; i += c) for (let k = 0; k < c; k++) data[i + k] = mean[k]
      }
    }
  }
  for (const region of black) {
    const r = clip(region, width, height)
    if (!r) continue
    for (let y = r.y; y < r.y + r.height; y++)
      for (let i = (y * width + r.x) * c, end = i + r.width * c; i < end; i += c) {
        data[i] = data[i + 1] = data[i + 2] = 0
        if (c === 4) data[i + 3] = 255
      }
  }
  return { width, height, channels: c, data }
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
  const hiding = (o.blur?.length ?? 0) + (o.black?.length ?? 0) > 0
  const pixels: ImageSource = hiding ? { kind: 'raw', raw: hideRegions(await toRaw(source), o.blur ?? [], o.black ?? []) } : source
  const scale = Math.min(1, maxSide / Math.max(info.width, info.height))
  const width = Math.max(1, Math.round(info.width * scale))
  const height = Math.max(1, Math.round(info.height * scale))

  let encoded: { mime: PreparedImageData['mime']; bytes: Buffer; width: number; height: number } | null = null
  const untouched = source.kind === 'encoded' && scale === 1 && !hiding && info.oriented
  if (untouched && (info.format === 'jpeg' || info.format === 'png') && source.bytes.byteLength <= maxBytes) {
    encoded = { mime: info.format === 'png' ? 'image/png' : 'image/jpeg', bytes: Buffer.from(source.bytes), width, height }
  }
  // PNG stays PNG (screens and photos go as JPEG).
  if (!encoded) encoded = await encode(pixels, source.kind === 'encoded' && info.format === 'png', info, { width, height }, maxBytes)
  const thumbnail = await thumbnailOf(encoded.bytes)
  return { ...encoded, thumbnail }
}

async function encode(
  source: ImageSource,
  png: boolean,
  info: { width: number; height: number },
  size: { width: number; height: number },
  maxBytes: number
): Promise<{ mime: PreparedImageData['mime']; bytes: Buffer; width: number; height: number }> {
  const resized = (w: number, h: number): Sharp => {
    const p = fromSource(source)
    return w === info.width && h === info.height ? p : p.resize(w, h, { fit: 'fill', kernel: 'lanczos3' })
  }
  if (png) {
    const bytes = await resized(size.width, size.height).png({ compressionLevel: 6 }).toBuffer()
    if (bytes.byteLength <= maxBytes) return { mime: 'image/png', bytes, ...size }
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
