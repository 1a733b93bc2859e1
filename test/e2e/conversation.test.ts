/**
 * The hands-free conversation in the built window, in Chromium: the button starts it, the indicator
 * shows where it is the whole time, a question spoken into the virtual microphone is answered with
 * no key, and Esc ends it. The tray follows too.
 */
import { describe, expect, it } from 'vitest'
import { MIC_RATE, silence, speakIntoMic } from '../audio-stack/pulse'
import { screenshot } from './browser'
import { useE2eSession } from './session'
import { QUESTION, REPLY } from './talk-steps'

const session = useE2eSession({
  audio: true,
  speech: QUESTION,
  fake: { transcript: QUESTION, reply: REPLY },
  settings: { firstRunDone: true, dictationKeepMicOpen: false },
  apiKey: 'test-key'
})

describe('a hands-free conversation in the window', () => {
  it('the button starts it, a spoken question is answered without a key, the indicator shows each phase, Esc ends it', async () => {
    const { page } = session.app
    const toggle = page.getByTestId('conversation-toggle')
    await toggle.click()
    const indicator = page.getByTestId('conversation-indicator')
    await expect.poll(() => indicator.getAttribute('data-phase'), { timeout: 10_000 }).toBe('listening')
    expect(await indicator.textContent()).toContain('Say "goodbye", press Esc or click End conversation.')
    expect(session.host.tray.at(-1)?.icon).toBe('conversation')
    // The microphone delivers before anything is said.
    await new Promise<void>((resolve) => {
      const off = session.host.core.conversation.on('level', () => {
        off()
        resolve()
      })
    })

    const speaking = speakIntoMic(Buffer.concat([session.speech, silence(1500, MIC_RATE)]))
    await expect.poll(() => indicator.getAttribute('data-phase'), { timeout: 10_000 }).toBe('hearing')
    await screenshot(page, 'conversation-hearing')
    await speaking
    await expect.poll(() => indicator.getAttribute('data-phase'), { timeout: 10_000 }).toBe('answering')
    const card = page.getByRole('article', { name: 'Turn 1' })
    await expect.poll(() => card.getByTestId('turn-reply').textContent(), { timeout: 15_000 }).toBe(REPLY)
    await screenshot(page, 'conversation-answering')
    // Listening again once the answer has been spoken.
    await expect.poll(() => indicator.getAttribute('data-phase'), { timeout: 60_000 }).toBe('listening')
    expect(await card.getByTestId('turn-question').textContent()).toBe(QUESTION)

    await page.keyboard.press('Escape')
    await expect.poll(() => page.getByTestId('conversation-indicator').count()).toBe(0)
    expect(await toggle.textContent()).toBe('Start conversation')
    expect(session.host.core.conversation.state()).toMatchObject({ phase: 'off', ended: 'user', turns: 1 })
    expect(session.host.tray.at(-1)?.icon).toBe('idle')
  })
})
