/**
 * The bridge itself: the page is served as built (its CSP untouched), `window.api` has exactly the
 * contract's channels, bytes cross it intact, and only pages of the host's own origin may connect.
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { encodeWav } from '../../src/core/audio/wav'
import { INVOKE_CHANNELS, type Api, type InvokeResult } from '../../src/shared/ipc'
import { makeSpeech, pcmFromBuffer } from '../audio-stack/pulse'
import { decodeFrame, decodeValue, encodeFrame, encodeValue } from './bridge-codec'
import { useE2eSession } from './session'
import { waitForPhase } from './talk-steps'

// No audio stack: nothing here goes through the microphone or the speaker.
const session = useE2eSession({ settings: { firstRunDone: true }, apiKey: 'test-key' })

describe('the codec', () => {
  it('carries byte arrays at any depth through JSON, and leaves other values alone', () => {
    const value = { fileName: 'a.wav', bytes: new Uint8Array([0, 1, 254, 255]), nested: [{ b: Buffer.from('hi') }], n: 1, s: '$bytes', nil: null }
    const back = decodeValue(JSON.parse(JSON.stringify(encodeValue(value)))) as typeof value
    expect(back.bytes).toBeInstanceOf(Uint8Array)
    expect([...back.bytes]).toEqual([0, 1, 254, 255])
    expect(Buffer.from(back.nested[0].b).toString()).toBe('hi')
    expect({ ...back, bytes: null, nested: null }).toEqual({ ...value, bytes: null, nested: null })
  })

  it('reads only its own frames', () => {
    expect(decodeFrame(encodeFrame({ type: 'invoke', id: 3, channel: 'settings:get' }))).toEqual({ type: 'invoke', id: 3, channel: 'settings:get' })
    expect(decodeFrame('not json')).toBeNull()
    expect(decodeFrame(JSON.stringify({ type: 'invoke', id: '3', channel: 'x' }))).toBeNull()
  })
})

describe('the bridge in the browser', () => {
  it('serves the built page as it is, its CSP included', async () => {
    const served = await (await fetch(session.host.url)).text()
    expect(served).toBe(await readFile(path.join(session.host.rendererDir, 'index.html'), 'utf8'))
    expect(served).toContain("connect-src 'self'")
    await waitForPhase(session.app.page, 'idle')
    expect(session.app.problems).toEqual([])
  })

  it('gives the page one function per contract channel, plus on, read-only', async () => {
    const keys = (await session.app.page.evaluate("Object.keys(window.api).sort()")) as string[]
    expect(keys).toEqual([...INVOKE_CHANNELS, 'on'].sort())
    const replaced = await session.app.page.evaluate("(() => { try { window.api = null } catch {} return window.api !== null })()")
    expect(replaced).toBe(true)
  })

  it('carries bytes: a WAV file imported in the page is checked by the main side', async () => {
    const speech = await makeSpeech('This is my voice, recorded for a voice clone. It should be a few seconds long.')
    const wav = encodeWav(pcmFromBuffer(speech), 16000)
    const result = (await session.app.page.evaluate(
      async (bytes) => (globalThis as unknown as { api: Api }).api['samples:import']({ fileName: 'my-voice.wav', bytes: new Uint8Array(bytes) }),
      [...wav]
    )) as InvokeResult<'samples:import'>
    if (!result.ok) throw new Error(`samples:import failed: ${result.error.message}`)
    const expectedSec = speech.length / 2 / 16000
    expect(result.value.quality.inputFormat).toBe('wav')
    expect(result.value.quality.inputDurationSec).toBeCloseTo(expectedSec, 1)
    expect(session.host.bridge.calls.some((c) => c.channel === 'samples:import' && c.payload && (c.payload as { bytes: unknown }).bytes instanceof Uint8Array)).toBe(true)
  })

  it('refuses a socket from another origin', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(session.host.url.replace('http', 'ws') + 'bridge', { origin: 'http://elsewhere.example' })
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
      ws.on('open', () => {
        ws.close()
        reject(new Error('a foreign origin was let in'))
      })
      ws.on('error', () => undefined)
    })
    expect(status).toBe(401)
  })
})
