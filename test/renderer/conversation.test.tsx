import { act, fireEvent, screen, waitFor } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { ModesSnapshot } from '../../src/shared/modes'
import { FakeApi } from './fake-api'
import { renderApp } from './render-app'

const modes = (over: Partial<ModesSnapshot['conversation']>, dictation: ModesSnapshot['dictation'] = { phase: 'idle' }): ModesSnapshot => ({
  conversation: { phase: 'off', interruptByVoice: false, turns: 0, ...over },
  dictation,
  shortcuts: { conversation: null, dictation: { accelerator: 'CommandOrControl+Alt+D', activeMode: 'hybrid' } }
})

describe('hands-free conversation in the window', () => {
  it('the button starts it; the indicator says where it is and how to end it the whole time; Esc ends it', async () => {
    const { fake } = renderApp()
    const toggle = await screen.findByTestId('conversation-toggle')
    expect(screen.getByText(/double-tap Ctrl\+Alt\+Space/)).toBeInTheDocument()
    fireEvent.click(toggle)
    await waitFor(() => expect(fake.channels()).toContain('conversation:start'))
    act(() => fake.emit('modes:changed', modes({ phase: 'listening' })))
    const indicator = screen.getByTestId('conversation-indicator')
    expect(indicator).toHaveTextContent('Conversation: listening')
    expect(indicator).toHaveTextContent('Say "goodbye", press Esc or click End conversation.')
    act(() => fake.emit('modes:changed', modes({ phase: 'answering', interruptByVoice: true })))
    expect(screen.getByTestId('conversation-indicator')).toHaveTextContent('Conversation: answering')
    expect(screen.getByTestId('conversation-indicator')).toHaveTextContent('Speak over an answer to interrupt it.')
    expect(screen.getByTestId('conversation-toggle')).toHaveTextContent('End conversation')

    fireEvent.keyDown(window, { key: 'Escape' })
    await waitFor(() => expect(fake.channels()).toContain('conversation:stop'))
    act(() => fake.emit('modes:changed', modes({ phase: 'off', ended: 'silence' })))
    expect(screen.queryByTestId('conversation-indicator')).toBeNull()
    expect(screen.getByText('The conversation ended after a long silence.')).toBeInTheDocument()
  })

  it('dictation in progress is shown and can be cancelled; a dictation left on the clipboard says so', async () => {
    const { fake } = renderApp()
    await screen.findByTestId('conversation-toggle')
    act(() => fake.emit('modes:changed', modes({}, { phase: 'recording' })))
    expect(screen.getByTestId('dictation-status')).toHaveTextContent('Dictating… let go of Ctrl+Alt+D when done')
    // It can be dropped from the window, while recording or while being written down.
    act(() => fake.emit('modes:changed', modes({}, { phase: 'transcribing' })))
    expect(screen.getByTestId('dictation-status')).toHaveTextContent('Writing down the dictation…')
    fireEvent.click(screen.getByRole('button', { name: 'Cancel dictation' }))
    await waitFor(() => expect(fake.channels()).toContain('dictation:cancel'))
    act(() => fake.emit('modes:changed', modes({}, { phase: 'idle' })))
    expect(screen.queryByRole('button', { name: 'Cancel dictation' })).toBeNull()
    act(() =>
      fake.emit('dictation:done', { id: 'd', text: 'Hi.', insert: 'clipboard', notice: 'The text is on the clipboard: paste it with Ctrl+V.', timings: {}, durationMs: 800, startedAt: '' })
    )
    expect(screen.getByTestId('dictation-status')).toHaveTextContent('The text is on the clipboard: paste it with Ctrl+V.')
  })

  it('the settings page edits the conversation and dictation settings', async () => {
    const fake = new FakeApi()
    renderApp(fake)
    fireEvent.click(await screen.findByRole('tab', { name: 'Settings' }))
    const pause = await screen.findByLabelText('Pause that ends your turn (ms)')
    fireEvent.change(pause, { target: { value: '1200' } })
    fireEvent.click(screen.getByLabelText('Interrupt by voice'))
    fireEvent.change(screen.getByLabelText('Names and terms to spell exactly (one per line)'), { target: { value: 'MiMo\n\nLi Wei ' } })
    fireEvent.change(screen.getByLabelText('Dictation shortcut'), { target: { value: '' } })
    fireEvent.click(screen.getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(fake.channels()).toContain('settings:update'))
    expect(fake.callsTo('settings:update')[0].payload).toEqual({
      conversationPauseMs: 1200,
      conversationInterrupt: true,
      dictationWords: ['MiMo', 'Li Wei'],
      dictationHotkey: null
    })
  })

  it('a pause outside 0.5 to 2 s is refused before anything is sent', async () => {
    const fake = new FakeApi()
    renderApp(fake)
    fireEvent.click(await screen.findByRole('tab', { name: 'Settings' }))
    fireEvent.change(await screen.findByLabelText('Pause that ends your turn (ms)'), { target: { value: '3000' } })
    fireEvent.click(screen.getByRole('button', { name: 'Save' }))
    expect(await screen.findByText(/from 500 to 2000/)).toBeInTheDocument()
    expect(fake.channels()).not.toContain('settings:update')
  })
})
