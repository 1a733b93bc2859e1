import { spawn } from 'node:child_process'
import { join, resolve } from 'node:path'

export const ROOT = resolve(__dirname, '../..')
const SOURCE_ENTRY = join(ROOT, 'src/cli/run.ts')

export interface Run {
  code: number | null
  stdout: Buffer
  stderr: string
}

/** Runs the command from source (node + tsx), as a user would, with its own config folders under `dir`. */
export function runCommand(dir: string, args: string[], o: { env?: NodeJS.ProcessEnv; stdin?: string; entry?: 'source' | 'bin' } = {}): Promise<Run> {
  const entry = o.entry === 'bin' ? [join(ROOT, 'bin/mimo-voice.mjs')] : ['--import', 'tsx', SOURCE_ENTRY]
  const child = spawn(process.execPath, [...entry, ...args], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: dir,
      XDG_CONFIG_HOME: join(dir, 'config'),
      MIMO_VOICE_DATA_DIR: join(dir, 'data'),
      ...o.env
    },
    stdio: ['pipe', 'pipe', 'pipe']
  })
  const out: Buffer[] = []
  let err = ''
  child.stdout.on('data', (d: Buffer) => out.push(d))
  child.stderr.on('data', (d: Buffer) => (err += d.toString()))
  child.stdin.end(o.stdin ?? '')
  return new Promise((resolvePromise) => child.on('close', (code) => resolvePromise({ code, stdout: Buffer.concat(out), stderr: err })))
}
