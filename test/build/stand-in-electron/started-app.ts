// The built main bundle in a child Node process, with the stand-in electron (loader.cjs), and the
// test's end of the stand-in's side channel: what the app did (reports) and commands to it.
import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { MAIN_BUNDLE, ROOT } from './build-output'

export interface Report {
  type: string
  [field: string]: unknown
}

/** Commands the stand-in runs against the handlers the app installed (see electron.cjs). */
export type Command =
  | { op: 'invoke'; channel: string; payload?: unknown; sender: 'window' | 'foreign-page' | 'subframe' | 'other-contents' }
  | { op: 'navigate'; url: string; event?: 'will-navigate' | 'will-redirect' }
  | { op: 'open-window'; url: string }
  | { op: 'headers'; url: string; responseHeaders?: Record<string, string[]> }
  | { op: 'permission-request'; permission: string; details: Record<string, unknown> }
  | { op: 'permission-check'; permission: string; origin: string; details: Record<string, unknown> }
  | { op: 'device-permission'; origin: string }
  | { op: 'tray-click'; itemId: string }

const LOADER = join(__dirname, 'loader.cjs')

/** Variables that would make the app differ from run to run (the test's own display, keys, session). */
const UNSET = ['DISPLAY', 'WAYLAND_DISPLAY', 'XDG_SESSION_TYPE', 'MIMO_API_KEY', 'ELECTRON_RENDERER_URL', 'ELECTRON_RUN_AS_NODE']

export class StartedApp {
  readonly reports: Report[] = []
  stdout = ''
  stderr = ''
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  readonly #child: ChildProcess
  #nextId = 1
  #waiters: Array<() => void> = []

  constructor(o: { home: string; dataDir: string; env?: Record<string, string>; args?: string[] }) {
    const env: NodeJS.ProcessEnv = { ...process.env }
    for (const name of UNSET) delete env[name]
    Object.assign(env, {
      HOME: o.home,
      XDG_CONFIG_HOME: join(o.home, '.config'),
      MIMO_VOICE_DATA_DIR: o.dataDir,
      STAND_IN_ELECTRON_APP_PATH: ROOT,
      ...o.env
    })
    this.#child = spawn(process.execPath, ['--require', LOADER, MAIN_BUNDLE, ...(o.args ?? [])], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      // Structured clone: byte arrays reach the IPC handlers as Uint8Array, as with Electron's IPC.
      serialization: 'advanced'
    })
    const wake = (): void => {
      for (const w of this.#waiters.splice(0)) w()
    }
    this.#child.stdout!.on('data', (d: Buffer) => {
      this.stdout += d.toString()
      wake()
    })
    this.#child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()))
    this.#child.on('message', (m: Report) => {
      this.reports.push(m)
      wake()
    })
    this.exited = new Promise((resolve) =>
      this.#child.on('exit', (code, signal) => {
        resolve({ code, signal })
        wake()
      })
    )
  }

  get running(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null
  }

  of(type: string): Report[] {
    return this.reports.filter((r) => r.type === type)
  }

  /** What the stand-in saw go wrong: uncaught errors, unhandled rejections, electron APIs it lacks. */
  problems(): Report[] {
    return this.reports.filter((r) => ['uncaught-exception', 'unhandled-rejection', 'missing'].includes(r.type))
  }

  /** Waits for a report matching `match`; fails with what happened so far. */
  async waitFor(what: string, match: (r: Report) => boolean, timeoutMs = 5000): Promise<Report> {
    let found: Report | undefined
    await this.until(what, () => !!(found = this.reports.find(match)), timeoutMs)
    return found!
  }

  /** Waits until `check` holds, looking again on each report and each piece of output. */
  async until(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      if (check()) return
      if (!this.running || Date.now() > deadline) {
        throw new Error(`Gave up waiting for ${what} (${this.running ? 'timed out' : 'the app ended'}).\n${this.describe()}`)
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))
        this.#waiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
  }

  /** Runs a command in the stand-in and returns its result. */
  async run<T = unknown>(command: Command, timeoutMs = 10_000): Promise<T> {
    const id = this.#nextId++
    this.#child.send({ ...command, id })
    const reply = await this.waitFor(`the reply to ${command.op}`, (r) => r.type === 'reply' && r.id === id, timeoutMs)
    if (typeof reply.error === 'string') throw new Error(`stand-in: ${reply.error}`)
    return reply.value as T
  }

  invoke<T = unknown>(channel: string, payload?: unknown, sender: Extract<Command, { op: 'invoke' }>['sender'] = 'window'): Promise<T> {
    return this.run<T>({ op: 'invoke', channel, payload, sender })
  }

  describe(): string {
    const lines = this.reports.map((r) => JSON.stringify(r).slice(0, 300))
    return [`reports:`, ...lines.slice(-40), `stdout:\n${this.stdout.slice(-2000)}`, `stderr:\n${this.stderr.slice(-2000)}`].join('\n')
  }

  async stop(): Promise<void> {
    if (this.running) this.#child.kill('SIGTERM')
    await this.exited
  }
}
