import { describe, expect, it, vi } from 'vitest'
import { ApiCallError, BRIDGE_FAILED, BRIDGE_MISSING, createApiClient } from '../../src/renderer/src/api-client'
import type { Api } from '../../src/shared/ipc'
import { FakeApi } from './fake-api'

describe('api client', () => {
  it('unwraps a value', async () => {
    const client = createApiClient(new FakeApi().api)
    await expect(client.call('voices:preview', { voice: { kind: 'builtin', id: 'Mia' } })).resolves.toEqual({ durationMs: 1200 })
  })

  it('turns a refused call into an ApiCallError carrying the user error', async () => {
    const fake = new FakeApi()
    fake.fail('doctor:run', { kind: 'audio', message: 'No player found.', hint: 'sudo apt install pulseaudio-utils' })
    const err = await createApiClient(fake.api).call('doctor:run').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiCallError)
    expect((err as ApiCallError).userError).toEqual({ kind: 'audio', message: 'No player found.', hint: 'sudo apt install pulseaudio-utils' })
    expect((err as ApiCallError).channel).toBe('doctor:run')
  })

  it('turns a broken or missing bridge into a message, never a raw rejection', async () => {
    const broken = { ...new FakeApi().api, 'app:info': () => Promise.reject(new Error("No handler registered for 'app:info'")) } as Api
    const err = await createApiClient(broken).call('app:info').catch((e: unknown) => e)
    expect((err as ApiCallError).userError.code).toBe(BRIDGE_FAILED)
    expect((err as ApiCallError).userError.message).toContain('No handler registered')

    const missing = await createApiClient(undefined).call('app:info').catch((e: unknown) => e)
    expect((missing as ApiCallError).userError.code).toBe(BRIDGE_MISSING)
    expect(createApiClient(undefined).on('assistant:state', () => {})).toBeTypeOf('function')
  })

  it('delivers events, drops malformed ones, and unsubscribes', () => {
    const fake = new FakeApi()
    const client = createApiClient(fake.api)
    const seen: string[] = []
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const off = client.on('assistant:state', (s) => seen.push(s.phase))
    fake.emit('assistant:state', { phase: 'recording' })
    fake.emit('assistant:state', { phase: 'dancing' } as never)
    expect(seen).toEqual(['recording'])
    expect(warn).toHaveBeenCalledOnce()
    off()
    fake.emit('assistant:state', { phase: 'idle' })
    expect(seen).toEqual(['recording'])
    expect(fake.listenerCount('assistant:state')).toBe(0)
    warn.mockRestore()
  })
})
