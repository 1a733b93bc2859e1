// Runs `mimo-voice` as a user would: a child process (node + tsx from source, or the built bin), with its
// own config folders, and what it wrote and how it ended.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { join, resolve } from 'node:path'

export const ROOT = resolve(__dirname, '../..')
const SOURCE_ENTRY = join(ROOT, 'src/cli/run.ts')

export interface Run {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: Buffer
  stderr: string
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv
  /** Written to stdin, which is then closed; with keepStdinOpen, stdin stays open (a pipe nobody closes). */
  stdin?: string
  keepStdinOpen?: boolean
  entry?: 'source' | 'bin'
}

/** Starts the command; `done` resolves when it has ended. `home` holds its config and data folders. */
export function startCommand(home: string, args: string[], o: RunOptions = {}): { child: ChildProcessWithoutNullStreams; done: Promise<Run> } {
  const entry = o.entry === 'bin' ? [join(ROOT, 'bin/mimo-voice.mjs')] : ['--import', 'tsx', SOURCE_ENTRY]
  const child = spawn(process.execPath, [...entry, ...args], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: home,
      XDG_CONFIG_HOME: join(home, 'config'),
      MIMO_VOICE_DATA_DIR: join(home, 'data'),
      ...o.env
    },
    stdio: ['pipe', 'pipe', 'pipe']
  })
  const out: Buffer[] = []
  let err = ''
  child.stdout.on('data', (d: Buffer) => out.push(d))
  child.stderr.on('data', (d: Buffer) => (err += d.toString()))
  if (o.keepStdinOpen) {
    if (o.stdin) child.stdin.write(o.stdin)
  } else child.stdin.end(o.stdin ?? '')
  const done = new Promise<Run>((resolveRun) =>
    child.on('close', (code, signal) => resolveRun({ code, signal, stdout: Buffer.concat(out), stderr: err }))
  )
  return { child, done }
}

export function runCommand(home: string, args: string[], o: RunOptions = {}): Promise<Run> {
  return startCommand(home, args, o).done
}
