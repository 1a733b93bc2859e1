import { screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { ConversationDetail, ConversationSummary } from '../../src/shared/history'
import { FakeApi } from './fake-api'
import { openTab, renderApp } from './render-app'

const DAY = 86_400_000
const now = Date.now()

const summaries: ConversationSummary[] = [
  { id: 2, title: 'Should I take an umbrella?', renamed: false, startedAt: now - 60_000, updatedAt: now - 60_000, turnCount: 2 },
  { id: 1, title: null, renamed: false, startedAt: now - 3 * DAY, updatedAt: now - 3 * DAY, turnCount: 1 }
]

const detail: ConversationDetail = {
  ...summaries[0],
  turns: [
    {
      id: 11, conversationId: 2, startedAt: now - 120_000, input: 'voice', question: 'What is the weather like?', fileName: null,
      reply: 'Sunny all day.', spoken: 'Sunny all day.', status: 'done', voice: 'mimo_default', model: 'mimo-v2.5',
      timings: {}, usage: null, sources: [], searchError: null, toolCalls: [], error: null, audio: { question: false, answer: true }
    },
    {
      id: 12, conversationId: 2, startedAt: now - 60_000, input: 'text', question: 'Should I take an umbrella?', fileName: null,
      reply: 'No need for an umbrella.', spoken: 'No need', status: 'stopped', voice: 'mimo_default', model: 'mimo-v2.5',
      timings: {}, usage: null, sources: [], searchError: null, toolCalls: [], error: null, audio: { question: false, answer: false }
    }
  ]
}

function fakeWithHistory(): FakeApi {
  const fake = new FakeApi()
  fake.answer('history:status', () => ({ path: '/data/history/history.db', available: true }))
  fake.answer('history:list', () => ({ conversations: summaries, next: null }))
  fake.answer('history:get', () => detail)
  fake.answer('history:search', () => [
    {
      turnId: 12, conversationId: 2, conversationTitle: 'Should I take an umbrella?', startedAt: now - 60_000,
      question: { text: 'Should I take an umbrella?', match: { start: 17, length: 8 } },
      answer: { text: 'No need for an umbrella.', match: { start: 15, length: 8 } }
    }
  ])
  fake.answer('history:continue', () => ({ state: { phase: 'idle' }, turns: [] }))
  fake.answer('history:replay', () => ({ durationMs: 1200 }))
  return fake
}

describe('history view', () => {
  it('lists conversations by day, searches, opens one, replays kept audio and continues it in Talk', async () => {
    const { fake, user } = renderApp(fakeWithHistory())
    await openTab(user, 'History')
    const today = await screen.findByRole('region', { name: 'Today' })
    expect(within(today).getByRole('button', { name: /Should I take an umbrella\?.*2 turns/ })).toBeVisible()
    // A spoken question never transcribed still has a title.
    expect(screen.getByRole('button', { name: /\(a spoken question\).*1 turn/ })).toBeVisible()

    await user.type(screen.getByRole('searchbox', { name: 'Search the history' }), 'umbrella')
    const results = await screen.findByRole('list', { name: 'Search results' })
    expect(fake.callsTo('history:search').at(-1)!.payload).toEqual({ text: 'umbrella' })
    expect(within(results).getAllByText('umbrella', { selector: 'mark' })).toHaveLength(2)

    await user.click(within(results).getByRole('button'))
    const article = await screen.findByRole('article', { name: 'Should I take an umbrella?' })
    expect(within(article).getAllByTestId('history-reply').map((e) => e.textContent)).toEqual(['Sunny all day.', 'No need for an umbrella.'])
    expect(within(article).getByText('Interrupted. Heard: “No need”')).toBeVisible()

    await user.click(within(article).getByRole('button', { name: 'Replay the answer' }))
    expect(fake.callsTo('history:replay').map((c) => c.payload)).toEqual([{ turnId: 11, part: 'answer' }])

    const snapshots = fake.callsTo('assistant:snapshot').length
    await user.click(within(article).getByRole('button', { name: 'Continue this conversation' }))
    expect(fake.callsTo('history:continue').map((c) => c.payload)).toEqual([{ id: 2 }])
    await waitFor(() => expect(screen.getByRole('tab', { name: 'Talk' })).toHaveAttribute('aria-selected', 'true'))
    // The talk view reads the assistant's conversation again: now the continued one.
    await waitFor(() => expect(fake.callsTo('assistant:snapshot').length).toBeGreaterThan(snapshots))
  })

  it('renames, deletes after a confirmation, and exports', async () => {
    const { fake, user } = renderApp(fakeWithHistory())
    fake.answer('history:rename', () => ({ ...summaries[0], title: 'Umbrella', renamed: true }))
    fake.answer('history:delete', () => null)
    fake.answer('history:export', () => ({ path: '/home/me/Downloads/mimo-voice-Umbrella.md', conversations: 1, turns: 2 }))
    await openTab(user, 'History')
    await user.click(await screen.findByRole('button', { name: /Should I take an umbrella\?/ }))
    const article = await screen.findByRole('article', { name: 'Should I take an umbrella?' })

    await user.click(within(article).getByRole('button', { name: 'Rename' }))
    await user.type(within(article).getByRole('textbox', { name: 'Conversation name' }), 'Umbrella')
    await user.click(within(article).getByRole('button', { name: 'Save name' }))
    expect(fake.callsTo('history:rename').map((c) => c.payload)).toEqual([{ id: 2, title: 'Umbrella' }])

    await user.click(within(article).getByRole('button', { name: 'Markdown' }))
    expect(fake.callsTo('history:export').map((c) => c.payload)).toEqual([{ id: 2, format: 'md' }])
    expect(await screen.findByText('Saved 1 conversations to /home/me/Downloads/mimo-voice-Umbrella.md')).toBeVisible()

    await user.click(within(article).getByRole('button', { name: 'Delete' }))
    expect(fake.callsTo('history:delete')).toEqual([])
    const confirm = screen.getByRole('group', { name: 'Delete this conversation, with its audio?' })
    await user.click(within(confirm).getByRole('button', { name: 'Delete' }))
    expect(fake.callsTo('history:delete').map((c) => c.payload)).toEqual([{ id: 2 }])
    expect(await screen.findByRole('region', { name: 'Today' })).toBeVisible()
  })

  it('turns incognito, keep audio and retention on in the settings, and shows a problem the app reports', async () => {
    const { fake, user } = renderApp(fakeWithHistory())
    await openTab(user, 'History')
    await user.click(await screen.findByRole('checkbox', { name: /Incognito/ }))
    await user.click(screen.getByRole('checkbox', { name: /Keep audio/ }))
    await user.selectOptions(screen.getByRole('combobox', { name: 'Keep conversations' }), 'for 30 days')
    expect(fake.callsTo('settings:update').map((c) => c.payload)).toEqual([{ incognito: true }, { keepAudio: true }, { historyRetention: 'month' }])
    expect(await screen.findByText('Incognito is on: nothing you ask now is kept.')).toBeVisible()

    fake.emit('history:problem', { kind: 'internal', message: 'The history file was damaged. It was set aside as history.db.damaged-x and a new one started.' })
    expect(await screen.findByText(/^History: The history file was damaged/)).toBeVisible()
  })
})
