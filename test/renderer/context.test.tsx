// The next question's context in the talk view (switches, dropped and pasted images) and what a turn
// card shows of what was sent, on the hand-written window.api.
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { TurnView } from '../../src/shared/assistant'
import { FakeApi } from './fake-api'
import { renderApp } from './render-app'

const THUMB = 'data:image/jpeg;base64,/9j/4AAQ'

describe('context for the next question', () => {
  it('the switches set what the next question carries, and follow the main process when a question took them', async () => {
    const { fake, user } = renderApp()
    const include = await screen.findByRole('switch', { name: 'Include screen' })
    await user.click(include)
    expect(fake.callsTo('context:set-next').map((c) => c.payload)).toEqual([{ screen: true }])
    expect(include).toBeChecked()
    await user.click(screen.getByRole('switch', { name: 'Include selection' }))
    expect(fake.callsTo('context:set-next').at(-1)!.payload).toEqual({ selection: true })
    act(() => fake.emit('context:next', { screen: false, selection: false, images: [] }))
    expect(include).not.toBeChecked()
  })

  it('an image dropped on the view, or pasted in the question box, waits with a remove button; other files are ignored', async () => {
    const { fake, user } = renderApp()
    await screen.findByRole('switch', { name: 'Include screen' })
    const png = new File([new Uint8Array([137, 80, 78, 71])], 'chart.png', { type: 'image/png' })
    const text = new File(['hello'], 'notes.txt', { type: 'text/plain' })
    fireEvent.drop(document.querySelector('.talk')!, { dataTransfer: { files: [png, text], types: ['Files'] } })
    const waiting = await screen.findByRole('list', { name: 'Images for the next question' })
    expect(within(waiting).getByText('chart.png')).toBeInTheDocument()
    expect(fake.callsTo('context:add-image').map((c) => (c.payload as { fileName: string }).fileName)).toEqual(['chart.png'])

    const pasted = new File([new Uint8Array([255, 216, 255])], '', { type: 'image/jpeg' })
    fireEvent.paste(screen.getByRole('textbox', { name: 'Type a question' }), { clipboardData: { files: [pasted] } })
    await waitFor(() => expect(within(waiting).getByText('Pasted image')).toBeInTheDocument())

    await user.click(within(waiting).getByRole('button', { name: 'Remove chart.png' }))
    await waitFor(() => expect(within(waiting).queryByText('chart.png')).not.toBeInTheDocument())
  })

  it('a refused image is explained and nothing waits', async () => {
    const fake = new FakeApi()
    fake.fail('context:add-image', { kind: 'input', message: 'That file is not an image MiMo Voice can read.', code: 'not-an-image' })
    renderApp(fake)
    await screen.findByRole('switch', { name: 'Include screen' })
    const fakePng = new File(['not really'], 'fake.png', { type: 'image/png' })
    fireEvent.drop(document.querySelector('.talk')!, { dataTransfer: { files: [fakePng], types: ['Files'] } })
    expect(await screen.findByText('That file is not an image MiMo Voice can read.')).toBeInTheDocument()
    expect(screen.queryByRole('list', { name: 'Images for the next question' })).not.toBeInTheDocument()
  })
})

describe('the turn card shows what was sent', () => {
  it('a thumbnail and the size of each image, the length of a text, cut texts and hidden windows noted', async () => {
    const fake = new FakeApi()
    const turn: TurnView = {
      id: 't1',
      input: 'voice',
      question: 'What is this?',
      reply: 'A chart.',
      spoken: 'A chart.',
      sources: [],
      timings: {},
      startedAt: '2025-01-01T00:00:00.000Z',
      status: 'done',
      attachments: [
        { id: 'a', kind: 'screen', label: 'Screen', bytes: 412_000, width: 1920, height: 1080, mime: 'image/jpeg', thumbnail: THUMB, hiddenWindows: 1 },
        { id: 'b', kind: 'selection', label: 'Selected text', bytes: 9000, chars: 8000, truncated: true }
      ]
    }
    fake.answer('assistant:snapshot', () => ({ state: { phase: 'idle' }, turns: [turn] }))
    renderApp(fake)
    const list = await screen.findByRole('list', { name: 'Sent with the question' })
    const [image, text] = within(list).getAllByRole('listitem')
    expect(within(image).getByRole('img', { name: 'What was sent: Screen' })).toHaveAttribute('src', THUMB)
    expect(image).toHaveTextContent('Screen · 1920×1080, 402 KB · 1 private window(s) hidden')
    expect(text).toHaveTextContent('Selected text · 8000 characters · cut at the limit')
  })
})
