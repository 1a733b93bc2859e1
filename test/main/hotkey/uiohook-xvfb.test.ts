// The hold-to-talk hook for real: uiohook-napi in its host process (resources/key-hook-host.cjs,
// started with Node's fork as the app starts it with Electron's utilityProcess), an X server of our
// own (Xvfb), and key presses and releases sent by xdotool, the way a user's keyboard would.
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { HotkeyStatus } from '../../../src/shared/ipc'
import { until } from '../../until'
import { HotkeyController } from '../../../src/main/hotkey/hotkey-controller'
import { HostKeyHook, KeyHookUnavailableError, nodeHostLauncher, type HostLauncher, type HostProcess } from '../../../src/main/hotkey/key-hook'
import { FakeGlobalShortcut, RecordingTarget } from './fakes'
import { startPrivateDisplay, type PrivateDisplay } from './private-display'

const run = promisify(execFile)
const HOST = resolve(__dirname, '../../../resources/key-hook-host.cjs')

let x: PrivateDisplay
let controller: HotkeyController | null = null

beforeAll(async () => {
  x = await startPrivateDisplay()
})
afterEach(() => {
  controller?.dispose()
  controller = null
})

const env = (): NodeJS.ProcessEnv => ({ ...process.env, DISPLAY: x.display })
const xdotool = (...args: string[]) => run('xdotool', args, { env: env() })
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** The Node launcher, keeping a handle on the last host it started (to end it as a crash would). */
function launcher(o: { env?: NodeJS.ProcessEnv } = {}) {
  const launch = nodeHostLauncher({ script: HOST, env: o.env ?? env() })
  const hosts: HostProcess[] = []
  const counting: HostLauncher = (events) => {
    const host = launch(events)
    hosts.push(host)
    return host
  }
  return { launch: counting, hosts }
}

async function startController(mode: 'hold' | 'hybrid') {
  const target = new RecordingTarget()
  const shortcuts = new FakeGlobalShortcut()
  const statuses: HotkeyStatus[] = []
  const host = launcher()
  controller = new HotkeyController({
    target,
    globalShortcut: shortcuts,
    loadHook: async () => new HostKeyHook(host.launch),
    env: { XDG_SESSION_TYPE: 'x11' },
    platform: 'linux',
    onStatus: (s) => statuses.push(s)
  })
  const status = await controller.apply('CommandOrControl+Alt+Space', mode)
  expect(status).toEqual({ accelerator: 'CommandOrControl+Alt+Space', requestedMode: mode, activeMode: mode })
  await sleep(100) // the hook thread attaches to the display
  return { target, shortcuts, statuses, hosts: host.hosts }
}

describe('uiohook under Xvfb', () => {
  it('the host starts on a display, and without one it fails in its own process with the reason', async () => {
    const hook = new HostKeyHook(launcher().launch)
    await hook.start()
    hook.stop()
    const noDisplay = env()
    delete noDisplay.DISPLAY
    // libuiohook aborts there, or now and then hangs: then the time limit ends it (shortened here).
    const err = await new HostKeyHook(launcher({ env: noDisplay }).launch, { startTimeoutMs: 3000 }).start().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(KeyHookUnavailableError)
    expect((err as Error).message).toMatch(/XOpenDisplay|display/i)
  })

  it('hold: xdotool keydown starts recording, keyup stops it; auto-repeat while held does nothing', async () => {
    const { target } = await startController('hold')
    await xdotool('keydown', 'ctrl+alt+space')
    await until(() => target.calls.length > 0, { what: 'press' })
    await sleep(700) // long enough for X auto-repeat to send more key-downs
    expect(target.calls).toEqual(['press'])
    await xdotool('keyup', 'ctrl+alt+space')
    await until(() => target.calls.length > 1, { what: 'release' })
    await sleep(100)
    expect(target.calls).toEqual(['press', 'release'])
  })

  it('hybrid: a tap under 500 ms keeps recording, the next press ends it; a hold over 500 ms ends on release', async () => {
    const { target } = await startController('hybrid')
    await xdotool('keydown', 'ctrl+alt+space')
    await until(() => target.calls.length > 0, { what: 'press' })
    await sleep(80)
    await xdotool('keyup', 'ctrl+alt+space')
    await sleep(300)
    expect(target.calls).toEqual(['press'])
    expect(target.phase()).toBe('recording')

    await xdotool('keydown', 'ctrl+alt+space')
    await until(() => target.calls.length > 1, { what: 'release' })
    await xdotool('keyup', 'ctrl+alt+space')
    await sleep(200)
    expect(target.calls).toEqual(['press', 'release'])

    target.current = 'idle'
    await xdotool('keydown', 'ctrl+alt+space')
    await until(() => target.calls.length > 2, { what: 'second press' })
    await sleep(800)
    expect(target.calls).toEqual(['press', 'release', 'press'])
    await xdotool('keyup', 'ctrl+alt+space')
    await until(() => target.calls.length > 3, { what: 'second release' })
    expect(target.calls).toEqual(['press', 'release', 'press', 'release'])
  })

  it('other keys and other modifier sets do not trigger', async () => {
    const { target } = await startController('hold')
    await xdotool('key', 'ctrl+shift+space')
    await xdotool('key', 'alt+space')
    await xdotool('key', 'ctrl+alt+shift+space')
    await sleep(300)
    expect(target.calls).toEqual([])
  })

  it('when the host dies, the shortcut falls back to toggle and says so; this process goes on', async () => {
    const { target, shortcuts, statuses, hosts } = await startController('hold')
    hosts[0].kill() // as a crash in libuiohook would end it
    await until(() => statuses.length > 1, { what: 'the fallback' })
    expect(statuses.at(-1)).toMatchObject({ requestedMode: 'hold', activeMode: 'toggle' })
    expect(statuses.at(-1)!.problem).toMatch(/^Hold-to-talk stopped: the key hook's process ended \(SIGKILL\)\. .*separate presses/)
    shortcuts.press('CommandOrControl+Alt+Space')
    expect(target.calls).toEqual(['toggle'])
    // The next change of shortcut tries the hook again, in a new host.
    const again = await controller!.apply('CommandOrControl+Alt+Space', 'hold')
    expect(again).toEqual({ accelerator: 'CommandOrControl+Alt+Space', requestedMode: 'hold', activeMode: 'hold' })
    expect(hosts).toHaveLength(2)
  })

  it('the hook never runs in the test process: uiohook-napi is not loaded here', () => {
    expect(readFileSync('/proc/self/maps', 'utf8')).not.toMatch(/uiohook/)
  })
})
