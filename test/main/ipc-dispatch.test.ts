import { describe, expect, it } from 'vitest'
import { dispatchInvoke } from '../../src/main/ipc-dispatch'
import { createHandlers } from '../../src/main/ipc-handlers'
import { buildApi, type IpcRendererLike } from '../../src/preload/api'
import { EVENT_CHANNELS, INVOKE_CHANNELS, invokeSchemas } from '../../src/shared/ipc'
import { fakeServices, idleModes } from './electron/fake-services'

function handlersWithFakes() {
  const s = fakeServices()
  const handlers = createHandlers({
    ...s,
    pageReady: () => {},
    modes: idleModes,
    appInfo: () => ({ version: '0.1.0', platform: 'linux', hotkey: { accelerator: 'Ctrl+Alt+Space', requestedMode: 'hybrid', activeMode: 'hybrid' } })
  })
  return { s, handlers }
}

/** ipcRenderer by hand: records invokes and keeps listeners per channel. */
class FakeIpcRenderer implements IpcRendererLike {
  invokes: Array<{ channel: string; args: unknown[] }> = []
  listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>()
  async invoke(channel: string, ...args: unknown[]) {
    this.invokes.push({ channel, args })
    return { ok: true, value: channel }
  }
  on(channel: string, l: (event: unknown, ...args: unknown[]) => void) {
    if (!this.listeners.has(channel)) this.listeners.set(channel, new Set())
    this.listeners.get(channel)!.add(l)
  }
  removeListener(channel: string, l: (event: unknown, ...args: unknown[]) => void) {
    this.listeners.get(channel)?.delete(l)
  }
  emit(channel: string, payload: unknown) {
    const event = { sender: 'ipcRenderer', senderId: 0 }
    for (const l of this.listeners.get(channel) ?? []) l(event, payload)
  }
}

describe('the IPC contract', () => {
  it('every channel has a schema, a handler and a preload function, and nothing else does', () => {
    const { handlers } = handlersWithFakes()
    const api = buildApi(new FakeIpcRenderer()) as unknown as Record<string, unknown>
    expect(Object.keys(handlers).sort()).toEqual([...INVOKE_CHANNELS].sort())
    expect(Object.keys(invokeSchemas).sort()).toEqual([...INVOKE_CHANNELS].sort())
    const apiChannels = Object.keys(api).filter((k) => k !== 'on')
    expect(apiChannels.sort()).toEqual([...INVOKE_CHANNELS].sort())
    for (const c of INVOKE_CHANNELS) {
      expect(typeof (handlers as Record<string, unknown>)[c]).toBe('function')
      expect(typeof api[c]).toBe('function')
    }
  })

  it('refuses an unknown channel', async () => {
    const { handlers } = handlersWithFakes()
    const r = await dispatchInvoke(handlers, 'shell:exec', { cmd: 'rm -rf /' })
    expect(r).toEqual({ ok: false, error: { kind: 'input', message: 'Unknown request "shell:exec".' } })
    const proto = await dispatchInvoke(handlers, '__proto__', undefined)
    expect(proto.ok).toBe(false)
  })

  it('refuses a bad payload with the field and the reason, before any service runs', async () => {
    const { s, handlers } = handlersWithFakes()
    const r1 = await dispatchInvoke(handlers, 'assistant:ask', { text: '' })
    expect(r1.ok).toBe(false)
    if (!r1.ok) {
      expect(r1.error.kind).toBe('input')
      expect(r1.error.message).toMatch(/^text: /)
    }
    const r2 = await dispatchInvoke(handlers, 'settings:update', { volume: 3 })
    expect(r2.ok).toBe(false)
    if (!r2.ok) expect(r2.error.message).toMatch(/^volume: .*1/)
    const r3 = await dispatchInvoke(handlers, 'key:set', { key: 'sk-long-enough', extra: 1 })
    expect(r3.ok).toBe(false)
    if (!r3.ok) expect(r3.error.message).toMatch(/^extra: /)
    const r4 = await dispatchInvoke(handlers, 'assistant:stop', { anything: true })
    expect(r4.ok).toBe(false)
    const r5 = await dispatchInvoke(handlers, 'voices:select', { kind: 'builtin', id: 'Nobody' })
    expect(r5.ok).toBe(false)
    if (!r5.ok) expect(r5.error.message).toMatch(/^id: unknown built-in voice/)
    expect(s.assistant.calls).toEqual([])
    expect(s.settings.value.volume).toBe(1)
  })

  it('passes a valid payload to the service and wraps the value', async () => {
    const { s, handlers } = handlersWithFakes()
    expect(await dispatchInvoke(handlers, 'assistant:ask', { text: '  what time is it?  ' })).toEqual({ ok: true, value: { turnId: 't1' } })
    expect(s.assistant.calls).toEqual([['ask', 'what time is it?', undefined]])
    const set = await dispatchInvoke(handlers, 'settings:update', { volume: 0.25 })
    expect(set).toMatchObject({ ok: true, value: { settings: { volume: 0.25 }, key: { set: false } } })
    const key = await dispatchInvoke(handlers, 'key:set', { key: 'sk-abcdefgh1234' })
    expect(key).toMatchObject({ ok: true, value: { key: { set: true, last4: '1234' } } })
    expect(JSON.stringify(key)).not.toContain('abcdefgh')
  })

  it('maps a thrown error through toUserError, and never rejects', async () => {
    const { s, handlers } = handlersWithFakes()
    s.assistant.failWith = Object.assign(new Error('boom'), {
      toUserError: () => ({ kind: 'audio' as const, message: 'No microphone found.', hint: 'Plug one in.' })
    })
    expect(await dispatchInvoke(handlers, 'assistant:press', undefined)).toEqual({
      ok: false,
      error: { kind: 'audio', message: 'No microphone found.', hint: 'Plug one in.' }
    })
    s.assistant.failWith = new Error('plain failure')
    expect(await dispatchInvoke(handlers, 'assistant:stop', undefined)).toEqual({
      ok: false,
      error: { kind: 'internal', message: 'Something went wrong: plain failure' }
    })
  })

  it('selecting a saved voice checks that it exists and is usable', async () => {
    const { s, handlers } = handlersWithFakes()
    s.voices.saved = [
      { ref: { kind: 'clone', id: 'me' }, name: 'Me' },
      { ref: { kind: 'clone', id: 'broken' }, name: 'Broken', problem: 'The sample file is missing.' }
    ]
    expect(await dispatchInvoke(handlers, 'voices:select', { kind: 'clone', id: 'me' })).toMatchObject({
      ok: true,
      value: { settings: { voice: { kind: 'clone', id: 'me' } } }
    })
    expect(await dispatchInvoke(handlers, 'voices:select', { kind: 'clone', id: 'gone' })).toMatchObject({
      ok: false,
      error: { kind: 'input', message: expect.stringMatching(/^voice: No saved voice/) }
    })
    expect(await dispatchInvoke(handlers, 'voices:select', { kind: 'clone', id: 'broken' })).toMatchObject({
      ok: false,
      error: { message: 'voice: The sample file is missing.' }
    })
    expect(s.settings.value.voice).toEqual({ kind: 'clone', id: 'me' })
  })
})

describe('ids and device names a compromised window sends', () => {
  it('a voice reference in settings must be a saved voice id of a voice that exists', async () => {
    const { s, handlers } = handlersWithFakes()
    s.voices.saved = [{ ref: { kind: 'clone', id: 'me-1' }, name: 'Me' }]
    for (const id of ['../../api-key', 'a/b', 'x'.repeat(65), '']) {
      const r = await dispatchInvoke(handlers, 'settings:update', { voice: { kind: 'clone', id } })
      expect(r.ok, id).toBe(false)
      if (!r.ok) expect(r.error.message, id).toMatch(/^voice\.id: not a saved voice id/)
    }
    const gone = await dispatchInvoke(handlers, 'settings:update', { voice: { kind: 'design', id: 'never-saved' } })
    expect(gone).toMatchObject({ ok: false, error: { message: expect.stringMatching(/No saved voice has this id/) } })
    expect(s.settings.value.voice).toEqual({ kind: 'builtin', id: 'mimo_default' })
    expect(await dispatchInvoke(handlers, 'settings:update', { voice: { kind: 'clone', id: 'me-1' } })).toMatchObject({ ok: true })
    expect(await dispatchInvoke(handlers, 'voices:preview', { voice: { kind: 'clone', id: '../x' } })).toMatchObject({ ok: false })
  })

  it('a sound device must look like a device name, and be one the system lists', async () => {
    const { s, handlers } = handlersWithFakes()
    for (const id of ['-d', '--help', 'a b', 'x;rm -rf ~', '$(id)', 'x'.repeat(301)]) {
      const r = await dispatchInvoke(handlers, 'settings:update', { inputDevice: id })
      expect(r.ok, id).toBe(false)
      if (!r.ok) expect(r.error.message, id).toMatch(/^inputDevice: not a sound device name/)
    }
    const unknown = await dispatchInvoke(handlers, 'settings:update', { inputDevice: 'alsa_input.somewhere-else' })
    expect(unknown).toMatchObject({ ok: false, error: { message: 'inputDevice: There is no such sound device on this computer.' } })
    expect(s.settings.value.inputDevice).toBeNull()
    // The fake system lists one input ('default') and no outputs: an output is then checked by its form only.
    expect(await dispatchInvoke(handlers, 'settings:update', { inputDevice: 'default', outputDevice: 'plughw:CARD=PCH,DEV=0' })).toMatchObject({ ok: true })
    expect(await dispatchInvoke(handlers, 'settings:update', { inputDevice: null })).toMatchObject({ ok: true })
  })
})

describe('the preload api (buildApi over a fake ipcRenderer)', () => {
  it('invokes the channel with the payload; payload-less channels send nothing whatever they are given', async () => {
    const ipc = new FakeIpcRenderer()
    const api = buildApi(ipc)
    await api['assistant:ask']({ text: 'hi' })
    await (api['assistant:toggle'] as (x?: unknown) => Promise<unknown>)({ type: 'click', target: {} })
    expect(ipc.invokes).toEqual([
      { channel: 'assistant:ask', args: [{ text: 'hi' }] },
      { channel: 'assistant:toggle', args: [] }
    ])
  })

  it('on() hands the listener the payload only, for event channels only, and unsubscribes', () => {
    const ipc = new FakeIpcRenderer()
    const api = buildApi(ipc)
    const got: unknown[][] = []
    const off = api.on('assistant:state', (...args: unknown[]) => got.push(args))
    ipc.emit('assistant:state', { phase: 'recording' })
    off()
    ipc.emit('assistant:state', { phase: 'idle' })
    expect(got).toEqual([[{ phase: 'recording' }]])
    expect(ipc.listeners.get('assistant:state')?.size).toBe(0)
    expect(() => api.on('settings:get' as never, () => {})).toThrow(/Unknown event/)
    expect(() => api.on('ipc-internal' as never, () => {})).toThrow(/Unknown event/)
    for (const e of EVENT_CHANNELS) expect(() => api.on(e, () => {})()).not.toThrow()
  })

  it('is frozen: the page cannot swap a function', () => {
    const api = buildApi(new FakeIpcRenderer()) as unknown as Record<string, unknown>
    expect(Object.isFrozen(api)).toBe(true)
    expect(() => {
      api['assistant:stop'] = () => 'x'
    }).toThrow()
  })
})
