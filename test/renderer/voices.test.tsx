import { act, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { VoiceInfo } from '../../src/shared/voices'
import { FakeApi } from './fake-api'
import { openTab, renderApp } from './render-app'

const builtins: VoiceInfo[] = [
  { ref: { kind: 'builtin', id: 'mimo_default' }, name: 'MiMo default', language: 'auto' },
  { ref: { kind: 'builtin', id: 'Mia' }, name: 'Mia', language: 'en' },
  { ref: { kind: 'builtin', id: '冰糖' }, name: '冰糖 (Bingtang)', language: 'zh' }
]
const saved: VoiceInfo[] = [
  { ref: { kind: 'clone', id: 'me-2025' }, name: 'My voice', durationSec: 12.4, createdAt: '2025-01-02T00:00:00Z' },
  { ref: { kind: 'design', id: 'narrator' }, name: 'Old narrator', description: 'A slow, gravelly storyteller' },
  { ref: { kind: 'clone', id: 'broken' }, name: 'Lost sample', problem: 'The sample file is missing. Record it again.' }
]

async function openVoices(fake: FakeApi) {
  const r = renderApp(fake)
  await openTab(r.user, 'Voices')
  await screen.findByRole('heading', { name: 'Built-in voices' })
  return r
}

describe('voices', () => {
  it('lists built-in and saved voices, with the active one selected', async () => {
    const fake = new FakeApi({ voices: [...builtins, ...saved], settings: { voice: { kind: 'design', id: 'narrator' } } })
    await openVoices(fake)
    const builtin = screen.getByRole('region', { name: 'Built-in voices' })
    const yours = screen.getByRole('region', { name: 'Your voices' })
    expect(within(builtin).getAllByRole('radio').map((r) => r.closest('li')?.querySelector('.voice__name')?.textContent)).toEqual([
      'MiMo default',
      'Mia',
      '冰糖 (Bingtang)'
    ])
    expect(within(yours).getByRole('radio', { name: 'Old narrator' })).toBeChecked()
    expect(within(yours).getByRole('radio', { name: 'Old narrator' })).toHaveAccessibleDescription('Designed · A slow, gravelly storyteller')
    expect(within(yours).getByRole('radio', { name: 'My voice' })).toHaveAccessibleDescription('Cloned · 12.4 s sample')
    expect(within(builtin).getByRole('radio', { name: 'Mia' })).not.toBeChecked()
    // A voice with a problem is shown with it, and cannot be chosen or played.
    const lost = within(yours).getByRole('radio', { name: 'Lost sample' })
    expect(lost).toBeDisabled()
    expect(lost).toHaveAccessibleDescription(/The sample file is missing/)
    expect(within(yours).queryByRole('button', { name: 'Preview Lost sample' })).not.toBeInTheDocument()
  })

  it('selecting a voice sends it and shows it as selected', async () => {
    const fake = new FakeApi({ voices: [...builtins, ...saved] })
    const { user } = await openVoices(fake)
    expect(screen.getByRole('radio', { name: 'MiMo default' })).toBeChecked()
    await user.click(screen.getByRole('radio', { name: 'Mia' }))
    await waitFor(() => expect(screen.getByRole('radio', { name: 'Mia' })).toBeChecked())
    expect(screen.getByRole('radio', { name: 'MiMo default' })).not.toBeChecked()
    await user.click(screen.getByRole('radio', { name: 'My voice' }))
    await waitFor(() => expect(screen.getByRole('radio', { name: 'My voice' })).toBeChecked())
    expect(fake.callsTo('voices:select').map((c) => c.payload)).toEqual([
      { kind: 'builtin', id: 'Mia' },
      { kind: 'clone', id: 'me-2025' }
    ])
  })

  it('a refused selection keeps the old voice and says why', async () => {
    const fake = new FakeApi({ voices: builtins })
    fake.fail('voices:select', { kind: 'input', message: 'That voice is not available on your region.' })
    const { user } = await openVoices(fake)
    await user.click(screen.getByRole('radio', { name: 'Mia' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('That voice is not available on your region.')
    expect(screen.getByRole('radio', { name: 'MiMo default' })).toBeChecked()
    expect(screen.getByRole('radio', { name: 'Mia' })).not.toBeChecked()
  })

  it('previews a voice, one at a time', async () => {
    const fake = new FakeApi({ voices: [...builtins, ...saved] })
    const { user } = await openVoices(fake)
    const playing = fake.hold('voices:preview')
    await user.click(screen.getByRole('button', { name: 'Preview Mia' }))
    expect(fake.callsTo('voices:preview')[0].payload).toEqual({ voice: { kind: 'builtin', id: 'Mia' } })
    expect(screen.getByRole('button', { name: 'Preview Mia' })).toHaveTextContent('Playing…')
    expect(screen.getByRole('button', { name: 'Preview My voice' })).toBeDisabled()
    act(() => playing.resolve({ durationMs: 900 }))
    await waitFor(() => expect(screen.getByRole('button', { name: 'Preview Mia' })).toHaveTextContent('Preview'))
    expect(screen.getByRole('button', { name: 'Preview My voice' })).toBeEnabled()
    // Preview does not change the selection.
    expect(fake.callsTo('voices:select')).toEqual([])
  })

  it('a failed preview shows the error and frees the buttons', async () => {
    const fake = new FakeApi({ voices: builtins })
    fake.fail('voices:preview', { kind: 'audio', message: 'No audio player found.', hint: 'sudo apt install pulseaudio-utils' })
    const { user } = await openVoices(fake)
    await user.click(screen.getByRole('button', { name: 'Preview Mia' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('No audio player found.')
    expect(screen.getByRole('button', { name: 'Preview Mia' })).toBeEnabled()
  })

  it('"Your voices" is its own section, empty until voices are saved, and follows changes', async () => {
    const fake = new FakeApi({ voices: builtins })
    await openVoices(fake)
    const yours = screen.getByRole('region', { name: 'Your voices' })
    expect(within(yours).getByText('No saved voices yet.')).toBeInTheDocument()
    expect(within(yours).queryAllByRole('button')).toEqual([])
    act(() => fake.emit('voices:changed', [...builtins, saved[0]]))
    expect(within(yours).getByRole('radio', { name: 'My voice' })).toBeInTheDocument()
    expect(within(yours).queryByText('No saved voices yet.')).not.toBeInTheDocument()
  })
})
