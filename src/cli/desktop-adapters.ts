/**
 * The command's ways to the desktop for the tools: the browser through xdg-open (open on macOS,
 * start on Windows), and the clipboard through the first of wl-copy, xclip, xsel, pbcopy, clip.
 */
import { spawn } from 'node:child_process'
import { findProgramOnPath } from '../core/audio/find-program'
import type { ClipboardWriter, UrlOpener } from '../core/ports'
import { ToolError } from '../core/tools/tool'

function run(program: string, args: string[], o: { env: NodeJS.ProcessEnv; input?: string; detach?: boolean }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { env: o.env, stdio: [o.input !== undefined ? 'pipe' : 'ignore', 'ignore', 'pipe'], detached: o.detach ?? false })
    let stderr = ''
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-500)))
    child.on('error', (err) => reject(new ToolError(`${program} could not run: ${err.message}`, 'not-available')))
    child.on('close', (code) => (code === 0 ? resolve() : reject(new ToolError(`${program} failed (exit ${code})${stderr.trim() ? `: ${stderr.trim()}` : ''}`, 'tool-failed'))))
    if (o.input !== undefined) child.stdin!.end(o.input)
    if (o.detach) child.unref()
  })
}

export function commandUrlOpener(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): UrlOpener {
  return {
    async open(url) {
      if (platform === 'darwin') return run('open', [url], { env })
      if (platform === 'win32') return run('cmd', ['/c', 'start', '""', url], { env })
      const xdg = await findProgramOnPath(env, platform)('xdg-open')
      if (!xdg) throw new ToolError('xdg-open is not installed (Debian/Ubuntu: sudo apt install xdg-utils).', 'not-available')
      return run(xdg, [url], { env })
    }
  }
}

const CLIPBOARD_PROGRAMS: Array<{ name: string; args: string[]; when?: (env: NodeJS.ProcessEnv) => boolean }> = [
  { name: 'wl-copy', args: [], when: (env) => !!env.WAYLAND_DISPLAY },
  { name: 'xclip', args: ['-selection', 'clipboard', '-in'], when: (env) => !!env.DISPLAY },
  { name: 'xsel', args: ['--clipboard', '--input'], when: (env) => !!env.DISPLAY },
  { name: 'pbcopy', args: [] },
  { name: 'clip', args: [] }
]

export function commandClipboard(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): ClipboardWriter {
  const find = findProgramOnPath(env, platform)
  return {
    async writeText(text) {
      for (const p of CLIPBOARD_PROGRAMS) {
        if (p.when && !p.when(env)) continue
        const path = await find(p.name)
        if (path) return run(path, p.args, { env, input: text })
      }
      throw new ToolError('No clipboard program was found (install wl-clipboard, xclip or xsel).', 'not-available')
    }
  }
}
