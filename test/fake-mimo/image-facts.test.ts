// The fake MiMo with images: it checks image parts the way the service does (a URL or a base64 data
// URI of an image type, bytes matching the type, within the size limit, decodable), and answers and
// logs what it can check about each image: its size and mean colour.
import sharp from 'sharp'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { describeImages, imageFacts, imageTypeOf } from './image-facts'
import { startFakeMimo, type FakeMimo } from './server'

let fake: FakeMimo
beforeAll(async () => {
  fake = await startFakeMimo()
})
afterAll(() => fake.close())
beforeEach(() => fake.clearRequests())

const ask = (content: unknown[], model = 'mimo-v2.5') =>
  fetch(`${fake.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'api-key': 'test-key' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content }], thinking: { type: 'disabled' } })
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as { error?: { param: string }; choices?: Array<{ message: { content: string } }> } }))

const uri = (mime: string, bytes: Buffer): string => `data:${mime};base64,${bytes.toString('base64')}`
const question = { type: 'text', text: 'What colour is this?' }

describe('fake MiMo: images', () => {
  it('answers with the size and mean colour of each image, and logs them', async () => {
    const half = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#ff0000' } })
      .composite([{ input: { create: { width: 150, height: 200, channels: 3, background: '#0000ff' } }, left: 150, top: 0 }])
      .png()
      .toBuffer()
    const jpeg = await sharp({ create: { width: 64, height: 32, channels: 3, background: '#336699' } }).jpeg({ quality: 95 }).toBuffer()
    const r = await ask([{ type: 'image_url', image_url: { url: uri('image/png', half) } }, { type: 'image_url', image_url: { url: uri('image/jpeg', jpeg) } }, question])
    expect(r.status).toBe(200)
    // The PNG exactly; the JPEG within a step of its colour.
    expect(r.body.choices![0].message.content).toMatch(
      /^Image 1 is 300 by 200 pixels, and its mean colour is #800080 \(red 128, green 0, blue 128\)\. Image 2 is 64 by 32 pixels, and its mean colour is #33(66|67)99 \(red 51, green 10[23], blue 153\)\.$/
    )
    const [logged] = fake.requests
    expect(logged.images).toEqual([
      expect.objectContaining({ message: 0, mime: 'image/png', width: 300, height: 200, hex: '#800080', bytes: half.length }),
      expect.objectContaining({ message: 0, mime: 'image/jpeg', width: 64, height: 32 })
    ])
  })

  it('refuses what the service refuses: plain base64, a non-image type, bytes of another type, a broken image, a text model', async () => {
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#000' } }).png().toBuffer()
    const cases: Array<[unknown, RegExp, string?]> = [
      [png.toString('base64'), /must be a URL or a data URI/],
      [uri('application/pdf', png), /unsupported image type application\/pdf/],
      [uri('image/jpeg', png), /not a valid image\/jpeg image/],
      [uri('image/png', png.subarray(0, 30)), /could not be decoded/],
      [uri('image/png', png), /does not support image_url input/, 'mimo-v2.5-pro']
    ]
    for (const [url, param, model] of cases) {
      const r = await ask([{ type: 'image_url', image_url: { url } }, question], model)
      expect(r.status, String(param)).toBe(400)
      expect(r.body.error!.param).toMatch(param)
    }
    // An image URL is taken as it is (nothing to decode here) and logged.
    const r = await ask([{ type: 'image_url', image_url: { url: 'https://example.com/chart.png' } }, question])
    expect(r.status).toBe(200)
    expect(fake.requests.at(-1)!.images).toEqual([{ message: 0, url: 'https://example.com/chart.png' }])
  })

  it('knows images by their magic numbers', async () => {
    const webp = await sharp({ create: { width: 2, height: 2, channels: 3, background: '#fff' } }).webp().toBuffer()
    const gif = await sharp({ create: { width: 2, height: 2, channels: 3, background: '#fff' } }).gif().toBuffer()
    expect([imageTypeOf(webp), imageTypeOf(gif), imageTypeOf(Buffer.from('hello'))]).toEqual(['image/webp', 'image/gif', null])
    expect(await imageFacts('image/png', Buffer.from('nope'))).toBeNull()
    expect(describeImages([{ mime: 'image/png', bytes: 1, width: 1, height: 1, mean: { r: 0, g: 0, b: 0 }, hex: '#000000' }])).toBe(
      'The image is 1 by 1 pixels, and its mean colour is #000000 (red 0, green 0, blue 0).'
    )
  })
})
