// The hold-to-talk hook for real: uiohook-napi in plain Node, an X server of our own (Xvfb), and key
// presses and releases sent by xdotool, the way a user's keyboard would.
import { execFile } from 'node:child_process'
import { resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { until } from '../../until'
import { HotkeyController } from '../../../src/main/hotkey/hotkey-controller'
import { loadCheckedKeyHook, nodeProbeRunner, probeKeyHook } from '../../../src/main/hotkey/key-hook'
import { FakeGlobalShortcut, RecordingTarget } from './fakes'
import { startPrivateDisplay, type PrivateDisplay } from './private-display'

const run = promisify(execFile)
const PROBE = resolve(__dirname, '../../../resources/hook-probe.cjs')

let x: PrivateDisplay
let controller: HotkeyController | null = null

beforeAll(async () => {
  x = await startPrivateDisplay()
  // The hook opens the display named by DISPLAY when it starts (this test file runs in its own process).
  process.env.DISPLAY = x.display
})
afterEach(() => {
  controller?.dispose()
  controller = null
})

const xdotool = (...args: string[]) => run('xdotool', args, { env: { ...process.env, DISPLAY: x.display } })
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function startController(mode: 'hold' | 'hybrid') {
  const target = new RecordingTarget()
  controller = new HotkeyController({
    target,
    globalShortcut: new FakeGlobalShortcut(),
    loadHook: () => loadCheckedKeyHook({ probe: nodeProbeRunner({ script: PROBE }), platform: 'linux' }),
    env: { XDG_SESSION_TYPE: 'x11' },
    platform: 'linux'
  })
  const status = await controller.apply('CommandOrControl+Alt+Space', mode)
  expect(status).toEqual({ accelerator: 'CommandOrControl+Alt+Space', requestedMode: mode, activeMode: mode })
  await sleep(100) // the hook thread attaches to the display
  return target
}

describe('uiohook under Xvfb', () => {
  it('the probe passes on a display and reports the failure (in its own process) without one', async () => {
    expect(await probeKeyHook(nodeProbeRunner({ script: PROBE }))).toBeNull()
    const env = { ...process.env }
    delete env.DISPLAY
    const problem = await probeKeyHook(nodeProbeRunner({ script: PROBE, env }))
    expect(problem).toMatch(/XOpenDisplay|display|SIGABRT/i)
  })

  it('hold: xdotool keydown starts recording, keyup stops it; auto-repeat while held does nothing', async () => {
    const target = await startController('hold')
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
    const target = await startController('hybrid')
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
    const target = await startController('hold')
    await xdotool('key', 'ctrl+shift+space')
    await xdotool('key', 'alt+space')
    await xdotool('key', 'ctrl+alt+shift+space')
    await sleep(300)
    expect(target.calls).toEqual([])
  })
})
