/**
 * A wrong API key: the spoken question fails with the client's 401 message, the recording is kept,
 * and once the key is fixed Retry sends the same recording again and the answer is spoken.
 */
import { describe, expect, it } from 'vitest'
import { userMessageForStatus } from '../../src/core/mimo/errors'
import { captureMonitor, soundSpan, SPEAKER_RATE } from '../audio-stack/pulse'
import { screenshot } from './browser'
import { useE2eSession } from './session'
import { answerRequests, holdAndSpeak, inputAudioUri, QUESTION, REPLY, rmsDbfs, ttsRequests, waitForPhase } from './talk-steps'

// The key is wrong from the start; the test fixes it in Settings.
const session = useE2eSession({
  audio: true,
  speech: QUESTION,
  fake: { transcript: QUESTION, reply: REPLY },
  settings: { firstRunDone: true },
  apiKey: 'sk-wrong-key-0000'
})

describe('a wrong key', () => {
  it('fails with the 401 message, keeps the recording, and Retry sends it again once the key is fixed', async () => {
    const { page } = session.app
    await waitForPhase(page, 'idle')
    const first = await holdAndSpeak(page, session.host, session.speech)
    await first.capture.stop()

    // The client's own words for a refused key on the main host.
    const message = userMessageForStatus(401, {}, { baseUrl: session.fake.url, tokenPlanKey: false })
    expect(message).toMatch(/^MiMo at 127\.0\.0\.1:\d+ did not accept the API key\. Check the key in Settings/)
    await waitForPhase(page, 'error')
    const failed = page.getByRole('article', { name: 'Turn 1' })
    await expect.poll(() => failed.getByRole('alert').textContent()).toContain(message)
    const retry = failed.getByRole('button', { name: 'Retry' })
    expect(await retry.isEnabled()).toBe(true)
    await screenshot(page, 'talk-error')

    const refused = answerRequests(session.fake)
    expect(refused).toHaveLength(1)
    expect(refused[0].status).toBe(401)
    expect(ttsRequests(session.fake)).toHaveLength(0)

    // Fix the key in Settings, as the message says.
    await page.getByRole('tab', { name: 'Settings' }).click()
    await page.getByLabel('New API key').fill('test-key')
    await page.getByRole('button', { name: 'Replace key' }).click()
    await expect.poll(() => page.getByTestId('key-status').first().textContent()).toBe('Set, ending in …-key')
    expect(session.host.key.get()).toBe('test-key')

    await page.getByRole('tab', { name: 'Talk' }).click()
    const capture = await captureMonitor()
    await retry.click()
    const again = page.getByRole('article', { name: 'Turn 2' })
    await expect.poll(() => again.getByTestId('turn-reply').textContent(), { timeout: 15_000 }).toBe(REPLY)
    await waitForPhase(page, 'speaking')
    await waitForPhase(page, 'idle', 60_000)
    await page.waitForTimeout(300)
    const heard = await capture.stop()

    // The same recording went out again, and this time it was answered.
    const sent = answerRequests(session.fake)
    expect(sent).toHaveLength(2)
    expect(sent[1].status).toBe(200)
    expect(inputAudioUri(sent[1])).toBe(inputAudioUri(sent[0]))
    expect(await failed.getByRole('button', { name: 'Retry' }).count()).toBe(0)

    const span = soundSpan(heard, SPEAKER_RATE)
    expect(span, 'the answer was not heard on the speaker').not.toBeNull()
    expect(rmsDbfs(heard.subarray(span!.first, span!.last))).toBeGreaterThan(-40)
    expect((span!.last - span!.first) / SPEAKER_RATE).toBeGreaterThan(2)
    expect(session.app.problems).toEqual([])
  })
})
