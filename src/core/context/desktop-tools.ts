/** Runs the desktop's own small programs (xdotool, xsel, xclip, wl-paste, pbpaste): output, or a clear reason. */
import { execFile } from 'node:child_process'

export class ToolMissingError extends Error {
  override name = 'ToolMissingError'
  constructor(readonly program: string) {
    super(`${program} is not installed`)
  }
}

export interface ToolResult {
  code: number
  stdout: string
  stderr: string
}

/** Never rejects for an exit code (the caller reads it); rejects with ToolMissingError when the program is not there. */
export function runTool(program: string, args: string[], o: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    execFile(
      program,
      args,
      { env: o.env ?? process.env, timeout: o.timeoutMs ?? 3000, maxBuffer: 16 * 1024 * 1024, windowsHide: true, encoding: 'utf8' },
      (err, stdout, stderr) => {
        const e = err as (NodeJS.ErrnoException & { code?: string | number; killed?: boolean }) | null
        if (e?.code === 'ENOENT') return reject(new ToolMissingError(program))
        if (e?.killed) return reject(new Error(`${program} did not answer within ${o.timeoutMs ?? 3000} ms`))
        resolve({ code: typeof e?.code === 'number' ? e.code : e ? 1 : 0, stdout, stderr })
      }
    )
  })
}

/** `KEY=value` lines (xdotool --shell) as a map. */
export function shellVars(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of text.split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim())
    if (m) out[m[1]] = m[2]
  }
  return out
}
