/**
 * Real X applications of known content on a display of our own: xterm windows filled with a colour
 * and showing a line of text, placed and sized with xdotool, and text selected in them with the mouse.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { promisify } from 'node:util'
import { startPrivateDisplay } from '../../main/hotkey/private-display'

const run = promisify(execFile)

export interface XDesktop {
  display: string
  env: NodeJS.ProcessEnv
  xdotool(...args: string[]): Promise<string>
  /** An xterm titled `title`, background `bg`, showing `text`, at x,y with this size; resolves with its window id. */
  xterm(o: { title: string; bg: string; text: string; x: number; y: number; width: number; height: number }): Promise<string>
  /** Selects the line of text at x,y with a triple click (the window becomes the PRIMARY selection's owner). */
  selectLine(x: number, y: number): Promise<void>
  closeAll(): void
}

export async function startXDesktop(screen = '1920x1080x24'): Promise<XDesktop> {
  const { display } = await startPrivateDisplay(10_000, screen)
  const env = { ...process.env, DISPLAY: display }
  const children: ChildProcess[] = []
  const xdotool = async (...args: string[]): Promise<string> => (await run('xdotool', args, { env })).stdout
  return {
    display,
    env,
    xdotool,
    async xterm(o) {
      const child = spawn(
        'xterm',
        ['-T', o.title, '-bg', o.bg, '-fg', 'white', '-b', '0', '-geometry', `+${o.x}+${o.y}`, '-e', 'sh', '-c', `printf '%s\\n' "$0"; exec sleep 600`, o.text],
        { env, stdio: 'ignore' }
      )
      children.push(child)
      const id = (await xdotool('search', '--sync', '--onlyvisible', '--name', `^${o.title}$`)).trim().split('\n')[0]
      await xdotool('windowsize', '--sync', id, String(o.width), String(o.height))
      await xdotool('windowmove', '--sync', id, String(o.x), String(o.y))
      // Give xterm a moment to repaint at its new size.
      await new Promise((r) => setTimeout(r, 300))
      return id
    },
    async selectLine(x, y) {
      await xdotool('mousemove', '--sync', String(x), String(y), 'click', '--repeat', '3', '--delay', '60', '1')
      await new Promise((r) => setTimeout(r, 200))
    },
    closeAll() {
      for (const c of children.splice(0)) c.kill()
    }
  }
}

/** #rrggbb as channels. */
export function rgb(hex: string): { r: number; g: number; b: number } {
  const n = parseInt(hex.slice(1), 16)
  return { r: (n >> 16) & 255, g: (n >> 8) & 255, b: n & 255 }
}
