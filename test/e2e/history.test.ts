/**
 * The history in the built window, in Chromium: two spoken turns are kept, the app restarts, the
 * History view lists them as one conversation, a search finds the second, and continuing it sends
 * both as the history of the next question (read from the fake MiMo server's request log).
 */
import { describe, expect, it } from 'vitest'
import { screenshot } from './browser'
import { useE2eSession } from './session'
import { bodyOf, holdAndSpeak, QUESTION, REPLY, waitForPhase } from './talk-steps'

const SECOND_QUESTION = 'Should I take an umbrella this afternoon?'
const SECOND_REPLY = 'No need for an umbrella. The sky stays clear until evening.'
const FOLLOW_UP = 'And what about tomorrow?'

const session = useE2eSession({
  audio: true,
  speech: QUESTION,
  fake: { transcript: QUESTION, reply: REPLY },
  settings: { firstRunDone: true },
  apiKey: 'test-key'
})

async function spokenTurn(n: number, transcript: string, reply: string): Promise<void> {
  const { page } = session.app
  session.fake.setTranscript(transcript)
  session.fake.setReply(reply)
  await waitForPhase(page, 'idle')
  const { capture } = await holdAndSpeak(page, session.host, session.speech)
  const card = page.getByRole('article', { name: `Turn ${n}` })
  await expect.poll(() => card.getByTestId('turn-reply').textContent(), { timeout: 20_000 }).toBe(reply)
  await expect.poll(() => card.getByTestId('turn-question').textContent(), { timeout: 20_000 }).toBe(transcript)
  await waitForPhase(page, 'idle', 60_000)
  await capture.stop()
}

describe('the history in the window', () => {
  it('keeps two spoken turns across a restart, finds the second, and continues the conversation with both', async () => {
    const { page } = session.app
    await spokenTurn(1, QUESTION, REPLY)
    await spokenTurn(2, SECOND_QUESTION, SECOND_REPLY)
    // Both turns (and the second's transcript) are written before the app goes.
    await expect.poll(() => session.host.core.conversations.list().conversations[0]?.turnCount ?? 0, { timeout: 10_000 }).toBe(2)

    await session.host.restart()
    await page.reload()
    await waitForPhase(page, 'idle')

    await page.getByRole('tab', { name: 'History' }).click()
    const today = page.getByRole('region', { name: 'Today' })
    const item = today.getByRole('button', { name: new RegExp(QUESTION.replace(/[?]/g, '\\?')) })
    await item.waitFor()
    expect(await item.textContent()).toContain('2 turns')
    await screenshot(page, 'history-list')

    await page.getByRole('searchbox', { name: 'Search the history' }).fill('umbrella')
    const results = page.getByRole('list', { name: 'Search results' })
    await results.getByRole('button').first().waitFor()
    expect(await results.getByRole('button').count()).toBe(1)
    expect(await results.locator('mark').first().textContent()).toBe('umbrella')
    await screenshot(page, 'history-search')

    await results.getByRole('button').first().click()
    const conversation = page.getByRole('article', { name: QUESTION })
    await conversation.waitFor()
    expect(await conversation.getByTestId('history-reply').allTextContents()).toEqual([REPLY, SECOND_REPLY])
    await screenshot(page, 'history-conversation')

    session.fake.clearRequests()
    session.fake.setReply('Tomorrow brings clouds.')
    await conversation.getByRole('button', { name: 'Continue this conversation' }).click()
    // Back in Talk, with the kept turns shown.
    await page.getByRole('article', { name: 'Turn 2' }).getByTestId('turn-reply').waitFor()
    expect(await page.getByRole('tab', { name: 'Talk' }).getAttribute('aria-selected')).toBe('true')
    await page.getByLabel('Type a question').fill(FOLLOW_UP)
    await page.getByRole('button', { name: 'Ask', exact: true }).click()
    await expect.poll(() => page.getByRole('article', { name: 'Turn 3' }).getByTestId('turn-reply').textContent(), { timeout: 20_000 }).toBe(
      'Tomorrow brings clouds.'
    )

    const asked = session.fake.requests.filter((r) => bodyOf(r).stream === true && !String(bodyOf(r).model).includes('tts'))
    expect(asked).toHaveLength(1)
    const messages = (bodyOf(asked[0]).messages ?? []).filter((m) => m.role !== 'system')
    expect(messages).toEqual([
      { role: 'user', content: QUESTION },
      { role: 'assistant', content: REPLY },
      { role: 'user', content: SECOND_QUESTION },
      { role: 'assistant', content: SECOND_REPLY },
      { role: 'user', content: FOLLOW_UP }
    ])
    // The follow-up went into the same kept conversation.
    await expect.poll(() => session.host.core.conversations.list().conversations.map((c) => c.turnCount), { timeout: 10_000 }).toEqual([3])
    expect(session.app.problems).toEqual([])
  })
})
