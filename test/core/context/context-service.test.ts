import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { ContextService, isPrivateTitle } from '../../../src/core/context/context-service'
import { ContextError } from '../../../src/core/context/errors'
import { MAX_CONTEXT_TEXT_CHARS, type NextContext } from '../../../src/shared/context'
import type { Settings } from '../../../src/shared/settings'
import { FakeScreen, FakeSelection, paint } from './fake-sources'

type Privacy = Pick<Settings, 'privateWindowTitles' | 'privateWindows'>
const privacy = (o: Partial<Privacy> = {}): Privacy => ({ privateWindowTitles: ['KeePass', '1Password'], privateWindows: 'blur', ...o })

/** A 800×600 grey screen with a white "password manager" at 100,100 400×300, striped like text. */
function screenShot() {
  const stripes = Array.from({ length: 15 }, (_, i) => ({ x: 100, y: 100 + i * 20, width: 400, height: 10, colour: [255, 255, 255] as [number, number, number] }))
  return {
    image: { kind: 'raw' as const, raw: paint(800, 600, [60, 60, 60], stripes) },
    windows: [
      { title: 'KeePassXC - Passwords', x: 100, y: 100, width: 400, height: 300 },
      { title: 'Terminal', x: 600, y: 0, width: 200, height: 200 }
    ]
  }
}

async function regionOf(dataUri: string, region: { left: number; top: number; width: number; height: number }) {
  const bytes = Buffer.from(dataUri.split(',')[1], 'base64')
  const { channels } = await sharp(await sharp(bytes).extract(region).png().toBuffer()).stats()
  return { mean: Math.round(channels[0].mean), stdev: channels[0].stdev }
}

const expectContextError = async (p: Promise<unknown>, code: string): Promise<ContextError> => {
  const err = await p.catch((e: unknown) => e)
  expect(err).toBeInstanceOf(ContextError)
  expect((err as ContextError).code).toBe(code)
  return err as ContextError
}

describe('what the next question carries', () => {
  it('the switches and waiting images go with one question, then reset (and every change is announced)', async () => {
    const screen = new FakeScreen(screenShot())
    const ctx = new ContextService({ capture: screen, text: new FakeSelection('hello'), settings: () => privacy() })
    const seen: NextContext[] = []
    ctx.on('next', (n) => seen.push(n))
    expect(ctx.take()).toBeUndefined()
    expect(screen.calls).toEqual([])

    ctx.setNext({ screen: true, selection: true })
    const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#00ff00' } }).png().toBuffer()
    const next = await ctx.addImage(png, 'green.png')
    expect(next.images.map((i) => [i.kind, i.label, i.width, i.height])).toEqual([['image', 'green.png', 64, 48]])
    expect(ctx.wantsImages()).toBe(true)

    const gathered = await ctx.take()!
    expect(gathered.images.map((i) => i.attachment.kind)).toEqual(['screen', 'image'])
    expect(gathered.texts.map((t) => t.attachment.kind)).toEqual(['selection'])
    expect(ctx.next()).toEqual({ screen: false, selection: false, images: [] })
    expect(seen.at(-1)).toEqual({ screen: false, selection: false, images: [] })
    // Captured only when asked: once.
    expect(screen.calls).toEqual(['screen KeePass,1Password'])
  })

  it('refuses a file that is not an image, and more than four images', async () => {
    const ctx = new ContextService({ settings: () => privacy() })
    await expectContextError(ctx.addImage(Buffer.from('hello'), 'notes.txt'), 'not-an-image')
    await expectContextError(ctx.addImage(new Uint8Array(0), 'empty.png'), 'not-an-image')
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } }).png().toBuffer()
    for (let i = 0; i < 4; i++) await ctx.addImage(png, `${i}.png`)
    await expectContextError(ctx.addImage(png, 'five.png'), 'too-many-images')
    const id = ctx.next().images[0].id
    expect(ctx.removeImage(id).images).toHaveLength(3)
  })
})

describe('private windows', () => {
  it('the rule: a title containing a listed word, in any case', () => {
    expect(isPrivateTitle('KeePassXC - Passwords', ['keepass'])).toBe(true)
    expect(isPrivateTitle('Bank - 1password', ['1Password'])).toBe(true)
    expect(isPrivateTitle('Terminal', ['keepass', ' '])).toBe(false)
    expect(isPrivateTitle(undefined, ['keepass'])).toBe(false)
  })

  it('blur: the private window is unreadable on the screen sent; other windows are untouched', async () => {
    const ctx = new ContextService({ capture: new FakeScreen(screenShot()), settings: () => privacy() })
    const { images } = await ctx.gather({ screen: true })
    expect(images[0].attachment).toMatchObject({ kind: 'screen', hiddenWindows: 1, width: 800, height: 600 })
    const inside = await regionOf(images[0].dataUri, { left: 150, top: 150, width: 300, height: 200 })
    expect(inside.stdev).toBeLessThan(25)
    const outside = await regionOf(images[0].dataUri, { left: 600, top: 400, width: 200, height: 200 })
    expect(Math.abs(outside.mean - 60)).toBeLessThanOrEqual(2)
  })

  it('exclude: the private window is black; a capture of that window alone is refused', async () => {
    const shot = screenShot()
    const ctx = new ContextService({
      capture: new FakeScreen(shot, { ...shot, title: 'KeePassXC - Passwords', windows: [] }),
      settings: () => privacy({ privateWindows: 'exclude' })
    })
    const { images } = await ctx.gather({ screen: true })
    expect((await regionOf(images[0].dataUri, { left: 110, top: 110, width: 380, height: 280 })).mean).toBeLessThanOrEqual(2)
    const refused = await expectContextError(ctx.gather({ window: 'focused' }), 'private-window')
    expect(refused.message).toContain('KeePassXC - Passwords')
  })

  it("the app's own window is always painted out", async () => {
    const shot = { ...screenShot(), windows: [], ownWindow: [{ x: 500, y: 300, width: 200, height: 200 }] }
    const ctx = new ContextService({ capture: new FakeScreen(shot), settings: () => privacy({ privateWindowTitles: [] }) })
    const { images } = await ctx.gather({ screen: true })
    expect((await regionOf(images[0].dataUri, { left: 510, top: 310, width: 180, height: 180 })).mean).toBeLessThanOrEqual(2)
  })
})

describe('when context cannot be had', () => {
  it('says why: no capture here, permission refused, nothing selected', async () => {
    const none = new ContextService({ settings: () => privacy(), captureUnavailable: 'There is no display to capture.' })
    const e = await expectContextError(none.gather({ screen: true }), 'capture-unavailable')
    expect(e.message).toBe('There is no display to capture.')
    const denied = new ContextService({ capture: new FakeScreen(screenShot()), permission: { ensure: async () => false }, settings: () => privacy() })
    expect((await expectContextError(denied.gather({ screen: true }), 'permission-denied')).hint).toMatch(/Screen Recording/)
    const empty = new ContextService({ text: new FakeSelection('  \n'), settings: () => privacy() })
    expect((await expectContextError(empty.gather({ selection: true }), 'selection-unavailable')).message).toBe('No text is selected.')
  })

  it('a capture that throws becomes a clear error', async () => {
    const broken = new FakeScreen(screenShot())
    broken.screen = async () => {
      throw new Error('BadMatch')
    }
    const ctx = new ContextService({ capture: broken, settings: () => privacy() })
    expect((await expectContextError(ctx.gather({ screen: true }), 'capture-failed')).message).toContain('BadMatch')
  })
})

describe('text context', () => {
  it('is labelled, and a long text is cut at the limit with a note saying how much was left out', async () => {
    const long = 'word '.repeat(MAX_CONTEXT_TEXT_CHARS) // five times the limit
    const ctx = new ContextService({ text: new FakeSelection('short one', long), settings: () => privacy() })
    const { texts } = await ctx.gather({ selection: true, clipboard: true })
    expect(texts[0].part).toBe('Selected text:\n"""\nshort one\n"""')
    expect(texts[0].attachment).toMatchObject({ kind: 'selection', chars: 9, truncated: false })
    expect(texts[1].attachment).toMatchObject({ kind: 'clipboard', chars: MAX_CONTEXT_TEXT_CHARS, truncated: true })
    expect(texts[1].part.startsWith('Clipboard text:\n"""\nword word')).toBe(true)
    expect(texts[1].part).toContain(`[The text was cut here: ${long.length - MAX_CONTEXT_TEXT_CHARS} more characters were not sent.]`)
  })
})
