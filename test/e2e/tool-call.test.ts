/**
 * A spoken "set a timer" in the built window, in Chromium: the model asks for the set_timer tool,
 * the call shows in the turn card with its arguments and result, the timer is listed, and the
 * window cancels it.
 */
import { describe, expect, it } from 'vitest'
import { screenshot } from './browser'
import { useE2eSession } from './session'
import { answerRequests, bodyOf, holdAndSpeak, ttsRequests, ttsText, waitForPhase } from './talk-steps'
import { ManualClock } from '../core/tools/manual-clock'
import { until } from '../until'

const QUESTION = 'Set a timer for ten minutes.'

const clock = new ManualClock(Date.now())
const session = useE2eSession({
  audio: true,
  clock,
  speech: QUESTION,
  fake: { transcript: QUESTION },
  settings: { firstRunDone: true },
  apiKey: 'test-key'
})

describe('a tool call in the window', () => {
  it('a spoken "set a timer": the call in the turn card, the timer listed, cancelled from the window', async () => {
    const { page } = session.app
    await waitForPhase(page, 'idle')
    await holdAndSpeak(page, session.host, session.speech)

    const card = page.getByRole('article', { name: 'Turn 1' })
    const call = card.getByTestId('tool-call')
    await call.and(page.locator('[data-status="done"]')).waitFor({ timeout: 30_000 })
    expect(await call.locator('.tool-call__name').textContent()).toBe('set_timer')
    expect(await call.getByLabel('Arguments').textContent()).toBe('{"seconds":600,"label":"Timer"}')
    expect(JSON.parse((await call.getByTestId('tool-call-result').textContent())!)).toMatchObject({ set: { label: 'Timer', kind: 'timer', remaining: '10 minutes' } })
    await waitForPhase(page, 'idle', 60_000)
    expect(await card.getByTestId('turn-reply').textContent()).toContain('The set_timer tool says')

    // The request offered the built-in tools; the follow-up answered the call by its id.
    const [first] = answerRequests(session.fake)
    const offered = ((first.body as { tools?: Array<{ function?: { name: string } }> }).tools ?? []).map((t) => t.function?.name)
    expect(offered).toEqual(expect.arrayContaining(['set_timer', 'list_timers', 'cancel_timer', 'get_current_time']))
    const followUp = session.fake.requests.find((r) => (bodyOf(r).messages ?? []).some((m) => m.role === 'tool'))
    expect(followUp).toBeDefined()

    // The history keeps the call with the turn.
    const kept = () => {
      const [c] = session.host.core.conversations.list().conversations
      return c ? session.host.core.conversations.get(c.id).turns[0]?.toolCalls ?? [] : []
    }
    await until(() => kept().length === 1, { what: 'the turn to be kept', timeoutMs: 10_000 })
    expect(kept()[0]).toMatchObject({ tool: 'set_timer', status: 'done', arguments: '{"seconds":600,"label":"Timer"}' })

    const timers = page.getByRole('region', { name: 'Timers' })
    await timers.getByTestId('timer').first().waitFor()
    expect(await timers.getByTestId('timer').count()).toBe(1)
    expect(session.host.core.tools.timers()).toHaveLength(1)
    expect(session.host.tray.at(-1)!.menu.find((i) => i.id === 'timers')?.submenu?.map((i) => i.label)).toEqual([expect.stringMatching(/^Cancel Timer \(\d\d:\d\d\)$/)])
    await call.evaluate((el) => el.scrollIntoView({ block: 'start' }))
    await screenshot(page, 'talk-tool-call')

    await timers.getByRole('button', { name: 'Cancel Timer' }).click()
    await timers.waitFor({ state: 'detached' })
    expect(session.host.core.tools.timers()).toEqual([])
    // The tray followed: its menu no longer offers the timer.
    const menu = session.host.tray.at(-1)!.menu
    expect(menu.some((i) => i.id === 'timers')).toBe(false)
    expect(session.app.problems).toEqual([])
  })

  it('a timer set by voice goes off after a restart of the host: a notification, and the alert spoken', async () => {
    const { page } = session.app
    await waitForPhase(page, 'idle')
    await holdAndSpeak(page, session.host, session.speech)
    await page.getByRole('article', { name: 'Turn 2' }).getByTestId('tool-call').and(page.locator('[data-status="done"]')).waitFor({ timeout: 30_000 })
    await waitForPhase(page, 'idle', 60_000)
    expect(session.host.core.tools.timers()).toHaveLength(1)

    await session.host.restart()
    session.fake.clearRequests()
    expect(session.host.core.tools.timers()).toHaveLength(1)
    clock.advance(9 * 60_000)
    expect(session.host.notifications.filter((n) => n.title === 'Timer done')).toEqual([])
    clock.advance(60_000)
    expect(session.host.notifications.filter((n) => n.title === 'Timer done')).toEqual([{ title: 'Timer done', body: 'Timer' }])
    await until(() => ttsRequests(session.fake).some((r) => r.completed && ttsText(r) === 'Your timer is done.'), { what: 'the spoken alert', timeoutMs: 15_000 })
    expect(session.host.core.tools.timers()).toEqual([])
  })
})
