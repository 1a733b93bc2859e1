import { act, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { TurnView } from '../../src/shared/assistant'
import { FakeApi } from './fake-api'
import { openTab, renderApp, talkButton } from './render-app'

const turn = (over: Partial<TurnView>): TurnView =>
  ({ id: 't1', input: 'text', question: 'Delete the old notes', reply: '', spoken: '', sources: [], status: 'thinking', timings: {}, startedAt: '2026-12-01T00:00:00.000Z', ...over }) as TurnView

describe('tools in the window', () => {
  it('a turn card shows each call: tool, arguments, result or error, time; a call waiting for a yes has Allow and Refuse', async () => {
    const { fake, user } = renderApp()
    await talkButton()
    act(() =>
      fake.emit(
        'assistant:turn',
        turn({
          toolCalls: [
            { id: 'call_1', round: 1, tool: 'list_directory', server: 'files', arguments: '{"path":"/notes"}', status: 'done', result: 'old.txt\nnew.txt', durationMs: 42 },
            { id: 'call_2', round: 2, tool: 'move_file', server: 'files', arguments: '{"source":"old.txt"}', status: 'error', error: 'Access denied', durationMs: 7 },
            { id: 'call_3', round: 2, tool: 'write_file', server: 'files', arguments: '{"path":"old.txt"}', status: 'confirm' }
          ]
        })
      )
    )
    const calls = within(screen.getByRole('list', { name: 'Tool calls' })).getAllByTestId('tool-call')
    expect(calls.map((c) => c.getAttribute('data-status'))).toEqual(['done', 'error', 'confirm'])
    expect(calls[0]).toHaveTextContent('files › list_directory')
    expect(calls[0]).toHaveTextContent('{"path":"/notes"}')
    expect(within(calls[0]).getByTestId('tool-call-result')).toHaveTextContent('old.txt new.txt')
    expect(calls[0]).toHaveTextContent('42 ms')
    expect(calls[1]).toHaveTextContent('Access denied')
    await user.click(within(calls[2]).getByRole('button', { name: 'Allow' }))
    expect(fake.calls.filter((c) => c.channel === 'tools:confirm').map((c) => c.payload)).toEqual([{ callId: 'call_3', allow: true }])
  })

  it('lists the timers and cancels one from the window', async () => {
    const fake = new FakeApi()
    fake.timers = [
      { id: 'a1b2c3', kind: 'timer', label: 'Tea', dueAt: '2026-12-01T07:10:00.000Z', createdAt: '2026-12-01T07:00:00.000Z' },
      { id: 'd4e5f6', kind: 'reminder', label: 'Call the dentist', dueAt: '2026-12-01T08:00:00.000Z', createdAt: '2026-12-01T07:00:00.000Z' }
    ]
    const { user } = renderApp(fake)
    const panel = await screen.findByRole('region', { name: 'Timers' })
    expect(within(panel).getAllByTestId('timer').map((t) => t.firstChild?.textContent)).toEqual(['Tea', 'Call the dentist'])
    await user.click(within(panel).getByRole('button', { name: 'Cancel Tea' }))
    await waitFor(() => expect(within(panel).getAllByTestId('timer')).toHaveLength(1))
    expect(fake.calls.find((c) => c.channel === 'tools:cancel-timer')?.payload).toEqual({ id: 'a1b2c3' })
  })

  it('settings: built-in tools switch off; an mcpServers document is saved through its own call', async () => {
    const { fake, user } = renderApp()
    await openTab(user, 'Settings')
    await user.click(screen.getByRole('checkbox', { name: 'Copy text to the clipboard' }))
    await user.click(screen.getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(fake.settings.tools.clipboard).toBe(false))
    expect(fake.calls.find((c) => c.channel === 'settings:update')?.payload).toEqual({ tools: { timers: true, clock: true, openUrl: true, clipboard: false } })

    const editor = screen.getByRole('textbox', { name: 'mcpServers (JSON)' })
    await user.clear(editor)
    await user.click(editor)
    await user.paste('{"mcpServers":{"files":{"command":"npx","args":["-y","@modelcontextprotocol/server-filesystem","/tmp"]}}}')
    await user.click(screen.getByRole('button', { name: 'Save servers' }))
    await screen.findByText('Servers saved.')
    expect(fake.settings.mcpServers).toEqual({ files: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'] } })
    expect(await screen.findByRole('checkbox', { name: 'Use files' })).toBeChecked()
  })
})
