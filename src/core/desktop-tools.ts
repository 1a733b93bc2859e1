/**
 * The desktop's own small programs (xclip, xsel, wl-clipboard, xdotool, xprop, wtype, xdg-open,
 * pbcopy, pactl...), run as child processes. One runner serves dictation's clipboard and keystrokes,
 * the context's selection and windows, the tools' browser and clipboard in the command, and the
 * sound device lists and checks: a missing program is null, a failure is its exit code and
 * complaint, a hang or a flood is killed.
 */
import { spawn } from 'node:child_process'

export type DisplayServer = 'x11' | 'wayland' | 'darwin' | 'win32' | 'none'

/** Which desktop the process talks to: Wayland (even with XWayland's DISPLAY), X11, macOS, Windows, or none. */
export function displayServer(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): DisplayServer {
  if (platform === 'darwin' || platform === 'win32') return platform
  if (env.WAYLAND_DISPLAY || env.XDG_SESSION_TYPE?.toLowerCase() === 'wayland') return 'wayland'
  return env.DISPLAY ? 'x11' : 'none'
}

export interface ToolOutput {
  /** null when the program did not end by itself (killed for a timeout or its output, or could not start). */
  code: number | null
  stdout: Buffer
  stderr: string
}

export interface ToolRun {
  input?: string | Uint8Array
  /** The program forks to keep serving (xclip -i, wl-copy, xdg-open): wait for its exit, not for its output. */
  forks?: boolean
  timeoutMs?: number
  /** Output beyond this kills the program (a clipboard can hold anything). */
  maxOutputBytes?: number
}

/** Runs a desktop tool; null when it is not installed. */
export type RunTool = (cmd: string, args: string[], o?: ToolRun) => Promise<ToolOutput | null>

export const TOOL_TIMEOUT_MS = 3000
export const TOOL_MAX_OUTPUT_BYTES = 16 * 1024 * 1024

export function toolRunner(env: NodeJS.ProcessEnv): RunTool {
  return (cmd, args, o = {}) =>
    new Promise((resolve) => {
      const timeoutMs = o.timeoutMs ?? TOOL_TIMEOUT_MS
      const maxOutput = o.maxOutputBytes ?? TOOL_MAX_OUTPUT_BYTES
      // A forking tool's background half inherits whatever pipes it is given: give it none but stdin.
      const child = spawn(cmd, args, { env, stdio: ['pipe', o.forks ? 'ignore' : 'pipe', o.forks ? 'ignore' : 'pipe'], windowsHide: true })
      const out: Buffer[] = []
      let outBytes = 0
      let stderr = ''
      let settled = false
      const done = (r: ToolOutput | null): void => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        resolve(r)
      }
      const killed = (why: string): void => {
        child.kill('SIGKILL')
        done({ code: null, stdout: Buffer.concat(out), stderr: `${stderr.trim()}\n${cmd} ${why}`.trim() })
      }
      const timer = setTimeout(() => killed(`did not answer within ${timeoutMs} ms`), timeoutMs)
      child.stdout?.on('data', (d: Buffer) => {
        outBytes += d.length
        if (outBytes > maxOutput) return killed(`printed more than ${Math.round(maxOutput / 1024 / 1024)} MB`)
        out.push(d)
      })
      child.stderr?.on('data', (d: Buffer) => {
        if (stderr.length < 2000) stderr += d.toString()
      })
      child.on('error', (err: NodeJS.ErrnoException) => done(err.code === 'ENOENT' ? null : { code: null, stdout: Buffer.alloc(0), stderr: `${cmd} could not run: ${err.message}` }))
      child.on(o.forks ? 'exit' : 'close', (code) => done({ code, stdout: Buffer.concat(out), stderr: stderr.trim() }))
      child.stdin?.on('error', () => undefined)
      child.stdin?.end(o.input === undefined ? undefined : Buffer.from(o.input))
    })
}

/** The last line of a tool's complaint, for a notice. */
export function complaint(cmd: string, r: ToolOutput): string {
  const said = r.stderr.split('\n').filter((l) => l.trim()).pop()?.trim()
  if (!said) return `${cmd} exited with code ${r.code}`
  return said.startsWith(`${cmd} `) ? said : `${cmd}: ${said}`
}

export class ToolMissingError extends Error {
  override name = 'ToolMissingError'
  constructor(readonly program: string) {
    super(`${program} is not installed`)
  }
}

export interface ToolText {
  code: number
  stdout: string
  stderr: string
}

/**
 * A tool's text output. Never rejects for an exit code (the caller reads it); rejects with
 * ToolMissingError when the program is not there, and with its complaint when it was killed.
 */
export async function runToolText(run: RunTool, program: string, args: string[], o: ToolRun = {}): Promise<ToolText> {
  const r = await run(program, args, o)
  if (!r) throw new ToolMissingError(program)
  if (r.code === null) throw new Error(complaint(program, r))
  return { code: r.code, stdout: r.stdout.toString('utf8'), stderr: r.stderr }
}
