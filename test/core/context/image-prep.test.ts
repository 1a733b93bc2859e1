import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { prepareImage, imageDataUri } from '../../../src/core/context/image-prep'
import { ContextError } from '../../../src/core/context/errors'
import { paint } from './fake-sources'

async function pixels(bytes: Buffer, region?: { left: number; top: number; width: number; height: number }) {
  // stats() reads its input, not the pipeline: cut the region out first.
  const img = region ? sharp(await sharp(bytes).extract(region).png().toBuffer()) : sharp(bytes)
  const { channels } = await img.stats()
  return { mean: channels.slice(0, 3).map((c) => Math.round(c.mean)), stdev: Math.max(...channels.slice(0, 3).map((c) => c.stdev)) }
}

describe('an image made ready to send', () => {
  it('a 4K screen becomes a 1920×1080 JPEG with a thumbnail; the colours survive', async () => {
    const out = await prepareImage({ kind: 'raw', raw: paint(3840, 2160, [51, 102, 204]) })
    expect([out.mime, out.width, out.height]).toEqual(['image/jpeg', 1920, 1080])
    const meta = await sharp(out.bytes).metadata()
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 1920, 1080])
    // JPEG moves a flat colour by a step at most.
    const mean = (await pixels(out.bytes)).mean
    ;[51, 102, 204].forEach((v, i) => expect(Math.abs(mean[i] - v)).toBeLessThanOrEqual(2))
    const thumb = await sharp(Buffer.from(out.thumbnail.split(',')[1], 'base64')).metadata()
    expect([thumb.width, thumb.height]).toEqual([160, 90])
    expect(imageDataUri(out).startsWith('data:image/jpeg;base64,/9j/')).toBe(true)
  })

  it('a PNG or JPEG file that already fits is sent as it is; a PNG too wide is scaled and stays PNG', async () => {
    const small = await sharp({ create: { width: 300, height: 200, channels: 4, background: { r: 0, g: 0, b: 255, alpha: 0.5 } } }).png().toBuffer()
    const same = await prepareImage({ kind: 'encoded', bytes: small })
    expect(same.mime).toBe('image/png')
    expect(same.bytes.equals(small)).toBe(true)

    const wide = await sharp({ create: { width: 4000, height: 1000, channels: 3, background: '#ff8800' } }).png().toBuffer()
    const scaled = await prepareImage({ kind: 'encoded', bytes: wide })
    expect([scaled.mime, scaled.width, scaled.height]).toEqual(['image/png', 1920, 480])
  })

  it('other formats (WebP, GIF) become JPEG, and a photo turned by its EXIF tag is sent upright', async () => {
    const webp = await sharp({ create: { width: 200, height: 100, channels: 3, background: '#123456' } }).webp().toBuffer()
    expect((await prepareImage({ kind: 'encoded', bytes: webp })).mime).toBe('image/jpeg')
    const turned = await sharp({ create: { width: 400, height: 200, channels: 3, background: '#445566' } }).jpeg().withMetadata({ orientation: 6 }).toBuffer()
    const upright = await prepareImage({ kind: 'encoded', bytes: turned })
    expect([upright.width, upright.height]).toEqual([200, 400])
  })

  it('keeps within the size limit by lowering quality, then size; refuses what cannot fit', async () => {
    // Noise compresses badly: at 1920×1080 it needs several hundred KB.
    const noisy = Buffer.alloc(1920 * 1080 * 3)
    for (let i = 0; i < noisy.length; i++) noisy[i] = (i * 2654435761) >>> 24
    const raw = { width: 1920, height: 1080, channels: 3 as const, data: noisy }
    const fitted = await prepareImage({ kind: 'raw', raw }, { maxBytes: 300_000 })
    expect(fitted.bytes.byteLength).toBeLessThanOrEqual(300_000)
    const err = await prepareImage({ kind: 'raw', raw }, { maxBytes: 2_000 }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ContextError)
    expect((err as ContextError).code).toBe('image-too-large')
  })

  it('refuses bytes that are not an image', async () => {
    const err = await prepareImage({ kind: 'encoded', bytes: Buffer.from('%PDF-1.7 not a picture') }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ContextError)
    expect((err as ContextError).toUserError()).toMatchObject({ kind: 'input', code: 'not-an-image' })
  })

  it('blurs or blacks out regions before scaling, so nothing of them survives', async () => {
    // A striped "password manager" on a grey screen: stripes are what text looks like to a blur.
    const boxes = Array.from({ length: 20 }, (_, i) => ({ x: 200, y: 100 + i * 20, width: 400, height: 10, colour: [255, 255, 255] as [number, number, number] }))
    const raw = paint(1000, 600, [40, 40, 40], boxes)
    const region = { x: 200, y: 100, width: 400, height: 400 }
    const crop = { left: 220, top: 120, width: 360, height: 360 }
    const plain = await prepareImage({ kind: 'raw', raw })
    const blurred = await prepareImage({ kind: 'raw', raw }, { blur: [region] })
    const blacked = await prepareImage({ kind: 'raw', raw }, { black: [region] })
    expect((await pixels(plain.bytes, crop)).stdev).toBeGreaterThan(50)
    expect((await pixels(blurred.bytes, crop)).stdev).toBeLessThan(25)
    expect(Math.max(...(await pixels(blacked.bytes, crop)).mean)).toBeLessThanOrEqual(2)
    // A 4K screen is scaled after the painting: the region is still black at half the size.
    const big = await prepareImage({ kind: 'raw', raw: paint(3840, 2160, [40, 40, 40], boxes) }, { black: [region] })
    expect(big.width).toBe(1920)
    expect(Math.max(...(await pixels(big.bytes, { left: 105, top: 55, width: 190, height: 190 })).mean)).toBeLessThanOrEqual(2)
    // Outside the region nothing changed.
    expect((await pixels(blacked.bytes, { left: 700, top: 100, width: 200, height: 200 })).mean.every((v) => Math.abs(v - 40) <= 2)).toBe(true)
  })
})
