import { describe, expect, it } from 'vitest'
import { sharedKeyHook } from '../../../src/main/hotkey/shared-key-hook'
import { FakeKeyHook } from './fakes'

describe('one key hook for several shortcuts', () => {
  it('loads once, starts once, runs while any shortcut uses it, and stops with the last', async () => {
    const hook = new FakeKeyHook()
    let loads = 0
    const load = sharedKeyHook(async () => (loads++, hook))
    const [a, b] = await Promise.all([load(), load()])
    expect(loads).toBe(1)
    await Promise.all([a.start(), b.start(), a.start()])
    expect(hook.starts).toBe(1)
    a.stop()
    expect(hook.running).toBe(true)
    b.stop()
    expect(hook.running).toBe(false)
    b.stop()
    await a.start()
    expect([hook.running, hook.starts]).toEqual([true, 2])
    // Keys and a lost hook reach every shortcut.
    const lost: string[] = []
    a.onLost((r) => lost.push(`a ${r}`))
    b.onLost((r) => lost.push(`b ${r}`))
    hook.lose('the host died')
    expect(lost).toEqual(['a the host died', 'b the host died'])
  })

  it('a failed start answers the other shortcuts once (one launch, one reason); trying again launches anew', async () => {
    const hook = new FakeKeyHook()
    const load = sharedKeyHook(async () => hook)
    const [a, b] = await Promise.all([load(), load()])
    hook.failStart = new Error('XOpenDisplay failure')
    await expect(a.start()).rejects.toThrow('XOpenDisplay')
    await expect(b.start()).rejects.toThrow('XOpenDisplay')
    expect(hook.starts).toBe(1)
    hook.failStart = null
    await b.start()
    expect([hook.running, hook.starts]).toEqual([true, 2])
    await a.start()
    expect(hook.starts).toBe(2)
    a.stop()
    b.stop()
    expect(hook.running).toBe(false)
  })

  it('a failed load is tried again by the next caller', async () => {
    let fail = true
    const hook = new FakeKeyHook()
    const load = sharedKeyHook(async () => {
      if (fail) throw new Error('no permission')
      return hook
    })
    await expect(load()).rejects.toThrow('no permission')
    fail = false
    await (await load()).start()
    expect(hook.running).toBe(true)
  })
})
