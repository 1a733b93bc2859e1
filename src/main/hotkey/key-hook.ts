import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import type { HookKeyEvent } from './hook-keycodes'

/** A system-wide keyboard hook that sees key-down and key-up (uiohook-napi in the app). */
export interface KeyHook {
  /** Throws when the hook cannot attach (no accessibility permission, ...). */
  start(): void
  stop(): void
  onKeyDown(listener: (e: HookKeyEvent) => void): () => void
  onKeyUp(listener: (e: HookKeyEvent) => void): () => void
}

const localRequire = createRequire(import.meta.url)

/** Why the hook cannot be used here: a sentence for the user. Thrown by loaders. */
export class KeyHookUnavailableError extends Error {
  constructor(
    message: string,
    readonly code?: string
  ) {
    super(message)
    this.name = 'KeyHookUnavailableError'
  }
}

/** How the probe process ended. */
export interface ProbeRun {
  code: number | null
  signal: string | null
  stderr: string
}

/**
 * Runs resources/hook-probe.cjs once in a child process (Electron's utilityProcess in the app, Node in
 * tests), with the path of uiohook-napi as its argument.
 */
export type ProbeRunner = () => Promise<ProbeRun>

/** Where uiohook-napi is installed, for the probe (which may run from another folder). */
export function uiohookModulePath(): string {
  return localRequire.resolve('uiohook-napi')
}

/** Runs the probe script with Node. */
export function nodeProbeRunner(o: { script: string; execPath?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): ProbeRunner {
  return () =>
    new Promise((resolve) => {
      const child = spawn(o.execPath ?? process.execPath, [o.script, uiohookModulePath()], {
        env: o.env ?? process.env,
        stdio: ['ignore', 'ignore', 'pipe']
      })
      let stderr = ''
      child.stderr?.on('data', (d: Buffer) => {
        stderr += d.toString()
      })
      const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 10_000)
      child.on('error', (err) => {
        clearTimeout(timer)
        resolve({ code: null, signal: null, stderr: err.message })
      })
      child.on('close', (code, signal) => {
        clearTimeout(timer)
        resolve({ code, signal, stderr })
      })
    })
}

/** Null when the hook attached and detached cleanly in the child, else the reason it did not. */
export async function probeKeyHook(run: ProbeRunner): Promise<string | null> {
  const r = await run()
  if (r.code === 0) return null
  const detail = r.stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .pop()
  // libuiohook prints e.g. "xrecord_start [1024]: XOpenDisplay failure!" before it aborts.
  if (detail) return detail.replace(/^\w+ \[\d+\]: /, '').replace(/!$/, '')
  return `the key hook stopped (${r.signal ?? `exit code ${r.code}`})`
}

interface UiohookModule {
  uIOhook: {
    start(): void
    stop(): void
    on(e: 'keydown' | 'keyup', l: (e: HookKeyEvent) => void): unknown
    off(e: 'keydown' | 'keyup', l: (e: HookKeyEvent) => void): unknown
  }
}

/** uiohook-napi as a KeyHook. On Linux call it only after a successful probe (see loadCheckedKeyHook). */
export async function loadUiohookKeyHook(): Promise<KeyHook> {
  let mod: UiohookModule
  try {
    mod = localRequire('uiohook-napi') as UiohookModule
  } catch (err) {
    throw new KeyHookUnavailableError(`the key hook library did not load (${(err as Error).message})`)
  }
  const hook = mod.uIOhook
  const subscribe = (e: 'keydown' | 'keyup', l: (ev: HookKeyEvent) => void): (() => void) => {
    hook.on(e, l)
    return () => void hook.off(e, l)
  }
  return {
    start() {
      try {
        hook.start()
      } catch (err) {
        throw new KeyHookUnavailableError((err as Error).message, (err as { code?: string }).code)
      }
    },
    stop() {
      hook.stop()
    },
    onKeyDown: (l) => subscribe('keydown', l),
    onKeyUp: (l) => subscribe('keyup', l)
  }
}

/** The app's hook: on Linux, probed in a child first, since a failed start there kills the process. */
export async function loadCheckedKeyHook(o: { probe: ProbeRunner; platform?: NodeJS.Platform }): Promise<KeyHook> {
  if ((o.platform ?? process.platform) === 'linux') {
    const problem = await probeKeyHook(o.probe)
    if (problem) throw new KeyHookUnavailableError(problem)
  }
  return loadUiohookKeyHook()
}
