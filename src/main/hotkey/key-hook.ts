import { fork } from 'node:child_process'
import { createRequire } from 'node:module'
import type { HookKeyEvent } from './hook-keycodes'

/**
 * A system-wide keyboard hook that sees key-down and key-up: uiohook-napi in the app, run in a process
 * of its own (resources/key-hook-host.cjs), since libuiohook can end the process it runs in.
 */
export interface KeyHook {
  /** Resolves once the hook is attached; rejects with KeyHookUnavailableError where it cannot be (no display, no permission, ...). */
  start(): Promise<void>
  stop(): void
  onKeyDown(listener: (e: HookKeyEvent) => void): () => void
  onKeyUp(listener: (e: HookKeyEvent) => void): () => void
  /** The hook ended by itself after it started (its process died); the reason is a phrase for the user. */
  onLost(listener: (reason: string) => void): () => void
  /** Sends a key press and release, with modifiers held, to the focused window (the hook must be running). */
  keyTap?(keycode: number, modifiers: number[]): void
}

const localRequire = createRequire(import.meta.url)

/** Why the hook cannot be used here: a sentence for the user. */
export class KeyHookUnavailableError extends Error {
  constructor(
    message: string,
    readonly code?: string
  ) {
    super(message)
    this.name = 'KeyHookUnavailableError'
  }
}

/** What the hook process tells its parent, as it arrives from the host process. */
export interface HostEvents {
  message(message: unknown): void
  stderr(text: string): void
  exit(code: number | null, signal: string | null): void
}

/** The parent's end of a running hook process. */
export interface HostProcess {
  send(message: { type: 'stop' } | { type: 'tap'; keycode: number; modifiers: number[] }): void
  kill(): void
}

/**
 * Starts resources/key-hook-host.cjs with the path of uiohook-napi as its argument: an Electron utility
 * process in the app (src/main/electron/key-hook-utility-process.ts), a Node child in tests.
 */
export type HostLauncher = (events: HostEvents) => HostProcess

/** Where uiohook-napi is installed, for the host (which may run from another folder). */
export function uiohookModulePath(): string {
  return localRequire.resolve('uiohook-napi')
}

/** Runs the host script with Node's child_process.fork. */
export function nodeHostLauncher(o: { script: string; env?: NodeJS.ProcessEnv }): HostLauncher {
  return (events) => {
    const child = fork(o.script, [uiohookModulePath()], {
      env: o.env ?? process.env,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      execArgv: [] // plain Node, not the parent's loaders
    })
    child.stderr?.on('data', (d: Buffer) => events.stderr(d.toString()))
    child.on('message', (m) => events.message(m))
    child.on('error', (err) => events.stderr(`${err.message}\n`))
    child.on('exit', (code, signal) => events.exit(code, signal))
    return {
      send: (m) => {
        if (child.connected) child.send(m)
      },
      kill: () => void child.kill('SIGKILL')
    }
  }
}

function keyEvent(m: Record<string, unknown>): HookKeyEvent {
  return {
    keycode: Number(m.keycode),
    ctrlKey: m.ctrlKey === true,
    altKey: m.altKey === true,
    shiftKey: m.shiftKey === true,
    metaKey: m.metaKey === true
  }
}

/** libuiohook's last words, e.g. "XOpenDisplay failure" from "xrecord_start [1024]: XOpenDisplay failure!". */
function lastWords(stderr: string): string | undefined {
  const line = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .pop()
  return line?.replace(/^\w+ \[\d+\]: /, '').replace(/!$/, '')
}

const STOPPED_AS_IT_STARTED = 'the key hook was stopped as it started'

interface HostRun {
  process: HostProcess | null
  started: Promise<void>
  stopping: boolean
  stopTimer?: NodeJS.Timeout
}

/** The key hook in its host process: start() launches the process, stop() ends it. */
export class HostKeyHook implements KeyHook {
  readonly #launch: HostLauncher
  readonly #startTimeoutMs: number
  readonly #stopTimeoutMs: number
  readonly #listeners = {
    keydown: new Set<(e: HookKeyEvent) => void>(),
    keyup: new Set<(e: HookKeyEvent) => void>(),
    lost: new Set<(reason: string) => void>()
  }
  #run: HostRun | null = null

  constructor(launch: HostLauncher, o: { startTimeoutMs?: number; stopTimeoutMs?: number } = {}) {
    this.#launch = launch
    this.#startTimeoutMs = o.startTimeoutMs ?? 10_000
    this.#stopTimeoutMs = o.stopTimeoutMs ?? 2_000
  }

  start(): Promise<void> {
    this.#run ??= this.#startHost()
    return this.#run.started
  }

  stop(): void {
    const run = this.#run
    if (!run) return
    this.#run = null
    run.stopping = true
    run.process?.send({ type: 'stop' })
    // A host that does not answer is ended; the timer is cleared when it exits.
    run.stopTimer = setTimeout(() => run.process?.kill(), this.#stopTimeoutMs)
    run.stopTimer.unref()
  }

  onKeyDown(listener: (e: HookKeyEvent) => void): () => void {
    return subscribe(this.#listeners.keydown, listener)
  }

  onKeyUp(listener: (e: HookKeyEvent) => void): () => void {
    return subscribe(this.#listeners.keyup, listener)
  }

  onLost(listener: (reason: string) => void): () => void {
    return subscribe(this.#listeners.lost, listener)
  }

  keyTap(keycode: number, modifiers: number[]): void {
    const process = this.#run && !this.#run.stopping ? this.#run.process : null
    if (!process) throw new KeyHookUnavailableError('the key hook is not running')
    process.send({ type: 'tap', keycode, modifiers })
  }

  #startHost(): HostRun {
    let resolve = (): void => {}
    let reject = (_err: Error): void => {}
    const run: HostRun = {
      process: null,
      started: new Promise<void>((res, rej) => {
        resolve = res
        reject = rej
      }),
      stopping: false
    }
    run.started.catch(() => {}) // the caller is told; an overtaken start has no one left to tell
    let started = false
    let stderr = ''
    // When the library fails to attach it aborts its process, or now and then hangs: hence a time limit.
    const startTimer = setTimeout(() => {
      reject(new KeyHookUnavailableError(lastWords(stderr) ?? `the key hook did not start within ${this.#startTimeoutMs / 1000} s`))
      run.process?.kill()
    }, this.#startTimeoutMs)

    run.process = this.#launch({
      message: (m) => {
        if (typeof m !== 'object' || m === null) return
        const msg = m as Record<string, unknown>
        if (msg.type === 'keydown' || msg.type === 'keyup') {
          if (run.stopping) return // a host on its way out, maybe next to a new one
          const e = keyEvent(msg)
          for (const l of [...this.#listeners[msg.type]]) l(e)
        } else if (msg.type === 'started') {
          started = true
          clearTimeout(startTimer)
          if (run.stopping) reject(new KeyHookUnavailableError(STOPPED_AS_IT_STARTED))
          else resolve()
        } else if (msg.type === 'error') {
          clearTimeout(startTimer)
          reject(new KeyHookUnavailableError(String(msg.message), typeof msg.code === 'string' ? msg.code : undefined))
        }
      },
      stderr: (text) => {
        stderr = (stderr + text).slice(-4096)
      },
      exit: (code, signal) => {
        clearTimeout(startTimer)
        clearTimeout(run.stopTimer)
        if (this.#run === run) this.#run = null
        const ended = `the key hook's process ended (${signal ?? `exit code ${code}`})`
        if (run.stopping) reject(new KeyHookUnavailableError(STOPPED_AS_IT_STARTED))
        // Once started, the last words may be an old warning: the lost hook is named by its exit.
        else if (started) for (const l of [...this.#listeners.lost]) l(ended)
        else reject(new KeyHookUnavailableError(lastWords(stderr) ?? ended))
      }
    })
    return run
  }
}

function subscribe<T>(set: Set<T>, listener: T): () => void {
  set.add(listener)
  return () => void set.delete(listener)
}
