// "Design a voice": description, preview (shows the sentence the model spoke), name, save, use.
import { screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { FakeApi } from './fake-api'
import { openTab, renderApp } from './render-app'

async function openDesign(fake = new FakeApi()) {
  const r = renderApp(fake)
  await openTab(r.user, 'Voices')
  const panel = await screen.findByRole('region', { name: 'Design a voice' })
  return { ...r, panel }
}

describe('design a voice', () => {
  it('previews a description, shows what it said, then saves and uses it', async () => {
    const fake = new FakeApi()
    const { user, panel } = await openDesign(fake)
    const preview = within(panel).getByRole('button', { name: 'Preview' })
    const save = within(panel).getByRole('button', { name: 'Save voice' })
    expect(preview).toBeDisabled()
    expect(save).toBeDisabled()

    const description = within(panel).getByRole('textbox', { name: 'Description' })
    await user.type(description, 'An old sailor, slow and gravelly.')
    expect(within(panel).getByText('33 of 500 characters')).toBeInTheDocument()
    const speaking = fake.hold('voices:design-preview')
    await user.click(preview)
    expect(within(panel).getByRole('button', { name: 'Playing…' })).toBeDisabled()
    expect(fake.callsTo('voices:design-preview').map((c) => c.payload)).toEqual([{ description: 'An old sailor, slow and gravelly.' }])
    speaking.resolve({ durationMs: 3100, text: 'Ahoy there! The sea was rough last night.' })
    expect(await within(panel).findByText('It said: “Ahoy there! The sea was rough last night.”')).toBeInTheDocument()

    expect(save).toBeDisabled()
    await user.type(within(panel).getByRole('textbox', { name: 'Name' }), 'Sailor')
    expect(save).toBeEnabled()
    await user.click(save)
    expect(fake.callsTo('voices:design-save').map((c) => c.payload)).toEqual([{ name: 'Sailor', description: 'An old sailor, slow and gravelly.' }])
    expect(await within(panel).findByText('Saved “Sailor”.')).toBeInTheDocument()
    const yours = screen.getByRole('region', { name: 'Your voices' })
    expect(within(yours).getByRole('radio', { name: 'Sailor' })).toHaveAccessibleDescription('Designed · An old sailor, slow and gravelly.')
    expect(within(panel).getByRole('textbox', { name: 'Description' })).toHaveValue('')

    await user.click(within(panel).getByRole('button', { name: 'Use “Sailor”' }))
    await waitFor(() => expect(within(yours).getByRole('radio', { name: 'Sailor' })).toBeChecked())
    expect(within(panel).getByText('“Sailor” speaks now.')).toBeInTheDocument()
  })

  it('a failed preview or save says why and keeps what was typed', async () => {
    const fake = new FakeApi()
    fake.fail('voices:design-preview', { kind: 'api', message: 'The API key was refused (401).', hint: 'Check the key in Settings.' })
    fake.fail('voices:design-save', { kind: 'input', message: "'Mia' is the name of a built-in voice: choose another name." })
    const { user, panel } = await openDesign(fake)
    await user.type(within(panel).getByRole('textbox', { name: 'Description' }), 'A whisper.')
    await user.click(within(panel).getByRole('button', { name: 'Preview' }))
    expect(await within(panel).findByRole('alert')).toHaveTextContent('The API key was refused (401).')
    await user.type(within(panel).getByRole('textbox', { name: 'Name' }), 'Mia{Enter}')
    await waitFor(() => expect(within(panel).getAllByRole('alert').map((a) => a.textContent)).toContainEqual(expect.stringContaining("'Mia' is the name of a built-in voice")))
    expect(within(panel).getByRole('textbox', { name: 'Description' })).toHaveValue('A whisper.')
    expect(within(panel).getByRole('textbox', { name: 'Name' })).toHaveValue('Mia')
  })

  it('is in Chinese when the window is', async () => {
    const r = renderApp(new FakeApi({ settings: { uiLanguage: 'zh' } }))
    await openTab(r.user, '声音')
    const panel = await screen.findByRole('region', { name: '设计声音' })
    expect(within(panel).getByRole('textbox', { name: '描述' })).toBeInTheDocument()
    expect(within(panel).getByRole('button', { name: '试听' })).toBeDisabled()
  })
})
