/**
 * The first start: a fresh store shows the first-run page; the key is entered, the microphone check
 * shows the level of speech played into the virtual microphone, the findings about this computer are
 * listed, and Start leads to the Talk view.
 */
import { describe, expect, it } from 'vitest'
import { speakIntoMic } from '../audio-stack/pulse'
import { screenshot } from './browser'
import { useE2eSession } from './session'
import { QUESTION, waitForPhase } from './talk-steps'

// A fresh store: no key, first run not done; only the service address is set (a custom base URL,
// here the fake MiMo server).
const session = useE2eSession({
  audio: true,
  // Long enough to cover a one-second check that starts a little after it.
  speech: `${QUESTION} And what should I wear outside this afternoon?`
})

describe('first run', () => {
  it('key, microphone level, findings, then Start opens the Talk view', async () => {
    const { page } = session.app
    await page.getByRole('heading', { name: 'Welcome to MiMo Voice' }).waitFor()
    expect(await page.getByRole('tab').count()).toBe(0)
    const start = page.getByRole('button', { name: 'Start' })
    expect(await start.isDisabled()).toBe(true)

    // The findings come by themselves on arrival; without a key that one is a problem.
    const findings = page.getByRole('list', { name: 'Findings' })
    const finding = (label: string) => findings.getByRole('listitem').filter({ hasText: label })
    await expect.poll(() => finding('API key').textContent(), { timeout: 20_000 }).toContain('(problem)')
    await page.getByRole('button', { name: 'Check again' }).and(page.locator(':enabled')).waitFor({ timeout: 20_000 })
    await screenshot(page, 'first-run-welcome')

    await page.getByLabel('API key', { exact: true }).fill('test-key')
    await page.getByRole('button', { name: 'Save key' }).click()
    await expect.poll(() => page.getByTestId('key-status').textContent()).toBe('Set, ending in …-key')
    expect(session.host.key.get()).toBe('test-key')
    expect(await start.isEnabled()).toBe(true)

    // The microphone check, while someone speaks.
    const speaking = speakIntoMic(session.speech)
    await page.getByRole('button', { name: 'Test microphone' }).click()
    const heard = page.getByRole('status').filter({ hasText: /^Heard you \(peak -?\d+ dB\)\.$/ })
    await heard.waitFor({ timeout: 15_000 })
    const level = Number(await page.getByRole('meter', { name: 'Microphone test level' }).getAttribute('aria-valuenow'))
    // Speech, well above the silence floor of the meter (-60 dB).
    expect(level).toBeGreaterThan(-40)
    await speaking

    // Again with the key, and with speech in the microphone: every finding is fine.
    const speakingAgain = speakIntoMic(session.speech)
    await page.getByRole('button', { name: 'Check again' }).click()
    await expect.poll(() => finding('API key').textContent(), { timeout: 20_000 }).toContain('(fine)')
    await page.getByRole('button', { name: 'Check again' }).and(page.locator(':enabled')).waitFor({ timeout: 20_000 })
    await speakingAgain
    for (const label of ['API key', 'MiMo API', 'Recorder', 'Player', 'Microphone', 'Playback']) {
      expect(await finding(label).textContent(), label).toContain('(fine)')
    }
    await screenshot(page, 'first-run-ready', { fullPage: true })

    await start.click()
    await page.getByRole('tab', { name: 'Talk' }).waitFor()
    await waitForPhase(page, 'idle')
    expect(await page.getByRole('button', { name: 'Push to talk' }).isVisible()).toBe(true)
    expect(session.host.settings.get().firstRunDone).toBe(true)
    expect(session.app.problems).toEqual([])
  })
})
