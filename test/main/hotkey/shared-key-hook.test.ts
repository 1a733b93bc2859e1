import { describe, expect, it } from 'vitest'
import { sharedKeyHook } from '../../../src/main/hotkey/shared-key-hook'
import { FakeKeyHook } from './fakes'

describe('one key hook for several shortcuts', () => {
  it('loads once, runs while any shortcut uses it, and stops with the last', async () => {
    const hook = new FakeKeyHook()
    let loads = 0
    const load = sharedKeyHook(async () => (loads++, hook))
    const [a, b] = await Promise.all([load(), load()])
    expect(loads).toBe(1)
    a.start()
    b.start()
    a.start() // twice from one user counts once
    a.stop()
    expect(hook.running).toBe(true)
    b.stop()
    expect(hook.running).toBe(false)
    b.stop()
    a.start()
    expect(hook.running).toBe(true)
  })

  it('a failed load is tried again by the next caller; a failed start leaves nothing counted', async () => {
    const hook = new FakeKeyHook()
    let fail = true
    const load = sharedKeyHook(async () => {
      if (fail) throw new Error('no permission')
      return hook
    })
    await expect(load()).rejects.toThrow('no permission')
    fail = false
    const handle = await load()
    hook.failStart = new Error('XOpenDisplay failure')
    expect(() => handle.start()).toThrow('XOpenDisplay')
    hook.failStart = null
    handle.start()
    handle.stop()
    expect(hook.running).toBe(false)
  })
})
