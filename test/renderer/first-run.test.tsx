import { screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { FakeApi } from './fake-api'
import { renderApp } from './render-app'

function newUser() {
  const fake = new FakeApi({ settings: { firstRunDone: false }, key: { set: false, storage: 'os-keychain' } })
  fake.answer('doctor:run', () => ({
    checks: [
      { id: 'recorder', status: 'fail', label: 'Recorder', detail: 'No recorder found (tried sox, rec, arecord).', hint: 'sudo apt install sox libsox-fmt-all' },
      { id: 'player', status: 'ok', label: 'Player', detail: 'pacat is ready.' },
      { id: 'api', status: 'skipped', label: 'MiMo service', detail: 'No API key yet.' }
    ]
  }))
  return fake
}

describe('first run', () => {
  it('key, test, microphone check, findings with install hints, then Start', async () => {
    const fake = newUser()
    const { user } = renderApp(fake)
    expect(await screen.findByRole('heading', { name: 'Welcome to MiMo Voice' })).toBeInTheDocument()
    expect(screen.queryByRole('tab')).not.toBeInTheDocument()
    const start = screen.getByRole('button', { name: 'Start' })
    expect(start).toBeDisabled()
    expect(start).toHaveAccessibleDescription('Add your API key to start.')
    expect(screen.getByTestId('key-status')).toHaveTextContent('No API key is set.')

    // The doctor runs on arrival and shows how to fix what is missing.
    const findings = await screen.findByRole('list', { name: 'Findings' })
    expect(within(findings).getByText('No recorder found (tried sox, rec, arecord).')).toBeInTheDocument()
    expect(within(findings).getByText('sudo apt install sox libsox-fmt-all')).toBeInTheDocument()
    expect(within(findings).getByText(/Recorder/)).toHaveTextContent('(problem)')

    // Region first (token-plan keys only work on their own host), then the key, then a test.
    await user.selectOptions(screen.getByLabelText('Region'), 'Token plan, Singapore')
    expect(fake.callsTo('settings:update')[0].payload).toEqual({ baseUrl: 'https://token-plan-sgp.xiaomimimo.com/v1' })
    await user.type(screen.getByLabelText('API key'), 'tp-secret-key-77ab')
    await user.click(screen.getByRole('button', { name: 'Save key' }))
    await waitFor(() => expect(screen.getByTestId('key-status')).toHaveTextContent('Set, ending in …77ab'))
    await user.click(screen.getByRole('button', { name: 'Test connection' }))
    expect(await screen.findByText('Connected: mimo-v2.5 answered in 312 ms.')).toBeInTheDocument()

    // Microphone check.
    await user.click(screen.getByRole('button', { name: 'Test microphone' }))
    const meter = await screen.findByRole('meter', { name: 'Microphone test level' })
    await waitFor(() => expect(meter).toHaveAttribute('aria-valuenow', '-24'))
    expect(screen.getByText('Heard you (peak -9 dB).')).toBeInTheDocument()

    // Still on the first-run page until Start.
    expect(screen.getByRole('heading', { name: 'Welcome to MiMo Voice' })).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Start' }))
    expect(fake.callsTo('settings:update').at(-1)?.payload).toEqual({ firstRunDone: true })
    expect(await screen.findByRole('tab', { name: 'Talk', selected: true })).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Push to talk' })).toBeInTheDocument()
    expect(fake.channels()).toEqual(expect.arrayContaining(['key:set', 'key:test', 'mic:test', 'doctor:run']))
  })

  it('a silent microphone says so, and the check can run again', async () => {
    const fake = newUser()
    fake.answer('mic:test', () => ({ rmsDbfs: -78, peakDbfs: -70, speechHeard: false, durationMs: 3000 }))
    const { user } = renderApp(fake)
    await user.click(await screen.findByRole('button', { name: 'Test microphone' }))
    expect(await screen.findByText(/No speech was heard \(peak -70 dB\)/)).toBeInTheDocument()
    expect(screen.getByRole('meter', { name: 'Microphone test level' })).toHaveAttribute('aria-valuenow', '-60')
    await user.click(screen.getByRole('button', { name: 'Test again' }))
    await waitFor(() => expect(fake.callsTo('mic:test')).toHaveLength(2))
  })

  it('a key the app refuses stays unsaved and the error is shown', async () => {
    const fake = newUser()
    fake.fail('key:set', { kind: 'input', message: 'That key is too short.' })
    const { user } = renderApp(fake)
    await user.type(await screen.findByLabelText('API key'), 'short-ish-key')
    await user.click(screen.getByRole('button', { name: 'Save key' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('That key is too short.')
    expect(screen.getByLabelText('API key')).toHaveValue('short-ish-key')
    expect(screen.getByRole('button', { name: 'Start' })).toBeDisabled()
  })

  it('is skipped once done with a key set', async () => {
    renderApp(new FakeApi())
    expect(await screen.findByRole('tab', { name: 'Talk', selected: true })).toBeInTheDocument()
    expect(screen.queryByRole('heading', { name: 'Welcome to MiMo Voice' })).not.toBeInTheDocument()
  })
})
