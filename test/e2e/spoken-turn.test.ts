/**
 * A whole spoken turn in the built window, in Chromium: hold the talk button, speak into the virtual
 * microphone, let go; the transcript and the answer appear, and the answer is heard on the speaker.
 */
import { describe, expect, it } from 'vitest'
import { SAMPLE_RATE, synthesize } from '../fake-mimo/speech'
import { MIC_RATE, soundSpan, SPEAKER_RATE, speakIntoMic } from '../audio-stack/pulse'
import { screenshot } from './browser'
import { useE2eSession } from './session'
import {
  answerRequests,
  bodyOf,
  holdAndSpeak,
  phaseBadge,
  QUESTION,
  REPLY,
  rmsDbfs,
  ttsRequests,
  ttsText,
  recorderRunning,
  waitForPhase,
  heardQuestion
} from './talk-steps'

const session = useE2eSession({
  audio: true,
  speech: QUESTION,
  fake: { transcript: QUESTION, reply: REPLY },
  settings: { firstRunDone: true },
  apiKey: 'test-key'
})

describe('a spoken turn in the window', () => {
  it('hold, speak, let go: transcript and answer shown, the answer heard on the speaker', async () => {
    const { page } = session.app
    await waitForPhase(page, 'idle')
    await expect.poll(() => page.getByRole('log', { name: 'Conversation' }).getAttribute('aria-busy')).toBe('false')
    await screenshot(page, 'talk-idle')

    const speechMs = (session.speech.length / 2 / MIC_RATE) * 1000
    const { capture } = await holdAndSpeak(page, session.host, session.speech, async () => {
      // Mid-sentence: the meter shows the voice.
      await page.waitForTimeout(Math.min(1200, speechMs / 2))
      await screenshot(page, 'talk-recording')
    })

    const card = page.getByRole('article', { name: 'Turn 1' })
    await waitForPhase(page, 'speaking')
    await expect.poll(() => card.getByTestId('turn-reply').textContent(), { timeout: 15_000 }).toBe(REPLY)
    await expect.poll(() => card.getByTestId('turn-question').textContent(), { timeout: 15_000 }).toBe(QUESTION)
    await screenshot(page, 'talk-speaking')
    await waitForPhase(page, 'idle', 60_000)
    await page.waitForTimeout(300)
    const heard = await capture.stop()
    expect(await phaseBadge(page).textContent()).toBe('Ready')

    // What was sent: the recording as a WAV data URI, about as long as the speech, thinking off.
    const answers = answerRequests(session.fake)
    expect(answers).toHaveLength(1)
    const answer = answers[0]
    expect(bodyOf(answer).thinking).toEqual({ type: 'disabled' })
    // Sent compact: an MP3 encoded while recording, decoded by the service.
    const question = heardQuestion(answer)
    expect(question.container).toBe('mp3')
    expect(question.sampleRate).toBe(16000)
    expect(question.durationMs).toBeGreaterThan(speechMs)
    expect(question.durationMs).toBeLessThan(speechMs + 3000)

    // The answer was spoken with the built-in TTS model, streamed as PCM16.
    const tts = ttsRequests(session.fake)
    expect(tts.length).toBeGreaterThan(0)
    for (const r of tts) {
      expect(bodyOf(r).model).toBe('mimo-v2.5-tts')
      expect(bodyOf(r).audio?.format).toBe('pcm16')
      expect(bodyOf(r).stream).toBe(true)
    }
    const sentences = [...new Set(tts.filter((r) => r.completed).map(ttsText))]
    expect(sentences.join(' ')).toBe(REPLY)

    // What was heard on the speaker: speech, about as long as what the fake synthesised.
    const voice = bodyOf(tts[0]).audio?.voice ?? 'mimo_default'
    const synthesised = await Promise.all(sentences.map((s) => synthesize(s, { key: `builtin:${voice}` })))
    const expectedMs = (synthesised.reduce((n, b) => n + b.length, 0) / 2 / SAMPLE_RATE) * 1000
    const span = soundSpan(heard, SPEAKER_RATE)
    expect(span, 'nothing was heard on the speaker').not.toBeNull()
    const heardMs = ((span!.last - span!.first) / SPEAKER_RATE) * 1000
    const heardDb = rmsDbfs(heard.subarray(span!.first, span!.last))
    console.log(
      `spoken turn: question ${Math.round(speechMs)} ms, sent ${Math.round(question.durationMs)} ms of audio (MP3); ` +
        `answer synthesised ${Math.round(expectedMs)} ms, heard ${Math.round(heardMs)} ms at ${heardDb.toFixed(1)} dBFS`
    )
    expect(heardDb).toBeGreaterThan(-40)
    expect(heardMs).toBeGreaterThan(expectedMs * 0.8)
    expect(heardMs).toBeLessThan(expectedMs + 2000)

    expect(session.app.problems).toEqual([])
  })

  it('a quick tap keeps recording; the next tap sends it', async () => {
    const { page } = session.app
    await waitForPhase(page, 'idle')
    const calls = session.host.bridge.calls.length
    const button = page.getByRole('button', { name: 'Push to talk' })
    const running = recorderRunning(session.host)
    await button.click({ delay: 50 })
    await waitForPhase(page, 'recording', 5000)
    await running
    await speakIntoMic(session.speech)
    // Still recording after the tap's let-go and the whole question.
    expect(await phaseBadge(page).getAttribute('data-phase')).toBe('recording')
    await button.click({ delay: 50 })
    await waitForPhase(page, 'thinking', 5000)
    const card = page.getByRole('article', { name: 'Turn 2' })
    await expect.poll(() => card.getByTestId('turn-reply').textContent(), { timeout: 15_000 }).toBe(REPLY)
    // Heard enough: Stop silences the answer at once.
    await waitForPhase(page, 'speaking')
    await page.getByRole('button', { name: 'Stop speaking' }).click()
    await waitForPhase(page, 'idle', 5000)
    await card.getByText('Stopped', { exact: true }).waitFor()

    const sent = session.host.bridge.calls.slice(calls).map((c) => c.channel).filter((c) => /^assistant:(press|release|toggle)$/.test(c))
    expect(sent).toEqual(['assistant:press', 'assistant:release'])
    const answers = answerRequests(session.fake)
    expect(answers).toHaveLength(2)
    // Recording began at the first tap: the whole question is in it.
    expect(heardQuestion(answers[1]).durationMs).toBeGreaterThan((session.speech.length / 2 / MIC_RATE) * 1000)
    expect(session.app.problems).toEqual([])
  })
})
