/**
 * The first start: a fresh store shows the first-run page; the key is entered, the microphone check
 * shows the level of speech played into the virtual microphone, the findings about this computer are
 * listed, and Start leads to the Talk view.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeMimo, type FakeMimo } from '../fake-mimo/server'
import { ensureAudioStack, makeSpeech, releaseAudioStack, speakIntoMic } from '../audio-stack/pulse'
import { launchChromium, openApp, screenshot, type AppPage } from './browser'
import { startE2eHost, type E2eHost } from './host'
import { QUESTION, waitForPhase } from './talk-steps'

let fake: FakeMimo
let host: E2eHost
let browser: Browser
let app: AppPage
let speech: Buffer

beforeAll(async () => {
  await ensureAudioStack()
  ;[fake, speech, browser] = await Promise.all([
    startFakeMimo(),
    // Long enough to cover a one-second check that starts a little after it.
    makeSpeech(`${QUESTION} And what should I wear outside this afternoon?`),
    launchChromium()
  ])
  // A fresh store; only the service address is set (a custom base URL, here the fake MiMo server).
  host = await startE2eHost({ settings: { baseUrl: fake.url } })
  app = await openApp(browser, host)
})

afterAll(async () => {
  await browser?.close()
  await host?.close()
  await fake?.close()
  await releaseAudioStack()
})

describe('first run', () => {
  it('key, microphone level, findings, then Start opens the Talk view', async () => {
    const { page } = app
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
    expect(host.key.get()).toBe('test-key')
    expect(await start.isEnabled()).toBe(true)

    // The microphone check, while someone speaks.
    const speaking = speakIntoMic(speech)
    await page.getByRole('button', { name: 'Test microphone' }).click()
    const heard = page.getByRole('status').filter({ hasText: /^Heard you \(peak -?\d+ dB\)\.$/ })
    await heard.waitFor({ timeout: 15_000 })
    const level = Number(await page.getByRole('meter', { name: 'Microphone test level' }).getAttribute('aria-valuenow'))
    // Speech, well above the silence floor of the meter (-60 dB).
    expect(level).toBeGreaterThan(-40)
    await speaking

    // Again with the key, and with speech in the microphone: every finding is fine.
    const speakingAgain = speakIntoMic(speech)
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
    expect(host.settings.get().firstRunDone).toBe(true)
    expect(app.problems).toEqual([])
  })
})
