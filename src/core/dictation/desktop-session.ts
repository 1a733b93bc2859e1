/**
 * The desktop's programs for the clipboard and keystrokes, run as child processes (the command
 * line uses them all; the app uses its own clipboard and key library first): which display server
 * this is, and a runner that never throws for a missing program.
 */
import { spawn } from 'node:child_process'

export type DisplayServer = 'x11' | 'wayland' | 'darwin' | 'win32' | 'none'

export function displayServer(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): DisplayServer {
  if (platform === 'darwin' || platform === 'win32') return platform
  if (env.WAYLAND_DISPLAY || env.XDG_SESSION_TYPE?.toLowerCase() === 'wayland') return 'wayland'
  return env.DISPLAY ? 'x11' : 'none'
}

export interface ToolOutput {
  code: number | null
  stdout: Buffer
  stderr: string
}

export interface ToolRun {
  input?: string | Uint8Array
  /** The program forks to keep serving (xclip -i, wl-copy): wait for its exit, not for its output. */
  forks?: boolean
  timeoutMs?: number
}

/** Runs a desktop tool; null when it is not installed. */
export type RunTool = (cmd: string, args: string[], o?: ToolRun) => Promise<ToolOutput | null>

export function toolRunner(env: NodeJS.ProcessEnv): RunTool {
  return (cmd, args, o = {}) =>
    new Promise((resolve) => {
      // A forking tool's background half inherits whatever pipes it is given: give it none but stdin.
      const child = spawn(cmd, args, { env, stdio: ['pipe', o.forks ? 'ignore' : 'pipe', o.forks ? 'ignore' : 'pipe'], windowsHide: true })
      const out: Buffer[] = []
      let stderr = ''
      let settled = false
      const done = (r: ToolOutput | null): void => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        resolve(r)
      }
      const timer = setTimeout(() => {
        child.kill('SIGKILL')
        done({ code: null, stdout: Buffer.concat(out), stderr: `${stderr}${cmd} did not finish in time`.trim() })
      }, o.timeoutMs ?? 3000)
      child.stdout?.on('data', (d: Buffer) => out.push(d))
      child.stderr?.on('data', (d: Buffer) => {
        if (stderr.length < 2000) stderr += d.toString()
      })
      child.on('error', (err: NodeJS.ErrnoException) => done(err.code === 'ENOENT' ? null : { code: null, stdout: Buffer.alloc(0), stderr: err.message }))
      child.on(o.forks ? 'exit' : 'close', (code) => done({ code, stdout: Buffer.concat(out), stderr: stderr.trim() }))
      child.stdin?.on('error', () => undefined)
      child.stdin?.end(o.input === undefined ? undefined : Buffer.from(o.input))
    })
}

/** The last line of a tool's complaint, for a notice. */
export function complaint(cmd: string, r: ToolOutput): string {
  const said = r.stderr.split('\n').filter((l) => l.trim()).pop()
  return said ? `${cmd}: ${said.trim()}` : `${cmd} exited with code ${r.code}`
}
