// The context channels: payloads checked by the contract (image bytes only, size-limited), the image
// decoded again in the main process, the switches set, and an app without context saying so.
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { ContextService } from '../../src/core/context/context-service'
import { dispatchInvoke } from '../../src/main/ipc-dispatch'
import { createHandlers } from '../../src/main/ipc-handlers'
import { MAX_IMAGE_FILE_BYTES, type NextContext } from '../../src/shared/context'
import { DEFAULT_SETTINGS } from '../../src/shared/settings'
import { fakeServices } from './electron/fake-services'
import { FakeScreen, paint } from '../core/context/fake-sources'

function handlers(withContext = true) {
  const context = new ContextService({
    capture: new FakeScreen({ image: { kind: 'raw', raw: paint(10, 10, [0, 0, 0]) }, windows: [] }),
    settings: () => DEFAULT_SETTINGS
  })
  const h = createHandlers({
    ...fakeServices(),
    ...(withContext ? { context } : {}),
    pageReady: () => {},
    appInfo: () => ({ version: '0', platform: 'linux', hotkey: { accelerator: 'Ctrl+Alt+Space', requestedMode: 'hybrid', activeMode: 'hybrid' } })
  })
  return { context, call: (channel: string, payload?: unknown) => dispatchInvoke(h, channel, payload) }
}

const value = async (p: Promise<{ ok: boolean; value?: unknown; error?: { message: string } }>): Promise<NextContext> => {
  const r = await p
  if (!r.ok) throw new Error(r.error!.message)
  return r.value as NextContext
}
const failure = async (p: Promise<{ ok: boolean; error?: { message: string } }>): Promise<string> => {
  const r = await p
  expect(r.ok).toBe(false)
  return r.error!.message
}

describe('context over IPC', () => {
  it('sets the switches, adds a real image (decoded here), removes it', async () => {
    const { call, context } = handlers()
    expect(await value(call('context:set-next', { screen: true }))).toEqual({ screen: true, selection: false, images: [] })
    const png = await sharp({ create: { width: 30, height: 20, channels: 3, background: '#f00' } }).png().toBuffer()
    const next = await value(call('context:add-image', { fileName: 'red.png', bytes: new Uint8Array(png) }))
    expect(next.images).toEqual([expect.objectContaining({ kind: 'image', label: 'red.png', width: 30, height: 20, mime: 'image/png' })])
    expect((await value(call('context:next'))).images).toHaveLength(1)
    expect((await value(call('context:remove-image', { id: next.images[0].id }))).images).toEqual([])
    expect(context.next().screen).toBe(true)
  })

  it('refuses what is not image bytes before the service sees it, and bytes that do not decode after', async () => {
    const { call } = handlers()
    expect(await failure(call('context:add-image', { fileName: 'x.png', bytes: 'iVBORw0KGgo=' }))).toMatch(/^bytes: expected the image as bytes/)
    expect(await failure(call('context:add-image', { fileName: 'x.png', bytes: new Uint8Array(0) }))).toMatch(/^bytes: The image file is empty/)
    const big = new Uint8Array(MAX_IMAGE_FILE_BYTES + 1)
    expect(await failure(call('context:add-image', { fileName: 'big.png', bytes: big }))).toMatch(/^bytes: The image is larger than 20 MB/)
    expect(await failure(call('context:add-image', { fileName: 'x.png', bytes: new TextEncoder().encode('not an image') }))).toBe(
      'That file is not an image MiMo Voice can read.'
    )
    expect(await failure(call('context:set-next', { screen: 'yes' }))).toMatch(/^screen:/)
    expect(await failure(call('context:set-next', { screen: true, everything: true }))).toMatch(/everything/)
  })

  it('an app without context sources says so', async () => {
    const { call } = handlers(false)
    expect(await failure(call('context:next'))).toBe('Context for questions is not available here.')
  })
})
