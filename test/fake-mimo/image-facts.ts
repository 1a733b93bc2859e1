// Facts the fake MiMo can check about an image it was sent: its type, size and mean colour. It
// answers questions about an image with them, and logs them, so a test can compare what was sent
// with what was on the screen.

import sharp from 'sharp'

export type ImageMime = 'image/jpeg' | 'image/png' | 'image/webp' | 'image/gif' | 'image/bmp'
export const IMAGE_MIMES: readonly ImageMime[] = ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/bmp']

/** The image type of the bytes, by magic numbers. */
export function imageTypeOf(bytes: Buffer): ImageMime | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg'
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png'
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'image/webp'
  if (bytes.length >= 6 && /^GIF8[79]a$/.test(bytes.toString('latin1', 0, 6))) return 'image/gif'
  if (bytes.length >= 2 && bytes.toString('latin1', 0, 2) === 'BM') return 'image/bmp'
  return null
}

export interface ImageFacts {
  mime: string
  /** Decoded bytes. */
  bytes: number
  width: number
  height: number
  /** Mean of each channel over the whole image, 0..255. */
  mean: { r: number; g: number; b: number }
  /** The mean colour as #rrggbb. */
  hex: string
}

/** What the image is, decoded for real; null when it cannot be decoded. */
export async function imageFacts(mime: string, bytes: Buffer): Promise<ImageFacts | null> {
  try {
    const image = sharp(bytes)
    const [meta, stats] = await Promise.all([image.metadata(), image.stats()])
    const [r, g, b] = stats.channels.length >= 3 ? stats.channels : [stats.channels[0], stats.channels[0], stats.channels[0]]
    const mean = { r: Math.round(r.mean), g: Math.round(g.mean), b: Math.round(b.mean) }
    const hex = `#${[mean.r, mean.g, mean.b].map((v) => v.toString(16).padStart(2, '0')).join('')}`
    return { mime, bytes: bytes.length, width: meta.width ?? 0, height: meta.height ?? 0, mean, hex }
  } catch {
    return null
  }
}

/** The answer to a question about images: facts the test can check. */
export function describeImages(facts: ImageFacts[]): string {
  return facts
    .map(
      (f, i) =>
        `${facts.length > 1 ? `Image ${i + 1}` : 'The image'} is ${f.width} by ${f.height} pixels, and its mean colour is ${f.hex} ` +
        `(red ${f.mean.r}, green ${f.mean.g}, blue ${f.mean.b}).`
    )
    .join(' ')
}
