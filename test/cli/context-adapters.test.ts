/**
 * `mimo-voice ask` with context, for real: an X server of our own (Xvfb, 1920×1080) showing xterm
 * windows of known colour and text, the command run from source as a user runs it, and the fake MiMo
 * decoding the images it was sent (size and mean colour) and logging the text parts.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import sharp from 'sharp'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startFakeMimo, type FakeMimo, type LoggedImage, type LoggedRequest } from '../fake-mimo/server'
import { rgb, startXDesktop, type XDesktop } from '../core/context/x-apps'

const ROOT = resolve(__dirname, '../..')
const SOURCE_ENTRY = join(ROOT, 'src/cli/run.ts')

let fake: FakeMimo
let desk: XDesktop
let dir: string

function ask(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; json: Record<string, unknown> | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', SOURCE_ENTRY, 'ask', ...args, '--no-speak', '--json', '--base-url', fake.url], {
    cwd: ROOT,
    // The key from the environment: --api-key would add a warning to stderr.
    env: { PATH: process.env.PATH, MIMO_API_KEY: 'test-key', HOME: dir, XDG_CONFIG_HOME: join(dir, 'config'), MIMO_VOICE_DATA_DIR: join(dir, 'data'), DISPLAY: desk.display, ...env },
    stdio: ['pipe', 'pipe', 'pipe']
  })
  let out = ''
  let err = ''
  child.stdout.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr.on('data', (d: Buffer) => (err += d.toString()))
  child.stdin.end('')
  return new Promise((done) =>
    child.on('close', (code) => {
      const last = out.trim().split('\n').pop()
      done({ code, json: last?.startsWith('{') ? (JSON.parse(last) as Record<string, unknown>) : null, stderr: err })
    })
  )
}

const chat = (): LoggedRequest[] => fake.requests.filter((r) => r.path.endsWith('/chat/completions') && r.stream === true)
type Facts = Extract<LoggedImage, { width: number }>
const factsOf = (r: LoggedRequest): Facts[] => (r.images ?? []).filter((i): i is Facts => 'width' in i)
interface Part {
  type: string
  text?: string
  image_url?: { url: string }
}
function lastUserParts(r: LoggedRequest): Part[] {
  const messages = (r.body as { messages: Array<{ role: string; content: string | Part[] }> }).messages
  const last = messages.filter((m) => m.role === 'user').pop()!
  return typeof last.content === 'string' ? [{ type: 'text', text: last.content }] : last.content
}
function expectColour(actual: { r: number; g: number; b: number }, hex: string, tolerance: number): void {
  const want = rgb(hex)
  for (const k of ['r', 'g', 'b'] as const) expect(Math.abs(actual[k] - want[k]), `${k} of ${JSON.stringify(actual)} vs ${hex}`).toBeLessThanOrEqual(tolerance)
}

beforeAll(async () => {
  ;[fake, desk] = await Promise.all([startFakeMimo(), startXDesktop('1920x1080x24')])
  dir = mkdtempSync(join(tmpdir(), 'mimo-voice-context-'))
})
afterAll(async () => {
  desk?.closeAll()
  await fake?.close()
  rmSync(dir, { recursive: true, force: true })
})
beforeEach(() => fake.clearRequests())
afterEach(() => desk.closeAll())

describe('mimo-voice ask with context, on a real X display', () => {
  it('--screen sends the screen: its size, and the colour of the window filling it', async () => {
    await desk.xterm({ title: 'colour page', bg: '#3366cc', text: 'MiMo Voice looks at the screen', x: 0, y: 0, width: 1920, height: 1080 })
    const r = await ask(['--screen', 'What colour is the screen?'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)

    const [request] = chat()
    expect(request.status).toBe(200)
    const [image] = factsOf(request)
    expect(image.mime).toBe('image/jpeg')
    expect([image.width, image.height]).toEqual([1920, 1080])
    // One line of white text on the page moves the mean a little.
    expectColour(image.mean, '#3366cc', 6)
    // The image comes first, the question last.
    const parts = lastUserParts(request)
    expect(parts.map((p) => p.type)).toEqual(['image_url', 'text'])
    expect(parts[1].text).toBe('What colour is the screen?')

    // The fake answered from what it decoded, and the command reports what it sent.
    expect(r.json?.reply).toContain('1920 by 1080 pixels')
    const [sent] = r.json?.attachments as Array<Record<string, unknown>>
    expect(sent).toMatchObject({ kind: 'screen', width: 1920, height: 1080, mime: 'image/jpeg', bytes: image.bytes })
    expect(sent.bytes as number).toBeLessThanOrEqual(4 * 1024 * 1024)
  })

  it('--selection sends the text selected with the mouse in a real X application', async () => {
    await desk.xterm({ title: 'french text', bg: '#202020', text: 'bonjour tout le monde', x: 0, y: 0, width: 900, height: 300 })
    await desk.selectLine(40, 8)
    const r = await ask(['--selection', 'Translate what I selected into English.'])
    expect(r.code).toBe(0)
    const parts = lastUserParts(chat()[0])
    expect(parts.map((p) => p.type)).toEqual(['text', 'text'])
    expect(parts[0].text).toMatch(/^Selected text:\n"""\nbonjour tout le monde\s*\n"""$/)
    expect(parts[1].text).toBe('Translate what I selected into English.')
    expect(r.json?.attachments).toEqual([expect.objectContaining({ kind: 'selection', chars: expect.any(Number), truncated: false })])

    // The clipboard is another selection (CLIPBOARD), owned here by xsel.
    await new Promise<void>((done, fail) => {
      const xsel = spawn('xsel', ['--clipboard', '--input'], { env: desk.env, stdio: ['pipe', 'ignore', 'ignore'] })
      xsel.on('error', fail)
      xsel.on('exit', () => done())
      xsel.stdin.end('guten Tag')
    })
    fake.clearRequests()
    const c = await ask(['--clipboard', 'And this?'])
    expect(c.code).toBe(0)
    expect(lastUserParts(chat()[0]).map((p) => p.text)).toEqual(['Clipboard text:\n"""\nguten Tag\n"""', 'And this?'])
  })

  it('--window sends only the window under the pointer', async () => {
    await desk.xterm({ title: 'background', bg: '#202020', text: 'behind', x: 0, y: 0, width: 1920, height: 1080 })
    await desk.xterm({ title: 'the red one', bg: '#cc3333', text: 'this window', x: 300, y: 200, width: 640, height: 400 })
    await desk.xdotool('mousemove', '--sync', '500', '400')
    const r = await ask(['--window', 'What is in this window?'])
    expect(r.code).toBe(0)
    const [image] = factsOf(chat()[0])
    expect([image.width, image.height]).toEqual([640, 400])
    expectColour(image.mean, '#cc3333', 10)
    expect(r.json?.attachments).toEqual([expect.objectContaining({ kind: 'window', label: 'the red one' })])
  })

  it('--image sends each file (scaled to 1920 px on its long side), and a model that cannot see is refused before anything is sent', async () => {
    const big = join(dir, 'wide.png')
    writeFileSync(big, await sharp({ create: { width: 3000, height: 1000, channels: 3, background: '#10a040' } }).png().toBuffer())
    const small = join(dir, 'small.jpg')
    writeFileSync(small, await sharp({ create: { width: 200, height: 100, channels: 3, background: '#f0f0f0' } }).jpeg().toBuffer())
    const r = await ask(['--image', big, '--image', small, 'What are these?'])
    expect(r.code).toBe(0)
    const images = factsOf(chat()[0])
    expect(images.map((i) => [i.mime, i.width, i.height])).toEqual([
      ['image/png', 1920, 640],
      ['image/jpeg', 200, 100]
    ])
    expectColour(images[0].mean, '#10a040', 2)

    fake.clearRequests()
    const refused = await ask(['--image', small, '--model', 'mimo-v2.5-pro', 'What is this?'])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('mimo-v2.5-pro does not take images')
    expect(fake.requests).toHaveLength(0)

    const notImage = join(dir, 'notes.txt')
    writeFileSync(notImage, 'just text')
    const bad = await ask(['--image', notImage, 'What is this?'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('not an image')
    expect(fake.requests).toHaveLength(0)
  })

  it('says clearly when there is no display to capture', async () => {
    const r = await ask(['--screen', 'What is on the screen?'], { DISPLAY: '' })
    expect(r.code).toBe(2)
    expect(r.json?.error).toMatchObject({ message: expect.stringContaining('no display'), code: 'capture-unavailable' })
    expect(chat()).toHaveLength(0)
  })
})
