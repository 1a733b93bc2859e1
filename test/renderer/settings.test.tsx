import { act, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { FakeApi } from './fake-api'
import { openTab, renderApp } from './render-app'

async function openSettings(fake = new FakeApi()) {
  const r = renderApp(fake)
  await openTab(r.user, 'Settings')
  const form = await screen.findByRole('form', { name: 'Settings' })
  return { ...r, form }
}

describe('settings form', () => {
  it('refuses an invalid shortcut inline and never sends it', async () => {
    const { fake, user, form } = await openSettings()
    const hotkey = within(form).getByLabelText('Shortcut')
    await user.clear(hotkey)
    await user.type(hotkey, 'Ctrl+Banana')
    expect(hotkey).toHaveAttribute('aria-invalid', 'true')
    expect(hotkey).toHaveAccessibleDescription('"Banana" is not a key Electron knows.')
    await user.click(within(form).getByRole('button', { name: 'Save' }))
    expect(within(form).getByRole('alert')).toHaveTextContent('Fix the marked fields first')
    expect(hotkey).toHaveFocus()
    expect(fake.callsTo('settings:update')).toEqual([])

    // A shortcut with no modifier is refused too; a good one clears the error.
    await user.clear(hotkey)
    await user.type(hotkey, 'K')
    expect(hotkey).toHaveAccessibleDescription(/needs at least one modifier/)
    await user.clear(hotkey)
    await user.type(hotkey, 'Ctrl+Shift+K')
    expect(hotkey).not.toHaveAttribute('aria-invalid')
  })

  it('refuses a bad base URL inline, even with other valid changes', async () => {
    const { fake, user, form } = await openSettings()
    await user.click(within(form).getByLabelText('Web search'))
    await user.selectOptions(within(form).getByLabelText('Region'), 'Custom address…')
    const url = within(form).getByLabelText('Base URL')
    expect(url).toHaveValue('https://api.xiaomimimo.com/v1')
    await user.clear(url)
    await user.type(url, 'api.example.com/v1')
    expect(url).toHaveAttribute('aria-invalid', 'true')
    expect(url).toHaveAccessibleDescription(/full https address/)
    await user.click(within(form).getByRole('button', { name: 'Save' }))
    expect(fake.callsTo('settings:update')).toEqual([])
    expect(url).toHaveFocus()
  })

  it('a valid save sends only the changed fields, parsed', async () => {
    const { fake, user, form } = await openSettings()
    await user.selectOptions(within(form).getByLabelText('Chat model'), 'mimo-v2.5-pro')
    await user.click(within(form).getByLabelText('Web search'))
    const maxRec = within(form).getByLabelText('Longest recording (seconds)')
    await user.clear(maxRec)
    await user.type(maxRec, '90')
    // Edited, then put back: not a change.
    const style = within(form).getByLabelText('Speaking style')
    await user.type(style, 'x')
    await user.clear(style)
    await user.selectOptions(within(form).getByLabelText('Region'), 'Custom address…')
    const url = within(form).getByLabelText('Base URL')
    await user.clear(url)
    await user.type(url, 'https://mimo.internal.example/v1/')

    await user.click(within(form).getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(fake.callsTo('settings:update')).toHaveLength(1))
    expect(fake.callsTo('settings:update')[0].payload).toEqual({
      chatModel: 'mimo-v2.5-pro',
      webSearch: true,
      maxRecordingSec: 90,
      baseUrl: 'https://mimo.internal.example/v1'
    })
    expect(await within(form).findByText('Saved.')).toBeInTheDocument()
    expect(within(form).getByRole('button', { name: 'Save' })).toBeDisabled()
    expect(within(form).getByLabelText('Chat model')).toHaveValue('mimo-v2.5-pro')
  })

  it('a number out of range is refused inline', async () => {
    const { fake, user, form } = await openSettings()
    const silence = within(form).getByLabelText('Silence before stopping (ms)')
    await user.clear(silence)
    await user.type(silence, '100')
    expect(silence).toHaveAccessibleDescription('Enter a whole number from 500 to 5000.')
    await user.clear(silence)
    expect(silence).toHaveAttribute('aria-invalid', 'true')
    await user.click(within(form).getByRole('button', { name: 'Save' }))
    expect(fake.callsTo('settings:update')).toEqual([])
  })

  it('a save the app refuses shows its error and keeps the edits', async () => {
    const fake = new FakeApi()
    fake.fail('settings:update', { kind: 'input', message: 'That shortcut is taken by another application.', param: 'hotkey' })
    const { user, form } = await openSettings(fake)
    const hotkey = within(form).getByLabelText('Shortcut')
    await user.clear(hotkey)
    await user.type(hotkey, 'Ctrl+Alt+K')
    await user.click(within(form).getByRole('button', { name: 'Save' }))
    expect(await within(form).findByRole('alert')).toHaveTextContent('That shortcut is taken by another application.')
    expect(fake.callsTo('settings:update')[0].payload).toEqual({ hotkey: 'Ctrl+Alt+K' })
    expect(hotkey).toHaveValue('Ctrl+Alt+K')
    expect(fake.settings.hotkey).toBe('CommandOrControl+Alt+Space')
  })

  it('edits, reorders, adds and removes quick questions', async () => {
    const fake = new FakeApi({ settings: { quickQuestions: ['One?', 'Two?', 'Three?'] } })
    const { user, form } = await openSettings(fake)
    await user.click(within(form).getByRole('button', { name: 'Move question 3 up' }))
    await user.click(within(form).getByRole('button', { name: 'Remove question 1' }))
    await user.click(within(form).getByRole('button', { name: 'Add a question' }))
    // An empty question cannot be saved.
    await user.click(within(form).getByRole('button', { name: 'Save' }))
    expect(fake.callsTo('settings:update')).toEqual([])
    expect(within(form).getByLabelText('Quick question 3')).toHaveAccessibleDescription(/Write a question/)
    await user.type(within(form).getByLabelText('Quick question 3'), 'Four?')
    await user.clear(within(form).getByLabelText('Quick question 1'))
    await user.type(within(form).getByLabelText('Quick question 1'), 'Three, edited?')
    await user.click(within(form).getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(fake.callsTo('settings:update')).toHaveLength(1))
    expect(fake.callsTo('settings:update')[0].payload).toEqual({ quickQuestions: ['Three, edited?', 'Two?', 'Four?'] })
    // The talk view's buttons follow.
    await openTab(user, 'Talk')
    const quick = screen.getByRole('group', { name: 'Quick questions' })
    expect(within(quick).getAllByRole('button').map((b) => b.textContent)).toEqual(['Three, edited?', 'Two?', 'Four?'])
  })

  it('lists audio devices and saves the chosen microphone, volume and silence settings', async () => {
    const { fake, user, form } = await openSettings()
    const mic = within(form).getByLabelText('Microphone')
    await waitFor(() => expect(within(mic).getByRole('option', { name: 'USB microphone' })).toBeInTheDocument())
    await user.selectOptions(mic, 'USB microphone')
    await user.click(within(form).getByLabelText('Stop recording when I stop talking'))
    expect(within(form).getByLabelText('Silence before stopping (ms)')).toBeDisabled()
    await user.click(within(form).getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(fake.callsTo('settings:update')).toHaveLength(1))
    expect(fake.callsTo('settings:update')[0].payload).toEqual({ inputDevice: 'mic-usb', stopOnSilence: false })
  })

  it('shows the shortcut that runs and why the asked-for mode could not', async () => {
    const fake = new FakeApi()
    fake.appInfo.hotkey = {
      accelerator: 'CommandOrControl+Alt+Space',
      requestedMode: 'hold',
      activeMode: 'toggle',
      problem: 'Hold needs the key hook, which could not start: press the shortcut once to start, once to send.'
    }
    const { user } = renderApp(fake)
    await openTab(user, 'Settings')
    expect(await screen.findByTestId('hotkey-status')).toHaveTextContent('Now: Ctrl+Alt+Space, Press to start, press to send')
    expect(screen.getByRole('note')).toHaveTextContent('Hold needs the key hook')
    act(() => fake.emit('app:hotkey', { accelerator: 'Ctrl+Shift+M', requestedMode: 'hold', activeMode: 'hold' }))
    expect(screen.getByTestId('hotkey-status')).toHaveTextContent('Now: Ctrl+Shift+M, Hold to talk')
    expect(screen.queryByRole('note')).not.toBeInTheDocument()
  })
})

describe('API key', () => {
  it('shows only the last four characters and the plaintext warning', async () => {
    const fake = new FakeApi({ key: { set: true, last4: '9xyz', storage: 'plaintext-obfuscated' } })
    const { user } = renderApp(fake)
    await openTab(user, 'Settings')
    expect(await screen.findByTestId('key-status')).toHaveTextContent('Set, ending in …9xyz')
    expect(screen.getByText('No system keyring was found: the key is stored obfuscated, not encrypted.')).toBeInTheDocument()
  })

  it('without a keyring, stores a key only once the user ticks "Store it anyway", and says so in the request', async () => {
    const fake = new FakeApi({ key: { set: true, last4: 'c0de', storage: 'plaintext-obfuscated' } })
    const { user } = renderApp(fake)
    await openTab(user, 'Settings')
    await user.type(await screen.findByLabelText('New API key'), 'sk-new-key-1234')
    const save = screen.getByRole('button', { name: 'Replace key' })
    expect(save).toBeDisabled()
    await user.click(screen.getByLabelText(/Store it anyway, only obfuscated/))
    await user.click(save)
    await waitFor(() => expect(screen.getByTestId('key-status')).toHaveTextContent('Set, ending in …1234'))
    expect(fake.callsTo('key:set').map((c) => c.payload)).toEqual([{ key: 'sk-new-key-1234', storeWithoutKeyring: true }])
    // The yes was for that key: the next one asks again.
    expect(screen.getByLabelText(/Store it anyway, only obfuscated/)).not.toBeChecked()
  })

  it('replaces, tests and clears the key', async () => {
    const fake = new FakeApi({ key: { set: true, last4: 'c0de', storage: 'os-keychain' } })
    const { user } = renderApp(fake)
    await openTab(user, 'Settings')
    expect(await screen.findByText('Kept in the system keyring.')).toBeInTheDocument()
    const input = screen.getByLabelText('New API key')
    expect(input).toHaveAttribute('type', 'password')
    await user.type(input, 'sk-new-key-1234')
    await user.click(screen.getByRole('button', { name: 'Replace key' }))
    await waitFor(() => expect(screen.getByTestId('key-status')).toHaveTextContent('Set, ending in …1234'))
    expect(fake.callsTo('key:set')[0].payload).toEqual({ key: 'sk-new-key-1234' })
    expect(input).toHaveValue('')

    await user.click(screen.getByRole('button', { name: 'Test connection' }))
    expect(await screen.findByText('Connected: mimo-v2.5 answered in 312 ms.')).toBeInTheDocument()

    fake.fail('key:test', { kind: 'api', status: 401, message: 'MiMo refused the key (401). Check it, or pick the region your key belongs to.' })
    await user.click(screen.getByRole('button', { name: 'Test connection' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('MiMo refused the key (401)')
    expect(screen.queryByText(/Connected:/)).not.toBeInTheDocument()

    await user.click(screen.getByRole('button', { name: 'Clear key' }))
    expect(fake.callsTo('key:clear')).toHaveLength(1)
    // No key: the window goes back to the first-run page to ask for one.
    expect(await screen.findByRole('heading', { name: 'Welcome to MiMo Voice' })).toBeInTheDocument()
  })

  it('refuses a too-short key before sending it', async () => {
    const { fake, user } = renderApp()
    await openTab(user, 'Settings')
    await user.type(await screen.findByLabelText('New API key'), 'abc')
    await user.click(screen.getByRole('button', { name: 'Replace key' }))
    expect(screen.getByLabelText('New API key')).toHaveAccessibleDescription('That key is too short.')
    expect(fake.callsTo('key:set')).toEqual([])
  })
})
