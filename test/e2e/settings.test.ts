/**
 * Settings survive a restart: changed in the window, saved through the real handlers into the conf
 * store, read back by new services after a restart. An invalid shortcut is refused inline and
 * nothing is saved.
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { screenshot } from './browser'
import { useE2eSession } from './session'
import { waitForPhase } from './talk-steps'

const STYLE = 'calm and warm, a little slower'
const QUICK = 'How long does it take to boil an egg?'

// No audio stack: nothing here goes through the microphone or the speaker.
const session = useE2eSession({ settings: { firstRunDone: true }, apiKey: 'test-key' })

const updates = () => session.host.bridge.calls.filter((c) => c.channel === 'settings:update').length

async function storedSettings(): Promise<Record<string, unknown>> {
  const doc = JSON.parse(await readFile(path.join(session.host.dataDir, 'config.json'), 'utf8')) as { settings: Record<string, unknown> }
  return doc.settings
}

describe('settings in the window', () => {
  it('voice, speaking style, shortcut mode and a quick question are saved and still there after a restart', async () => {
    const { page } = session.app
    await waitForPhase(page, 'idle')

    // The voice is chosen in its own view, and saved at once.
    await page.getByRole('tab', { name: 'Voices' }).click()
    // The radio follows the saved setting, so it shows checked once the app has saved it.
    const chloe = page.getByRole('radio', { name: 'Chloe' })
    await chloe.click()
    await expect.poll(() => chloe.isChecked()).toBe(true)
    expect(session.host.settings.get().voice).toEqual({ kind: 'builtin', id: 'Chloe' })
    await page.getByRole('region', { name: 'Built-in voices' }).getByText('Chloe').scrollIntoViewIfNeeded()
    await page.evaluate('window.scrollTo(0, 0)')
    await screenshot(page, 'voices')

    await page.getByRole('tab', { name: 'Settings' }).click()
    await page.getByLabel('Speaking style').fill(STYLE)
    await page.getByLabel('Shortcut mode').selectOption('hold')
    await page.getByRole('button', { name: 'Add a question' }).click()
    const questions = page.getByRole('textbox', { name: /^Quick question \d+$/ })
    const count = await questions.count()
    await page.getByRole('textbox', { name: `Quick question ${count}` }).fill(QUICK)
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor()

    const saved = await storedSettings()
    expect(saved.speakingStyle).toBe(STYLE)
    expect(saved.hotkeyMode).toBe('hold')
    expect(saved.voice).toEqual({ kind: 'builtin', id: 'Chloe' })
    expect((saved.quickQuestions as string[]).at(-1)).toBe(QUICK)

    // A restart: new services over the same store, and the window loads again.
    await session.host.restart()
    await page.reload()
    await waitForPhase(page, 'idle')
    await page.getByRole('button', { name: QUICK }).waitFor()
    await page.getByRole('tab', { name: 'Settings' }).click()
    expect(await page.getByLabel('Speaking style').inputValue()).toBe(STYLE)
    expect(await page.getByLabel('Shortcut mode').inputValue()).toBe('hold')
    expect(await page.getByRole('textbox', { name: `Quick question ${count}` }).inputValue()).toBe(QUICK)
    expect(await page.getByTestId('hotkey-status').textContent()).toBe('Now: Ctrl+Alt+Space, Hold to talk')
    await page.evaluate('window.scrollTo(0, 0)')
    await screenshot(page, 'settings')
    await page.getByRole('tab', { name: 'Voices' }).click()
    expect(await page.getByRole('radio', { name: 'Chloe' }).isChecked()).toBe(true)
    expect(session.app.problems).toEqual([])
  })

  it('an invalid shortcut is refused inline, and nothing of the form is saved', async () => {
    const { page } = session.app
    await page.getByRole('tab', { name: 'Settings' }).click()
    const before = await storedSettings()
    const sentBefore = updates()

    await page.getByLabel('Speaking style').fill('shouting')
    const hotkey = page.getByRole('textbox', { name: 'Shortcut', exact: true })
    await hotkey.fill('Ctrl+Alt+Banana')
    expect(await hotkey.getAttribute('aria-invalid')).toBe('true')
    const describedBy = await hotkey.getAttribute('aria-describedby')
    const inline = page.locator(`[id="${describedBy}"]`)
    expect((await inline.textContent())?.trim()).not.toBe('')

    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await page.getByRole('alert').filter({ hasText: 'Fix the marked fields first: nothing was saved.' }).waitFor()
    // Focus goes to the field to fix.
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe(await hotkey.getAttribute('id'))
    await hotkey.evaluate((el) => el.scrollIntoView({ block: 'center' }))
    await screenshot(page, 'settings-invalid-hotkey')
    expect(updates()).toBe(sentBefore)
    expect(await storedSettings()).toEqual(before)
    expect(session.host.settings.get().speakingStyle).toBe(STYLE)
    expect(session.app.problems).toEqual([])
  })
})
