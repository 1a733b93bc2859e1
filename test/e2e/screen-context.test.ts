/**
 * Asking about the screen from the window, in Chromium: the "include screen" switch, a spoken
 * question, the thumbnail and size in the turn card, and the image in the fake MiMo's request log.
 * The host is plain Node, so the screen comes from the Node capture adapter on an Xvfb display of the
 * test's own, showing an xterm of known colour; an image file dropped on the window goes the same way.
 */
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { createNodeScreenCapture } from '../../src/core/context/node-screen-capture'
import { createNodeTextSelection } from '../../src/core/context/node-text-selection'
import { rgb, startXDesktop, type XDesktop } from '../core/context/x-apps'
import type { LoggedImage, LoggedRequest } from '../fake-mimo/server'
import { screenshot } from './browser'
import { useE2eSession } from './session'
import { bodyOf, holdAndSpeak, waitForPhase } from './talk-steps'

const QUESTION = 'What colour is the screen?'
const SCREEN_COLOUR = '#3366cc'
let desk: XDesktop | undefined

const session = useE2eSession({
  audio: true,
  speech: QUESTION,
  fake: { transcript: QUESTION },
  settings: { firstRunDone: true },
  apiKey: 'test-key',
  context: async () => {
    desk = await startXDesktop('1920x1080x24')
    // The capture library opens the display the process names.
    process.env.DISPLAY = desk.display
    await desk.xterm({ title: 'colour page', bg: SCREEN_COLOUR, text: 'MiMo Voice looks at the screen', x: 0, y: 0, width: 1920, height: 1080 })
    return { capture: createNodeScreenCapture({ env: desk.env }), text: createNodeTextSelection({ env: desk.env }) }
  }
})

type Facts = Extract<LoggedImage, { width: number }>
const answerWithImages = (): LoggedRequest[] => session.fake.requests.filter((r) => bodyOf(r).stream === true && (r.images?.length ?? 0) > 0)
const factsOf = (r: LoggedRequest): Facts[] => (r.images ?? []).filter((i): i is Facts => 'width' in i)

describe('asking about the screen from the window', () => {
  it('"Include screen", then a spoken question: the screen goes with it, and the turn card shows what was sent', async () => {
    const { page } = session.app
    await waitForPhase(page, 'idle')
    const include = page.getByRole('switch', { name: 'Include screen' })
    await include.check()
    await expect.poll(() => session.host.core.context.next().screen).toBe(true)

    await holdAndSpeak(page, session.host, session.speech)
    const card = page.getByRole('article', { name: 'Turn 1' })
    const thumbnail = card.getByTestId('attachment-thumbnail')
    await thumbnail.waitFor({ timeout: 15_000 })
    await expect.poll(() => card.getByTestId('turn-reply').textContent(), { timeout: 20_000 }).toContain('1920 by 1080 pixels')
    expect(await thumbnail.getAttribute('src')).toMatch(/^data:image\/jpeg;base64,/)
    expect(await card.getByTestId('attachment-size').textContent()).toMatch(/^1920×1080, \d+ KB$/)
    // The switch applies to one question: it is off again.
    await expect.poll(() => include.isChecked()).toBe(false)
    await screenshot(page, 'talk-screen-context')
    await waitForPhase(page, 'idle', 60_000)

    // What was sent: the screen as a JPEG before the recording and the instruction, of the screen's size and colour.
    const [request] = answerWithImages()
    expect(request.status).toBe(200)
    const parts = (bodyOf(request).messages ?? []).filter((m) => m.role === 'user').pop()!.content as Array<{ type: string }>
    expect(parts.map((p) => p.type)).toEqual(['image_url', 'input_audio', 'text'])
    const [image] = factsOf(request)
    expect([image.mime, image.width, image.height]).toEqual(['image/jpeg', 1920, 1080])
    const want = rgb(SCREEN_COLOUR)
    for (const k of ['r', 'g', 'b'] as const) expect(Math.abs(image.mean[k] - want[k])).toBeLessThanOrEqual(6)
    // The thumbnail is a small picture of the same screen.
    const thumb = Buffer.from((await thumbnail.getAttribute('src'))!.split(',')[1], 'base64')
    const meta = await sharp(thumb).metadata()
    expect([meta.width, meta.height]).toEqual([160, 90])
    expect(session.app.problems).toEqual([])
  })

  it('an image dropped on the window goes with the next typed question, and is not sent again after', async () => {
    const { page } = session.app
    await waitForPhase(page, 'idle')
    const png = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#aa5500' } }).png().toBuffer()
    // The page's own DataTransfer, holding the file as a user's drag would.
    const dataTransfer = await page.evaluateHandle(
      `(() => { const b = Uint8Array.from(atob('${png.toString('base64')}'), (c) => c.charCodeAt(0)); ` +
        `const dt = new DataTransfer(); dt.items.add(new File([b], 'chart.png', { type: 'image/png' })); return dt })()`
    )
    await page.locator('.talk').dispatchEvent('drop', { dataTransfer })
    const waiting = page.getByRole('list', { name: 'Images for the next question' })
    await waiting.getByText('chart.png').waitFor()

    const before = answerWithImages().length
    await page.getByRole('textbox', { name: 'Type a question' }).fill('What is in this picture?')
    await page.getByRole('button', { name: 'Ask', exact: true }).click()
    const card = page.getByRole('article', { name: 'Turn 2' })
    await expect.poll(() => card.getByTestId('turn-reply').textContent(), { timeout: 20_000 }).toContain('640 by 480 pixels')
    await waiting.waitFor({ state: 'detached' })
    const sent = answerWithImages().slice(before)
    expect(sent).toHaveLength(1)
    expect(factsOf(sent[0]).map((f) => [f.mime, f.width, f.height])).toEqual([['image/png', 640, 480]])
    // Heard to the end, so history keeps the turn (a turn cut before any word was heard is not kept).
    await waitForPhase(page, 'idle', 60_000)

    // A later question carries no image: history mentions what was sent instead.
    const count = session.fake.requests.length
    await page.getByRole('textbox', { name: 'Type a question' }).fill('And what did I ask before?')
    await page.getByRole('button', { name: 'Ask', exact: true }).click()
    await expect.poll(() => page.getByRole('article', { name: 'Turn 3' }).getByTestId('turn-reply').textContent(), { timeout: 20_000 }).not.toBe('')
    const later = session.fake.requests.slice(count).filter((r) => bodyOf(r).stream === true && !String(bodyOf(r).model).includes('-tts'))
    expect(later).toHaveLength(1)
    expect(later[0].images ?? []).toHaveLength(0)
    const text = JSON.stringify(bodyOf(later[0]).messages)
    expect(text).toContain('the image chart.png, 640×480')
    expect(text).toContain('a screen capture, 1920×1080')
    await page.getByRole('button', { name: 'Stop speaking' }).click()
    expect(session.app.problems).toEqual([])
  })
})

describe('asking about the selection from the window', () => {
  it('"Include selection": the line selected in a real X application goes with the typed question', async () => {
    const { page } = session.app
    await waitForPhase(page, 'idle')
    await desk!.xterm({ title: 'french', bg: '#202020', text: 'il fait beau ce matin', x: 0, y: 0, width: 900, height: 200 })
    await desk!.selectLine(40, 8)
    await page.getByRole('switch', { name: 'Include selection' }).check()
    const count = session.fake.requests.length
    await page.getByRole('textbox', { name: 'Type a question' }).fill('Translate what I selected.')
    await page.getByRole('button', { name: 'Ask', exact: true }).click()
    const card = page.getByRole('article', { name: 'Turn 4' })
    await card.getByTestId('turn-attachment').waitFor()
    expect(await card.getByTestId('turn-attachment').getAttribute('data-kind')).toBe('selection')
    const [request] = session.fake.requests.slice(count).filter((r) => bodyOf(r).stream === true && !String(bodyOf(r).model).includes('-tts'))
    const parts = (bodyOf(request).messages ?? []).filter((m) => m.role === 'user').pop()!.content as Array<{ type: string; text?: string }>
    expect(parts.map((p) => p.type)).toEqual(['text', 'text'])
    expect(parts[0].text).toMatch(/^Selected text:\n"""\nil fait beau ce matin\s*\n"""$/)
    expect(parts[1].text).toBe('Translate what I selected.')
    await page.getByRole('button', { name: 'Stop speaking' }).click()
    expect(session.app.problems).toEqual([])
  })
})

process.on('exit', () => desk?.closeAll())
