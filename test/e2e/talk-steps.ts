/**
 * Steps of a spoken turn as a user does them in the page, and what the fake MiMo server's request log
 * says was sent.
 */
import type { Page } from 'playwright-core'
import type { AssistantPhase } from '../../src/shared/assistant'
import { decodeWav } from '../../src/core/audio/wav'
import type { FakeMimo, LoggedRequest } from '../fake-mimo/server'
import { captureMonitor, speakIntoMic, type Capture } from '../audio-stack/pulse'
import type { E2eHost } from './host'

export const QUESTION = 'What is the weather like in Beijing today?'
/** Short, so the spoken answer takes a few seconds, not twenty. */
export const REPLY = 'It is sunny in Beijing today, with a light breeze. Expect a high of twenty four degrees.'

export function phaseBadge(page: Page) {
  return page.getByTestId('assistant-phase')
}

export async function waitForPhase(page: Page, phase: AssistantPhase, timeout = 30_000): Promise<void> {
  await page.locator(`[data-testid="assistant-phase"][data-phase="${phase}"]`).waitFor({ timeout })
}

/** Resolves at the recorder's first level reading: the microphone is delivering audio. */
export function recorderRunning(host: E2eHost, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off()
      reject(new Error(`the recorder gave no level within ${timeoutMs} ms`))
    }, timeoutMs)
    const off = host.core.assistant.on('level', () => {
      clearTimeout(timer)
      off()
      resolve()
    })
  })
}

export interface SpokenQuestion {
  /** The speaker's monitor, recording from just before the button is let go. */
  capture: Capture
  /** Wall time the button was held, ms. */
  heldMs: number
}

/**
 * Holds the talk button with the mouse, waits for 'recording' and for the microphone to deliver,
 * speaks `speech` (16 kHz PCM16) into the virtual microphone, and lets go. `whileSpeaking` runs while
 * the speech is still playing (e.g. a screenshot of the level meter).
 */
export async function holdAndSpeak(page: Page, host: E2eHost, speech: Buffer, whileSpeaking?: () => Promise<void>): Promise<SpokenQuestion> {
  const button = page.getByRole('button', { name: 'Push to talk' })
  const box = await button.boundingBox()
  if (!box) throw new Error('the talk button is not on screen')
  const running = recorderRunning(host)
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
  const downAt = Date.now()
  await page.mouse.down()
  await waitForPhase(page, 'recording', 5000)
  await running
  const spoken = speakIntoMic(speech)
  if (whileSpeaking) await whileSpeaking()
  await spoken
  // A breath after the last word, as a person lets go.
  await page.waitForTimeout(300)
  const capture = await captureMonitor()
  await page.mouse.up()
  return { capture, heldMs: Date.now() - downAt }
}

interface ContentPart {
  type: string
  text?: string
  input_audio?: { data: string }
}
interface LooseMessage {
  role: string
  content: string | ContentPart[]
}
interface LooseBody {
  model?: string
  stream?: boolean
  messages?: LooseMessage[]
  thinking?: { type: string }
  audio?: { format?: string; voice?: string }
}

export function bodyOf(r: LoggedRequest): LooseBody {
  return (r.body ?? {}) as LooseBody
}

/** The audio data URI of the last user message, if it holds one. */
export function inputAudioUri(r: LoggedRequest): string | null {
  const users = (bodyOf(r).messages ?? []).filter((m) => m.role === 'user')
  const last = users[users.length - 1]
  if (!last || !Array.isArray(last.content)) return null
  return last.content.find((p) => p.type === 'input_audio')?.input_audio?.data ?? null
}

export function isTts(r: LoggedRequest): boolean {
  return typeof bodyOf(r).model === 'string' && bodyOf(r).model!.includes('-tts')
}

/** Chat requests that asked for the spoken question's answer (streamed, audio in the last user message). */
export function answerRequests(fake: FakeMimo): LoggedRequest[] {
  return fake.requests.filter((r) => !isTts(r) && bodyOf(r).stream === true && inputAudioUri(r) !== null)
}

export function ttsRequests(fake: FakeMimo): LoggedRequest[] {
  return fake.requests.filter(isTts)
}

/** The spoken question as the service heard it (decoded there): container, length, sample rate. */
export function heardQuestion(r: LoggedRequest): { container: string; durationMs: number; sampleRate: number | undefined } {
  const heard = r.audio?.[0]
  if (!heard) throw new Error('the request carried no audio')
  return { container: heard.container, durationMs: heard.seconds * 1000, sampleRate: heard.sampleRate }
}

/** The WAV inside a data:audio/wav;base64 URI, and its length. */
export function wavOfDataUri(uri: string): { bytes: Buffer; durationMs: number; sampleRate: number } {
  const m = /^data:audio\/wav;base64,(.+)$/s.exec(uri)
  if (!m) throw new Error(`not a WAV data URI: ${uri.slice(0, 40)}…`)
  const bytes = Buffer.from(m[1], 'base64')
  const decoded = decodeWav(bytes)
  return { bytes, durationMs: (decoded.frames / decoded.sampleRate) * 1000, sampleRate: decoded.sampleRate }
}

/** The text a TTS request asked to have spoken. */
export function ttsText(r: LoggedRequest): string {
  return (bodyOf(r).messages ?? [])
    .filter((m) => m.role === 'assistant')
    .map((m) => (typeof m.content === 'string' ? m.content : m.content.map((p) => p.text ?? '').join('')))
    .join(' ')
    .trim()
}

/** RMS of PCM16 in dBFS (-Infinity for digital silence). */
export function rmsDbfs(pcm: Int16Array): number {
  let sum = 0
  for (const s of pcm) sum += s * s
  return 20 * Math.log10(Math.sqrt(sum / Math.max(1, pcm.length)) / 32768)
}
