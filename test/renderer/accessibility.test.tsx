import { act, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { FakeApi } from './fake-api'
import { openTab, renderApp } from './render-app'

const CONTROLS = 'button, input, select, textarea, a[href], [role="tab"], [role="meter"], [role="log"]'

/** Every visible control has an accessible name, and no id is used twice (labels would point to the wrong field). */
function expectLabelled(container: HTMLElement) {
  const controls = [...container.querySelectorAll<HTMLElement>(CONTROLS)].filter((el) => !el.closest('[hidden]'))
  expect(controls.length).toBeGreaterThan(3)
  for (const el of controls) expect(el, el.outerHTML.slice(0, 120)).toHaveAccessibleName()
  const ids = [...document.querySelectorAll('[id]')].map((el) => el.id)
  expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([])
}

describe('accessibility', () => {
  it('every control in every view is labelled', async () => {
    const fake = new FakeApi({
      voices: [
        { ref: { kind: 'builtin', id: 'Mia' }, name: 'Mia', language: 'en' },
        { ref: { kind: 'clone', id: 'me' }, name: 'My voice', durationSec: 10 }
      ]
    })
    fake.answer('assistant:snapshot', () => ({
      state: { phase: 'idle' },
      turns: [
        {
          id: 'a',
          input: 'voice',
          question: 'Weather?',
          reply: 'Sunny.',
          spoken: 'Sunny.',
          sources: [{ url: 'https://example.com/w', title: 'Forecast' }],
          status: 'done',
          timings: { release: 0, firstToken: 300, done: 900 },
          canRetry: false,
          startedAt: ''
        },
        { id: 'b', input: 'voice', reply: '', spoken: '', sources: [], status: 'error', timings: {}, canRetry: true, error: { kind: 'network', message: 'Timed out.' }, startedAt: '' }
      ]
    }))
    const { user, container } = renderApp(fake)
    await screen.findByText('Sunny.')
    act(() => fake.emit('assistant:state', { phase: 'recording' }))
    await user.click(screen.getAllByRole('button', { name: /Timings/ })[0])
    expectLabelled(container)

    await openTab(user, 'Voices')
    await screen.findByRole('radio', { name: 'My voice' })
    expectLabelled(container)

    await openTab(user, 'Settings')
    await screen.findByRole('form', { name: 'Settings' })
    await user.selectOptions(screen.getByLabelText('Region'), 'Custom address…')
    expectLabelled(container)
  })

  it('the first-run page is labelled', async () => {
    const fake = new FakeApi({ settings: { firstRunDone: false }, key: { set: false, storage: 'os-keychain' } })
    fake.answer('doctor:run', () => ({ checks: [{ id: 'player', status: 'ok', label: 'Player', detail: 'Ready.' }] }))
    const { user, container } = renderApp(fake)
    await user.click(await screen.findByRole('button', { name: 'Test microphone' }))
    await screen.findByText(/Heard you/)
    await screen.findByRole('list', { name: 'Findings' })
    expectLabelled(container)
  })
})
