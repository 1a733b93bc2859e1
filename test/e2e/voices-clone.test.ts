/**
 * Cloning a voice in the built window, in Chromium: Record while speech plays into the virtual
 * microphone (the main process records it), see the quality figures, tick consent, name it, save,
 * preview it, use it, then ask a question: the answer is spoken in the clone and heard on the speaker.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { decodeWav } from '../../src/core/audio/wav'
import { captureMonitor, MIC_RATE, soundSpan, speakIntoMic, SPEAKER_RATE } from '../audio-stack/pulse'
import type { LoggedRequest } from '../fake-mimo/server'
import { screenshot } from './browser'
import { useE2eSession } from './session'
import { bodyOf, rmsDbfs, ttsRequests, ttsText, waitForPhase, wavOfDataUri } from './talk-steps'

/** About 9 s of espeak-ng speech: what the user reads into the microphone. */
const SAMPLE_TEXT =
  'Hello, my name is Alex. I am recording this sample so the assistant can learn how my voice sounds. The quick brown fox jumps over the lazy dog.'
const QUESTION = 'What is the capital of France?'
const REPLY = 'The capital of France is Paris. It is known for the Eiffel Tower.'
const CLONE_MODEL = 'mimo-v2.5-tts-voiceclone'
const exec = promisify(execFile)

const session = useE2eSession({ audio: true, speech: SAMPLE_TEXT, fake: { reply: REPLY }, settings: { firstRunDone: true }, apiKey: 'test-key' })

/** Resolves at the sample recorder's first level reading: the microphone is delivering audio. */
function sampleRecorderRunning(timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off()
      reject(new Error(`the sample recorder gave no level within ${timeoutMs} ms`))
    }, timeoutMs)
    const off = session.host.core.voices.samples.on('level', () => {
      clearTimeout(timer)
      off()
      resolve()
    })
  })
}

const cloneRequests = (): LoggedRequest[] => ttsRequests(session.fake).filter((r) => bodyOf(r).model === CLONE_MODEL)

describe('clone my voice, in the window', () => {
  it('record from the microphone, check, consent, save, preview, use: the answer is spoken in the clone', async () => {
    const { page } = session.app
    await waitForPhase(page, 'idle')
    await page.getByRole('tab', { name: 'Voices' }).click()
    const panel = page.getByRole('region', { name: 'Clone my voice' })
    await panel.getByText('Text to read').scrollIntoViewIfNeeded()

    // Record while the speech plays into the virtual microphone.
    const running = sampleRecorderRunning()
    await panel.getByRole('button', { name: 'Record' }).click()
    await running
    const timer = panel.getByRole('timer', { name: 'Recording time' })
    await timer.waitFor()
    const spoken = speakIntoMic(session.speech)
    await page.waitForTimeout(2500)
    // The meter follows the voice while it is heard.
    const meter = panel.getByRole('meter', { name: 'Recording level' })
    await expect.poll(async () => Number(await meter.getAttribute('aria-valuenow')), { timeout: 5000 }).toBeGreaterThan(-45)
    await page.evaluate("document.querySelector('.clone__controls')?.scrollIntoView({ block: 'start' })")
    await screenshot(page, 'voices-clone-recording')
    await spoken
    await page.waitForTimeout(400)
    const recordedSec = parseFloat((await timer.textContent()) ?? '0')
    expect(recordedSec).toBeGreaterThan(session.speech.length / 2 / MIC_RATE)
    await panel.getByRole('button', { name: 'Stop' }).click()

    // The figures of what was recorded.
    const table = panel.getByRole('table', { name: 'Quality of the sample' })
    await table.waitFor({ timeout: 15_000 })
    const speechSec = session.speech.length / 2 / MIC_RATE
    const lengthRow = table.locator('tr[data-figure="length"]')
    const lengthValue = parseFloat((await lengthRow.locator('td').first().textContent()) ?? '')
    expect(lengthValue).toBeGreaterThan(speechSec - 1.5)
    expect(lengthValue).toBeLessThan(speechSec + 1)
    expect(await lengthRow.locator('td').last().textContent()).toContain('fine')
    for (const figure of ['length', 'clipping', 'loudness', 'silence', 'noise', 'channels', 'size']) {
      expect(await table.locator(`tr[data-figure="${figure}"]`).count(), figure).toBe(1)
    }
    expect(await panel.getByRole('alert').count()).toBe(0)
    expect(await table.locator('tr[data-figure="channels"] td').first().textContent()).toBe('mono, 16000 Hz')
    // Nothing was sent to the service to check it.
    expect(session.fake.requests).toEqual([])
    await page.evaluate("document.querySelector('.clone__source')?.scrollIntoView({ block: 'start' })")
    await screenshot(page, 'voices-clone-figures')

    // Save needs a name and consent.
    const save = panel.getByRole('button', { name: 'Save voice' })
    expect(await save.isDisabled()).toBe(true)
    await panel.getByLabel('Name').fill('My voice')
    expect(await save.isDisabled()).toBe(true)
    await panel.getByRole('checkbox', { name: /This is my voice, or I have the speaker’s permission/ }).check()
    await save.click()
    await panel.getByRole('status').filter({ hasText: 'Saved “My voice”.' }).waitFor()
    const samples = (await readdir(path.join(session.host.dataDir, 'voices'))).filter((f) => f.endsWith('.wav'))
    expect(samples).toHaveLength(1)
    const saved = decodeWav(await readFile(path.join(session.host.dataDir, 'voices', samples[0])))
    expect(saved.channels).toBe(1)
    expect(saved.sampleRate).toBe(16000)

    // Preview it from the list: the clone model, the sample as a WAV data URI in audio.voice.
    const yours = page.getByRole('region', { name: 'Your voices' })
    const previewButton = yours.getByRole('button', { name: 'Preview My voice' })
    await previewButton.click()
    await expect.poll(() => cloneRequests().length, { timeout: 15_000 }).toBe(1)
    await expect.poll(() => previewButton.textContent(), { timeout: 30_000 }).toBe('Preview')
    const preview = bodyOf(cloneRequests()[0])
    expect(preview.audio?.voice).toMatch(/^data:audio\/wav;base64,/)
    const sent = wavOfDataUri(preview.audio!.voice!)
    expect(sent.bytes.equals(await readFile(path.join(session.host.dataDir, 'voices', samples[0])))).toBe(true)
    expect(sent.durationMs / 1000).toBeCloseTo(lengthValue, 0)

    // Use it.
    const radio = yours.getByRole('radio', { name: 'My voice' })
    // The radio follows the settings, which change after the round trip to the main side: click, then wait.
    await radio.click()
    await expect.poll(() => radio.isChecked()).toBe(true)
    expect(session.host.settings.get().voice).toMatchObject({ kind: 'clone' })
    await page.evaluate("document.getElementById('voices-yours')?.scrollIntoView({ block: 'start' })")
    await screenshot(page, 'voices-clone-saved')

    // Ask a question (typed): the answer is synthesised with the clone and reaches the speaker.
    await page.getByRole('tab', { name: 'Talk' }).click()
    const before = session.fake.requests.length
    const capture = await captureMonitor()
    await page.getByLabel('Type a question').fill(QUESTION)
    await page.getByRole('button', { name: 'Ask' }).click()
    await waitForPhase(page, 'speaking', 30_000)
    await waitForPhase(page, 'idle', 60_000)
    await page.waitForTimeout(300)
    const heard = await capture.stop()

    const answerTts = ttsRequests(session.fake).filter((r) => session.fake.requests.indexOf(r) >= before)
    expect(answerTts.length).toBeGreaterThan(0)
    for (const r of answerTts) {
      expect(bodyOf(r).model).toBe(CLONE_MODEL)
      expect(bodyOf(r).audio?.voice).toBe(preview.audio!.voice)
      expect(r.status).toBe(200)
    }
    expect([...new Set(answerTts.map(ttsText))].join(' ')).toBe(REPLY)
    const span = soundSpan(heard, SPEAKER_RATE)
    expect(span, 'nothing was heard on the speaker').not.toBeNull()
    const heardSec = (span!.last - span!.first) / SPEAKER_RATE
    expect(heardSec).toBeGreaterThan(2)
    expect(rmsDbfs(heard.subarray(span!.first, span!.last))).toBeGreaterThan(-40)
    expect(session.app.problems).toEqual([])
  })

  it('import: a text file named .wav is refused before anything is sent; an MP3 gets its figures', async () => {
    const { page } = session.app
    await page.getByRole('tab', { name: 'Voices' }).click()
    const panel = page.getByRole('region', { name: 'Clone my voice' })
    const input = panel.getByLabel('Sample file (WAV or MP3)')
    const sent = session.fake.requests.length

    await input.setInputFiles({ name: 'notes.wav', mimeType: 'audio/wav', buffer: Buffer.from('Shopping list:\n- milk\n- eggs\n'.repeat(20)) })
    const alert = panel.getByRole('alert')
    await alert.waitFor({ timeout: 15_000 })
    expect(await alert.textContent()).toContain("'notes.wav' is not a WAV or MP3 file (it holds text)")
    expect(await panel.getByRole('button', { name: 'Save voice' }).count()).toBe(0)
    expect(await panel.locator('tr[data-figure="length"] td').last().textContent()).toContain('not measured')

    // An MP3 of the same speech as the recording (sox encodes it), chosen as a file on disk. The page reads
    // it lazily (Chromium keeps a reference to the path), so the file stays until its figures are shown.
    const dir = await mkdtemp(path.join(tmpdir(), 'mimo-e2e-mp3-'))
    try {
      const raw = path.join(dir, 'speech.raw')
      const mp3 = path.join(dir, 'speech.mp3')
      await writeFile(raw, session.speech)
      await exec('sox', ['-t', 'raw', '-r', String(MIC_RATE), '-e', 'signed', '-b', '16', '-c', '1', raw, '-r', '44100', '-c', '2', mp3])
      await input.setInputFiles(mp3)
      await panel.getByText('File: speech.mp3').waitFor({ timeout: 15_000 })
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
    const table = panel.getByRole('table', { name: 'Quality of the sample' })
    expect(await table.locator('tr[data-figure="channels"] td').first().textContent()).toBe('2 channels → mono, 44100 Hz')
    const lengthValue = parseFloat((await table.locator('tr[data-figure="length"] td').first().textContent()) ?? '')
    expect(lengthValue).toBeGreaterThan(session.speech.length / 2 / MIC_RATE - 1.5)
    expect(await panel.getByRole('alert').count()).toBe(0)
    expect(await panel.getByRole('button', { name: 'Save voice' }).isDisabled()).toBe(true)
    await panel.getByRole('button', { name: 'Discard' }).click()
    expect(await table.count()).toBe(0)
    expect(session.fake.requests.length).toBe(sent)
    expect(session.app.problems).toEqual([])
  })
})
