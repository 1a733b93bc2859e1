import { act, fireEvent, screen, within } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { TurnBase, TurnStatus, TurnView } from '../../src/shared/assistant'
import type { UserError } from '../../src/shared/errors'
import { HOLD_THRESHOLD_MS } from '../../src/shared/push-to-talk'
import { FakeApi } from './fake-api'
import { openTab, renderApp, talkButton } from './render-app'

function turn(over: Partial<TurnBase> & { status?: TurnStatus; error?: UserError; canRetry?: boolean } = {}): TurnView {
  return {
    id: 't1',
    input: 'voice',
    reply: '',
    spoken: '',
    sources: [],
    status: 'thinking',
    timings: {},
    startedAt: '2025-01-01T00:00:00.000Z',
    ...over
  } as TurnView
}

const assistantCalls = (fake: FakeApi) => fake.channels().filter((c) => /^assistant:(press|release|toggle)$/.test(c))

/** The talk view, once the conversation so far has loaded (events before that are in the snapshot). */
afterEach(() => {
  vi.useRealTimers()
})

describe('push-to-talk', () => {
  it('pressing starts recording at once; letting go after a hold sends it', async () => {
    const { fake } = renderApp()
    const button = await talkButton()
    vi.useFakeTimers()
    fireEvent.pointerDown(button, { button: 0, pointerId: 1 })
    // No wait before the press: the first word must not be cut off.
    expect(assistantCalls(fake)).toEqual(['assistant:press'])
    act(() => vi.advanceTimersByTime(HOLD_THRESHOLD_MS + 50))
    expect(button).toHaveAccessibleDescription('Release to send')
    fireEvent.pointerUp(button, { button: 0, pointerId: 1 })
    expect(assistantCalls(fake)).toEqual(['assistant:press', 'assistant:release'])
  })

  it('a quick tap keeps recording (latched); the next tap sends it', async () => {
    const { fake } = renderApp()
    const button = await talkButton()
    vi.useFakeTimers()
    fireEvent.pointerDown(button, { button: 0, pointerId: 1 })
    act(() => vi.advanceTimersByTime(HOLD_THRESHOLD_MS - 100))
    fireEvent.pointerUp(button, { button: 0, pointerId: 1 })
    await act(async () => vi.advanceTimersByTime(1000))
    expect(assistantCalls(fake)).toEqual(['assistant:press'])
    expect(button).toHaveAccessibleDescription('Click to send')
    fireEvent.pointerDown(button, { button: 0, pointerId: 1 })
    expect(assistantCalls(fake)).toEqual(['assistant:press', 'assistant:release'])
    // The let-go of the sending tap, however long, sends nothing more.
    act(() => vi.advanceTimersByTime(HOLD_THRESHOLD_MS + 100))
    fireEvent.pointerUp(button, { button: 0, pointerId: 1 })
    expect(assistantCalls(fake)).toEqual(['assistant:press', 'assistant:release'])
  })

  it('a latch ends when the recording ends elsewhere: the next press records again', async () => {
    const { fake } = renderApp()
    const button = await talkButton()
    vi.useFakeTimers()
    fireEvent.pointerDown(button, { button: 0, pointerId: 1 })
    fireEvent.pointerUp(button, { button: 0, pointerId: 1 })
    await act(async () => vi.advanceTimersByTime(10))
    // Stopped on silence: the assistant answers, then is ready again.
    act(() => fake.emit('assistant:state', { phase: 'thinking', turnId: 't1' }))
    act(() => fake.emit('assistant:state', { phase: 'idle' }))
    fireEvent.pointerDown(button, { button: 0, pointerId: 1 })
    expect(assistantCalls(fake)).toEqual(['assistant:press', 'assistant:press'])
  })

  it('pressing while an answer is spoken barges in with a new recording', async () => {
    const { fake } = renderApp()
    const button = await talkButton()
    act(() => fake.emit('assistant:state', { phase: 'speaking', turnId: 't1' }))
    expect(button).toHaveAccessibleDescription('Click to interrupt')
    fireEvent.pointerDown(button, { button: 0, pointerId: 1 })
    expect(assistantCalls(fake)).toEqual(['assistant:press'])
  })

  it('Space held on the button presses and releases, without scrolling the page', async () => {
    const { fake } = renderApp()
    const button = await talkButton()
    button.focus()
    vi.useFakeTimers()
    const notPrevented = fireEvent.keyDown(button, { key: ' ', code: 'Space' })
    expect(notPrevented).toBe(false)
    expect(assistantCalls(fake)).toEqual(['assistant:press'])
    // Auto-repeat while held is the same hold.
    act(() => vi.advanceTimersByTime(HOLD_THRESHOLD_MS + 20))
    fireEvent.keyDown(button, { key: ' ', code: 'Space', repeat: true })
    fireEvent.keyDown(button, { key: ' ', code: 'Space', repeat: true })
    expect(fireEvent.keyUp(button, { key: ' ', code: 'Space' })).toBe(false)
    expect(assistantCalls(fake)).toEqual(['assistant:press', 'assistant:release'])
  })

  it('two quick Space taps start and send; Enter toggles', async () => {
    const { fake, user } = renderApp()
    const button = await talkButton()
    button.focus()
    await user.keyboard(' ')
    expect(assistantCalls(fake)).toEqual(['assistant:press'])
    await user.keyboard(' ')
    expect(assistantCalls(fake)).toEqual(['assistant:press', 'assistant:release'])
    await user.keyboard('{Enter}')
    expect(assistantCalls(fake)).toEqual(['assistant:press', 'assistant:release', 'assistant:toggle'])
  })

  it('losing the window mid-hold sends the recording', async () => {
    const { fake } = renderApp()
    const button = await talkButton()
    vi.useFakeTimers()
    fireEvent.pointerDown(button, { button: 0, pointerId: 1 })
    act(() => vi.advanceTimersByTime(HOLD_THRESHOLD_MS + 10))
    fireEvent.blur(window)
    fireEvent.pointerUp(button, { button: 0, pointerId: 1 })
    expect(assistantCalls(fake)).toEqual(['assistant:press', 'assistant:release'])
  })

  it('shows the main side\'s error when the recorder is missing', async () => {
    const fake = new FakeApi()
    fake.fail('assistant:press', { kind: 'audio', message: 'No recorder found (tried sox, rec, arecord).', hint: 'sudo apt install sox' })
    const { user } = renderApp(fake)
    await user.click(await talkButton())
    expect(await screen.findByRole('alert')).toHaveTextContent('No recorder found (tried sox, rec, arecord).')
    expect(screen.getByRole('alert')).toHaveTextContent('sudo apt install sox')
  })
})

describe('talk view', () => {
  it('shows the state and a level meter that follows level events while recording', async () => {
    const { fake } = renderApp()
    await talkButton()
    expect(screen.getByTestId('assistant-phase')).toHaveTextContent('Ready')
    expect(screen.queryByRole('meter')).not.toBeInTheDocument()

    act(() => fake.emit('assistant:state', { phase: 'recording', turnId: 't1' }))
    expect(screen.getByTestId('assistant-phase')).toHaveTextContent('Listening…')
    expect(screen.getByRole('button', { name: 'Push to talk' })).toHaveAttribute('aria-pressed', 'true')
    const meter = screen.getByRole('meter', { name: 'Microphone level' })
    act(() => fake.emit('assistant:level', { rmsDbfs: -31.6, peakDbfs: -20, speech: false, elapsedMs: 50 }))
    expect(meter).toHaveAttribute('aria-valuenow', '-32')
    act(() => fake.emit('assistant:level', { rmsDbfs: -12.2, peakDbfs: -3, speech: true, elapsedMs: 100 }))
    expect(meter).toHaveAttribute('aria-valuenow', '-12')
    act(() => fake.emit('assistant:level', { rmsDbfs: -120, peakDbfs: -100, speech: false, elapsedMs: 150 }))
    expect(meter).toHaveAttribute('aria-valuenow', '-60')

    act(() => fake.emit('assistant:state', { phase: 'thinking', turnId: 't1' }))
    expect(screen.getByTestId('assistant-phase')).toHaveTextContent('Thinking…')
    expect(screen.queryByRole('meter')).not.toBeInTheDocument()
  })

  it('streams a turn: transcript, then the reply as it grows, then sources as links', async () => {
    const { fake } = renderApp()
    await talkButton()
    act(() => fake.emit('assistant:turn', turn({ transcribing: true })))
    const card = screen.getByRole('article', { name: 'Turn 1' })
    expect(within(card).getByTestId('turn-question')).toHaveTextContent('Transcribing…')

    act(() => fake.emit('assistant:turn', turn({ question: 'What is the weather in Beijing?', reply: 'It is sunny' })))
    expect(within(card).getByTestId('turn-question')).toHaveTextContent('What is the weather in Beijing?')
    expect(within(card).getByTestId('turn-reply')).toHaveTextContent('It is sunny')
    // While it streams only the new text comes; a delta for another turn changes nothing here.
    act(() => fake.emit('assistant:reply', { turnId: 't1', text: ' and warm' }))
    act(() => fake.emit('assistant:reply', { turnId: 'other', text: ' (lost)' }))
    expect(within(card).getByTestId('turn-reply')).toHaveTextContent(/^It is sunny and warm$/)

    act(() =>
      fake.emit(
        'assistant:turn',
        turn({
          question: 'What is the weather in Beijing?',
          reply: 'It is sunny and twenty degrees.',
          status: 'done',
          sources: [
            { url: 'https://weather.example.com/beijing', title: 'Beijing forecast', siteName: 'Weather' },
            { url: 'javascript:alert(1)', title: 'Not a web page' }
          ]
        })
      )
    )
    expect(within(card).getByTestId('turn-reply')).toHaveTextContent('It is sunny and twenty degrees.')
    const sources = within(card).getByRole('list', { name: 'Sources' })
    expect(within(sources).getByRole('link', { name: 'Beijing forecast' })).toHaveAttribute('href', 'https://weather.example.com/beijing')
    // Only web addresses become links.
    expect(within(sources).queryByRole('link', { name: 'Not a web page' })).not.toBeInTheDocument()
    expect(screen.getAllByRole('article')).toHaveLength(1)
    expect(within(card).queryByRole('note')).not.toBeInTheDocument()
  })

  it('a failed web search is noted on the answer, not shown as an error', async () => {
    const { fake } = renderApp()
    await talkButton()
    act(() => fake.emit('assistant:turn', turn({ question: 'News?', reply: 'I could not look that up.', status: 'done', searchError: 'search quota exceeded' })))
    expect(screen.getByRole('note')).toHaveTextContent('Web search failed, so this answer does not use it: search quota exceeded')
    expect(screen.queryByRole('alert')).not.toBeInTheDocument()
  })

  it('a failed turn shows its message, and Retry retries that turn', async () => {
    const { fake, user } = renderApp()
    await talkButton()
    act(() =>
      fake.emit(
        'assistant:turn',
        turn({ id: 'turn-7', status: 'error', canRetry: true, error: { kind: 'network', message: 'MiMo did not answer in time.', hint: 'Check your connection.' } })
      )
    )
    const card = screen.getByRole('article', { name: 'Turn 1' })
    expect(within(card).getByRole('alert')).toHaveTextContent('MiMo did not answer in time.')
    expect(within(card).getByRole('alert')).toHaveTextContent('Check your connection.')
    await user.click(within(card).getByRole('button', { name: 'Retry' }))
    expect(fake.callsTo('assistant:retry')).toEqual([{ channel: 'assistant:retry', payload: { turnId: 'turn-7' } }])
  })

  it('a failed turn that cannot be retried offers no Retry', async () => {
    const { fake } = renderApp()
    await talkButton()
    act(() => fake.emit('assistant:turn', turn({ status: 'error', canRetry: false, error: { kind: 'input', message: 'Nothing was heard.' } })))
    expect(screen.getByRole('alert')).toHaveTextContent('Nothing was heard.')
    expect(screen.queryByRole('button', { name: 'Retry' })).not.toBeInTheDocument()
  })

  it('the latency breakdown expands to every stage', async () => {
    const { fake, user } = renderApp()
    await talkButton()
    act(() =>
      fake.emit(
        'assistant:turn',
        turn({
          status: 'done',
          reply: 'Hello.',
          timings: { release: 0, requestSent: 41, firstToken: 352, firstSentence: 610, firstTtsRequest: 612, firstAudio: 905, done: 2400, connectMs: 3, uploadMs: 12 },
          usage: { promptTokens: 120, completionTokens: 14, totalTokens: 134 }
        })
      )
    )
    const toggle = screen.getByRole('button', { name: /Timings/ })
    expect(toggle).toHaveAttribute('aria-expanded', 'false')
    expect(toggle).toHaveTextContent('first audio 905 ms')
    expect(screen.queryByText('First token')).not.toBeInTheDocument()
    await user.click(toggle)
    expect(toggle).toHaveAttribute('aria-expanded', 'true')
    const stage = (name: string) => screen.getByText(name).closest('.latency__stage') as HTMLElement
    expect(stage('Request sent')).toHaveTextContent('41 ms')
    expect(stage('First token')).toHaveTextContent('352 ms')
    expect(stage('First sentence')).toHaveTextContent('610 ms')
    expect(stage('First speech request')).toHaveTextContent('612 ms')
    expect(stage('First audio')).toHaveTextContent('905 ms')
    expect(stage('Done')).toHaveTextContent('2400 ms')
    // Durations on the way, apart from the stages.
    expect(stage('Waiting for a connection')).toHaveTextContent('3 ms')
    expect(stage('Sending the question')).toHaveTextContent('12 ms')
    expect(screen.getByText(/Tokens: 120 in, 14 out/)).toBeInTheDocument()
    await user.click(toggle)
    expect(screen.queryByText('First token')).not.toBeInTheDocument()
  })

  it('types a question, and asks a quick question with one click', async () => {
    const fake = new FakeApi({ settings: { quickQuestions: ['Tell me a joke.', 'What time is it?'] } })
    const { user } = renderApp(fake)
    await talkButton()
    await user.type(screen.getByRole('textbox', { name: 'Type a question' }), '  How far is the moon?  ')
    await user.click(screen.getByRole('button', { name: 'Ask' }))
    expect(screen.getByRole('textbox', { name: 'Type a question' })).toHaveValue('')
    const quick = screen.getByRole('group', { name: 'Quick questions' })
    await user.click(within(quick).getByRole('button', { name: 'What time is it?' }))
    expect(fake.callsTo('assistant:ask').map((c) => c.payload)).toEqual([{ text: 'How far is the moon?' }, { text: 'What time is it?' }])
  })

  it('Stop speaking works while speaking; New conversation clears the turns', async () => {
    const { fake, user } = renderApp()
    await talkButton()
    const stop = screen.getByRole('button', { name: 'Stop speaking' })
    expect(stop).toBeDisabled()
    act(() => {
      fake.emit('assistant:turn', turn({ status: 'speaking', reply: 'Once upon a time' }))
      fake.emit('assistant:state', { phase: 'speaking', turnId: 't1' })
    })
    expect(stop).toBeEnabled()
    await user.click(stop)
    expect(fake.callsTo('assistant:stop')).toHaveLength(1)
    expect(screen.getByTestId('assistant-phase')).toHaveTextContent('Ready')

    expect(screen.getAllByRole('article')).toHaveLength(1)
    await user.click(screen.getByRole('button', { name: 'New conversation' }))
    expect(fake.callsTo('assistant:new-conversation')).toHaveLength(1)
    expect(screen.queryAllByRole('article')).toHaveLength(0)
  })

  it('shows the conversation so far when the window opens', async () => {
    const fake = new FakeApi()
    fake.answer('assistant:snapshot', () => ({
      state: { phase: 'speaking', turnId: 'a' },
      turns: [turn({ id: 'a', input: 'text', question: 'Hi?', reply: 'Hello there.', status: 'speaking' })]
    }))
    renderApp(fake)
    expect(await screen.findByText('Hello there.')).toBeInTheDocument()
    expect(screen.getByText('Hi?')).toBeInTheDocument()
    expect(screen.getByTestId('assistant-phase')).toHaveTextContent('Speaking…')
  })

  it('the tray can switch views', async () => {
    const { fake } = renderApp()
    await talkButton()
    act(() => fake.emit('app:navigate', { view: 'settings' }))
    expect(screen.getByRole('tab', { name: 'Settings' })).toHaveAttribute('aria-selected', 'true')
    expect(screen.getByRole('tabpanel', { name: 'Settings' })).toBeVisible()
    expect(screen.getByRole('button', { name: 'Push to talk', hidden: true })).not.toBeVisible()
  })

  it('arrow keys move between tabs', async () => {
    const { user } = renderApp()
    const talkTab = await screen.findByRole('tab', { name: 'Talk' })
    talkTab.focus()
    await user.keyboard('{ArrowRight}')
    expect(screen.getByRole('tab', { name: 'Voices' })).toHaveFocus()
    expect(screen.getByRole('tab', { name: 'Voices' })).toHaveAttribute('aria-selected', 'true')
    await user.keyboard('{End}')
    expect(screen.getByRole('tab', { name: 'Settings' })).toHaveAttribute('aria-selected', 'true')
    await openTab(user, 'Talk')
    expect(await talkButton()).toBeVisible()
  })
})
