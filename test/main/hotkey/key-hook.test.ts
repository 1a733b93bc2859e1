// HostKeyHook's side of the conversation with its host process, with the host played by the test.
// The real host runs in uiohook-xvfb.test.ts (Node's fork) and test/build/main-bundle.test.ts (the
// stand-in Electron's utility process).
import { describe, expect, it } from 'vitest'
import { HostKeyHook, KeyHookUnavailableError, type HostEvents, type HostLauncher } from '../../../src/main/hotkey/key-hook'

/** Launches hosts that do nothing by themselves: the test speaks for them. */
function fakeHosts() {
  const hosts: Array<{ events: HostEvents; sent: unknown[]; kills: number }> = []
  const launch: HostLauncher = (events) => {
    const host = { events, sent: [] as unknown[], kills: 0 }
    hosts.push(host)
    return { send: (m) => void host.sent.push(m), kill: () => void host.kills++ }
  }
  return { launch, hosts }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('HostKeyHook', () => {
  it('starts one host however often start() is called, and passes its key events on, checked', async () => {
    const { launch, hosts } = fakeHosts()
    const hook = new HostKeyHook(launch)
    const a = hook.start()
    const b = hook.start()
    expect(hosts).toHaveLength(1)
    hosts[0].events.message({ type: 'started' })
    await Promise.all([a, b])
    const seen: unknown[] = []
    const off = hook.onKeyUp((e) => seen.push(e))
    hosts[0].events.message({ type: 'keyup', keycode: 0x39, ctrlKey: 1, altKey: true, extra: 'x' })
    hosts[0].events.message('noise')
    hosts[0].events.message(null)
    off()
    hosts[0].events.message({ type: 'keyup', keycode: 0x1d })
    expect(seen).toEqual([{ keycode: 0x39, ctrlKey: false, altKey: true, shiftKey: false, metaKey: false }])
  })

  it('an error the host reports is the reason, with its code', async () => {
    const { launch, hosts } = fakeHosts()
    const start = new HostKeyHook(launch).start()
    hosts[0].events.message({ type: 'error', message: 'Failed to enable access for assistive devices.', code: 'UIOHOOK_ERROR_AXAPI_DISABLED' })
    const err = (await start.catch((e: unknown) => e)) as KeyHookUnavailableError
    expect(err).toBeInstanceOf(KeyHookUnavailableError)
    expect([err.message, err.code]).toEqual(['Failed to enable access for assistive devices.', 'UIOHOOK_ERROR_AXAPI_DISABLED'])
  })

  it('a host that exits before it started: its last words, or how it ended', async () => {
    const { launch, hosts } = fakeHosts()
    const hook = new HostKeyHook(launch)
    const quiet = hook.start()
    hosts[0].events.exit(null, 'SIGABRT')
    await expect(quiet).rejects.toThrow("the key hook's process ended (SIGABRT)")
    // The next start is a new host.
    const talking = hook.start()
    hosts[1].events.stderr('hook_thread_proc [94]: Could not set thread priority 49 for thread 0x7f!\nxrecord_start [10')
    hosts[1].events.stderr('24]: XOpenDisplay failure!\n')
    hosts[1].events.exit(134, null)
    await expect(talking).rejects.toThrow(/^XOpenDisplay failure$/)
  })

  it('a host that hangs as it starts is ended after the time limit, with its last words', async () => {
    const { launch, hosts } = fakeHosts()
    const start = new HostKeyHook(launch, { startTimeoutMs: 50 }).start()
    hosts[0].events.stderr('xrecord_start [1024]: XOpenDisplay failure!\n')
    await expect(start).rejects.toThrow('XOpenDisplay failure')
    expect(hosts[0].kills).toBe(1)
  })

  it('stop() asks the host to stop and ends it if it does not; a stopped host is not "lost"', async () => {
    const { launch, hosts } = fakeHosts()
    const hook = new HostKeyHook(launch, { stopTimeoutMs: 30 })
    const lost: string[] = []
    hook.onLost((r) => lost.push(r))
    const start = hook.start()
    hosts[0].events.message({ type: 'started' })
    await start
    const seen: unknown[] = []
    hook.onKeyDown((e) => seen.push(e))
    hook.stop()
    expect(hosts[0].sent).toEqual([{ type: 'stop' }])
    hosts[0].events.message({ type: 'keydown', keycode: 0x39 }) // sent before it read the stop
    expect(seen).toEqual([])
    await sleep(60)
    expect(hosts[0].kills).toBe(1)
    hosts[0].events.exit(null, 'SIGKILL')
    expect(lost).toEqual([])
  })

  it('a host that dies after it started is reported as lost, once', async () => {
    const { launch, hosts } = fakeHosts()
    const hook = new HostKeyHook(launch)
    const lost: string[] = []
    hook.onLost((r) => lost.push(r))
    const start = hook.start()
    hosts[0].events.message({ type: 'started' })
    await start
    hosts[0].events.stderr('load_input_helper [1827]: XkbGetKeyboard failed to locate a valid keyboard!\n')
    hosts[0].events.exit(null, 'SIGSEGV')
    expect(lost).toEqual(["the key hook's process ended (SIGSEGV)"])
  })

  it('stop() during the start ends that start, whether the host had attached or not', async () => {
    const { launch, hosts } = fakeHosts()
    const hook = new HostKeyHook(launch)
    const first = hook.start()
    hook.stop()
    expect(hosts[0].sent).toEqual([{ type: 'stop' }])
    hosts[0].events.exit(0, null)
    await expect(first).rejects.toThrow('stopped as it started')

    const second = hook.start()
    hook.stop()
    hosts[1].events.message({ type: 'started' }) // sent before the host read the stop
    await expect(second).rejects.toThrow('stopped as it started')
  })
})
