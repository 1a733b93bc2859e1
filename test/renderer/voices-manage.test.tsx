// Saved voices in the Voices tab: rename in place, delete after a confirmation (the voice in use falls
// back to the default), re-record a clone, a damaged clone; all from the keyboard too.
import { screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { BUILTIN_VOICES, type VoiceInfo } from '../../src/shared/voices'
import { FakeApi } from './fake-api'
import { openTab, renderApp } from './render-app'

const builtins: VoiceInfo[] = BUILTIN_VOICES.slice(0, 3).map((v) => ({ ref: { kind: 'builtin', id: v.id }, name: v.name, language: v.language }))
const mine: VoiceInfo = { ref: { kind: 'clone', id: 'me-1' }, name: 'My voice', durationSec: 11.2 }
const narrator: VoiceInfo = { ref: { kind: 'design', id: 'narr-1' }, name: 'Narrator', description: 'A slow, gravelly storyteller.' }
const lost: VoiceInfo = { ref: { kind: 'clone', id: 'lost-1' }, name: 'Lost sample', problem: "The sample for 'Lost sample' is missing or damaged: record or import it again." }

async function openVoices(fake: FakeApi) {
  const r = renderApp(fake)
  await openTab(r.user, 'Voices')
  const yours = await screen.findByRole('region', { name: 'Your voices' })
  return { ...r, yours }
}

describe('saved voices', () => {
  it('renames in place: the field starts with the name, Escape cancels and gives the focus back', async () => {
    const fake = new FakeApi({ voices: [...builtins, mine, narrator] })
    const { user, yours } = await openVoices(fake)
    const renameButton = within(yours).getByRole('button', { name: 'Rename My voice' })
    await user.click(renameButton)
    const field = within(yours).getByRole('textbox', { name: 'New name for My voice' })
    expect(field).toHaveFocus()
    expect(field).toHaveValue('My voice')
    await user.keyboard('{Escape}')
    expect(within(yours).queryByRole('textbox')).not.toBeInTheDocument()
    expect(within(yours).getByRole('button', { name: 'Rename My voice' })).toHaveFocus()
    expect(fake.callsTo('voices:rename')).toEqual([])

    await user.keyboard('{Enter}')
    await user.clear(within(yours).getByRole('textbox', { name: 'New name for My voice' }))
    await user.keyboard('Me at home{Enter}')
    expect(fake.callsTo('voices:rename').map((c) => c.payload)).toEqual([{ id: 'me-1', name: 'Me at home' }])
    expect(await within(yours).findByRole('radio', { name: 'Me at home' })).toBeInTheDocument()
    expect(within(yours).getByRole('status')).toHaveTextContent('Renamed to “Me at home”.')
  })

  it('a refused rename keeps the field open with the reason', async () => {
    const fake = new FakeApi({ voices: [...builtins, mine, narrator] })
    fake.fail('voices:rename', { kind: 'input', message: "There is already a voice named 'Narrator': choose another name." })
    const { user, yours } = await openVoices(fake)
    await user.click(within(yours).getByRole('button', { name: 'Rename My voice' }))
    await user.clear(within(yours).getByRole('textbox'))
    await user.type(within(yours).getByRole('textbox'), 'narrator{Enter}')
    expect(await within(yours).findByRole('alert')).toHaveTextContent("There is already a voice named 'Narrator'")
    expect(within(yours).getByRole('textbox')).toHaveValue('narrator')
  })

  it('deletes only after a confirmation; deleting the voice in use falls back to the default voice', async () => {
    const fake = new FakeApi({ voices: [...builtins, mine, narrator], settings: { voice: mine.ref } })
    const { user, yours } = await openVoices(fake)
    expect(within(yours).getByRole('radio', { name: 'My voice' })).toBeChecked()
    await user.click(within(yours).getByRole('button', { name: 'Delete My voice' }))
    const question = within(yours).getByRole('group', { name: 'Delete My voice' })
    expect(question).toHaveTextContent('Delete “My voice”? Its sample is deleted too.')
    // The safe answer has the focus.
    expect(within(question).getByRole('button', { name: 'Cancel' })).toHaveFocus()
    await user.click(within(question).getByRole('button', { name: 'Cancel' }))
    expect(fake.callsTo('voices:delete')).toEqual([])
    expect(within(yours).getByRole('button', { name: 'Delete My voice' })).toHaveFocus()

    await user.click(within(yours).getByRole('button', { name: 'Delete My voice' }))
    await user.click(within(yours).getByRole('button', { name: 'Yes, delete My voice' }))
    expect(fake.callsTo('voices:delete').map((c) => c.payload)).toEqual([{ id: 'me-1' }])
    await waitFor(() => expect(within(yours).queryByRole('radio', { name: 'My voice' })).not.toBeInTheDocument())
    expect(screen.getByRole('radio', { name: 'MiMo default' })).toBeChecked()
    expect(within(yours).getByRole('status')).toHaveTextContent('Deleted “My voice”: the default voice speaks now.')

    // A design that is not in use: no change of voice.
    await user.click(within(yours).getByRole('button', { name: 'Delete Narrator' }))
    expect(within(yours).getByRole('group', { name: 'Delete Narrator' })).toHaveTextContent('Delete “Narrator”?')
    await user.click(within(yours).getByRole('button', { name: 'Yes, delete Narrator' }))
    expect(await within(yours).findByText('No saved voices yet.')).toBeInTheDocument()
    expect(within(yours).getByRole('status')).toHaveTextContent('Deleted “Narrator”.')
    expect(fake.settings.voice).toEqual({ kind: 'builtin', id: 'mimo_default' })
  })

  it('a damaged clone shows its problem and cannot be used or previewed, but can be re-recorded or deleted', async () => {
    const fake = new FakeApi({ voices: [...builtins, lost] })
    const { yours } = await openVoices(fake)
    const radio = within(yours).getByRole('radio', { name: 'Lost sample' })
    expect(radio).toBeDisabled()
    expect(radio).toHaveAccessibleDescription(/missing or damaged: record or import it again/)
    expect(within(yours).queryByRole('button', { name: 'Preview Lost sample' })).not.toBeInTheDocument()
    expect(within(yours).getByRole('button', { name: 'Re-record Lost sample' })).toBeEnabled()
    expect(within(yours).getByRole('button', { name: 'Delete Lost sample' })).toBeEnabled()
    // A design has no sample to re-record.
    expect(within(yours).queryByRole('button', { name: /Re-record Narrator/ })).not.toBeInTheDocument()
  })

  it('re-records a clone: the clone panel takes the new sample and replaces the old one, with consent', async () => {
    const fake = new FakeApi({ voices: [...builtins, mine] })
    const { user, yours } = await openVoices(fake)
    await user.click(within(yours).getByRole('button', { name: 'Re-record My voice' }))
    const panel = screen.getByRole('region', { name: 'Re-record “My voice”' })
    expect(within(panel).getByRole('heading', { name: 'Re-record “My voice”' })).toHaveFocus()
    await user.click(within(panel).getByRole('button', { name: 'Record' }))
    await user.click(await within(panel).findByRole('button', { name: 'Stop' }))
    const replace = await within(panel).findByRole('button', { name: 'Replace the sample' })
    // The voice keeps its name: no name field.
    expect(within(panel).queryByLabelText('Name')).not.toBeInTheDocument()
    expect(replace).toBeDisabled()
    await user.click(within(panel).getByRole('checkbox', { name: /This is my voice/ }))
    await user.click(replace)
    const [call] = fake.callsTo('voices:replace-sample')
    expect(call.payload).toEqual({ id: 'me-1', draftId: expect.stringMatching(/^draft-/), consent: true })
    expect(await screen.findByRole('region', { name: 'Clone my voice' })).toHaveTextContent('The sample of “My voice” was replaced.')
    expect(fake.callsTo('samples:save')).toEqual([])
  })

  it('stops a preview that is playing', async () => {
    const fake = new FakeApi({ voices: [...builtins, mine] })
    const { user, yours } = await openVoices(fake)
    const playing = fake.hold('voices:preview')
    await user.click(within(yours).getByRole('button', { name: 'Preview My voice' }))
    await user.click(within(yours).getByRole('button', { name: 'Stop the preview' }))
    expect(fake.channels()).toContain('voices:stop-preview')
    playing.resolve({ durationMs: 300 })
    await waitFor(() => expect(within(yours).queryByRole('button', { name: 'Stop the preview' })).not.toBeInTheDocument())
  })
})
