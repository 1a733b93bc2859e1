/**
 * Hold-to-talk latency: from xdotool pressing the shortcut's key on an X server of our own (Xvfb) to
 * the push-to-talk target's press() and release() calls, through the real hook and a HotkeyController.
 *
 *   npm run bench:key-hook            (SAMPLES=40 by default; median, p90 and max reported)
 *
 * Two hooks watch the same key presses: the app's, in its host process (resources/key-hook-host.cjs),
 * and, as the baseline, uiohook-napi loaded into this process, as the app ran it before. Each press
 * is timed by both, so the difference per press is what the process hop adds. The baseline carries
 * the library's risk: now and then libuiohook ends this process as it starts (then run it again).
 * The times include starting xdotool, whose own run (start to exit) is shown for scale.
 */
import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import { resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { promisify } from 'node:util'
import { startPrivateDisplay } from '../test/main/hotkey/private-display'
import { HotkeyController } from '../src/main/hotkey/hotkey-controller'
import type { HookKeyEvent } from '../src/main/hotkey/hook-keycodes'
import { HostKeyHook, nodeHostLauncher, type KeyHook } from '../src/main/hotkey/key-hook'

const run = promisify(execFile)
const SAMPLES = Number(process.env.SAMPLES ?? 40)
const HOST = resolve(__dirname, '../resources/key-hook-host.cjs')

/** uiohook-napi in this process (the baseline). */
function inProcessHook(): KeyHook {
  type Listener = (e: HookKeyEvent) => void
  const { uIOhook } = createRequire(import.meta.url)('uiohook-napi') as {
    uIOhook: { start(): void; stop(): void; on(e: string, l: Listener): void; off(e: string, l: Listener): void }
  }
  const subscribe = (name: string, l: Listener) => {
    uIOhook.on(name, l)
    return () => void uIOhook.off(name, l)
  }
  return {
    start: async () => uIOhook.start(),
    stop: () => uIOhook.stop(),
    onKeyDown: (l) => subscribe('keydown', l),
    onKeyUp: (l) => subscribe('keyup', l),
    onLost: () => () => {}
  }
}

/** A controller in hold mode on Ctrl+Alt+Space whose target notes when it was pressed and released. */
async function timedController(hook: KeyHook) {
  const times = { pressed: 0, released: 0 }
  const controller = new HotkeyController({
    target: {
      press: () => void (times.pressed = performance.now()),
      release: () => void (times.released = performance.now()),
      toggle: () => {},
      phase: () => 'idle'
    },
    globalShortcut: { register: () => false, unregister: () => {} },
    loadHook: async () => hook,
    env: { XDG_SESSION_TYPE: 'x11' },
    platform: 'linux'
  })
  const status = await controller.apply('Ctrl+Alt+Space', 'hold')
  if (status.activeMode !== 'hold') throw new Error(`the hook did not start: ${status.problem}`)
  return { times, controller }
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b)
const median = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)]
const p90 = (xs: number[]) => sorted(xs)[Math.min(xs.length - 1, Math.floor(xs.length * 0.9))]
const ms = (x: number) => x.toFixed(1)
const sleep = (t: number) => new Promise((r) => setTimeout(r, t))
const until = async (check: () => boolean) => {
  while (!check()) await new Promise((r) => setImmediate(r))
}

async function main(): Promise<void> {
  const x = await startPrivateDisplay()
  process.env.DISPLAY = x.display // read when uiohook-napi loads, here and in the host
  const xdotool = (...args: string[]) => run('xdotool', args, { env: { ...process.env, DISPLAY: x.display } })

  const host = await timedController(new HostKeyHook(nodeHostLauncher({ script: HOST })))
  const local = await timedController(inProcessHook())
  await sleep(300)

  const m = { localDown: [] as number[], hostDown: [] as number[], addedDown: [] as number[], localUp: [] as number[], hostUp: [] as number[], addedUp: [] as number[], xdotool: [] as number[] }
  for (let i = 0; i < SAMPLES; i++) {
    await xdotool('keydown', 'ctrl+alt')
    host.times.pressed = local.times.pressed = 0
    const t0 = performance.now()
    await xdotool('keydown', 'space')
    m.xdotool.push(performance.now() - t0)
    await until(() => host.times.pressed > 0 && local.times.pressed > 0)
    m.localDown.push(local.times.pressed - t0)
    m.hostDown.push(host.times.pressed - t0)
    m.addedDown.push(host.times.pressed - local.times.pressed)

    host.times.released = local.times.released = 0
    const t1 = performance.now()
    await xdotool('keyup', 'space')
    await until(() => host.times.released > 0 && local.times.released > 0)
    m.localUp.push(local.times.released - t1)
    m.hostUp.push(host.times.released - t1)
    m.addedUp.push(host.times.released - local.times.released)
    await xdotool('keyup', 'ctrl+alt')
    await sleep(30)
  }
  host.controller.dispose()
  local.controller.dispose()

  console.log(`${SAMPLES} presses of Space with Ctrl+Alt held, sent by xdotool`)
  console.log('| measure | median | p90 | max |')
  console.log('|---|---|---|---|')
  for (const [name, xs] of [
    ['keydown -> press(), hook in the app process (before)', m.localDown],
    ['keydown -> press(), hook in its host process (now)', m.hostDown],
    ['added by the host, per press', m.addedDown],
    ['keyup -> release(), hook in the app process (before)', m.localUp],
    ['keyup -> release(), hook in its host process (now)', m.hostUp],
    ['added by the host, per release', m.addedUp],
    ['xdotool keydown alone, start to exit', m.xdotool]
  ] as const) {
    console.log(`| ${name} (ms) | ${ms(median(xs))} | ${ms(p90(xs))} | ${ms(Math.max(...xs))} |`)
  }
  process.exit(0)
}

main().catch((err: Error) => {
  console.error(err.message)
  process.exit(1)
})
