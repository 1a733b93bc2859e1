import { render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { expect, vi } from 'vitest'
import { createApiClient } from '../../src/renderer/src/api-client'
import { App } from '../../src/renderer/src/app'
import { FakeApi } from './fake-api'

/** Renders the whole window on a fake window.api, as the preload would provide it. */
export function renderApp(fake: FakeApi = new FakeApi(), o: { fakeTimers?: boolean } = {}) {
  const user = userEvent.setup(o.fakeTimers ? { advanceTimers: (ms) => vi.advanceTimersByTime(ms) } : {})
  const utils = render(<App client={createApiClient(fake.api)} />)
  return { fake, user, ...utils }
}

/** Waits for the tabs (settings loaded, first run done), then opens one. */
export async function openTab(user: ReturnType<typeof userEvent.setup>, name: RegExp | string) {
  await user.click(await screen.findByRole('tab', { name }))
}

/**
 * The Talk view's push-to-talk button, once the view has its snapshot: a turn emitted before that
 * would be replaced by the fake's empty snapshot.
 */
export async function talkButton(): Promise<HTMLElement> {
  const button = await screen.findByRole('button', { name: 'Push to talk' })
  await waitFor(() => expect(screen.getByRole('log', { name: 'Conversation' })).toHaveAttribute('aria-busy', 'false'))
  return button
}
