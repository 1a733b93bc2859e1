/**
 * Selected and copied text without Electron, for the command and the test hosts: xsel (or xclip) on X11
 * for the PRIMARY selection and the clipboard, wl-paste on Wayland, pbpaste on macOS and PowerShell
 * on Windows (which have no selection of their own: the clipboard stands in).
 */
import type { TextSelection } from '../ports'
import { displayServer, runToolText, toolRunner, ToolMissingError, type DisplayServer } from '../desktop-tools'
import { ContextError } from './errors'

type Which = 'primary' | 'clipboard'

/** Programs to try in order, each with its arguments; empty output (or a "nothing there" exit) means no text. */
function commandsFor(kind: DisplayServer, platform: NodeJS.Platform, which: Which): Array<[string, string[]]> {
  if (platform === 'darwin') return [['pbpaste', []]]
  if (platform === 'win32') return [['powershell.exe', ['-NoProfile', '-Command', 'Get-Clipboard -Raw']]]
  if (kind === 'wayland')
    return [['wl-paste', which === 'primary' ? ['--primary', '--no-newline', '--type', 'text'] : ['--no-newline', '--type', 'text']]]
  return [
    ['xsel', ['--output', which === 'primary' ? '--primary' : '--clipboard']],
    ['xclip', ['-o', '-selection', which]]
  ]
}

const INSTALL_HINT: Record<string, string> = {
  xsel: 'Install xsel (sudo apt install xsel) or xclip.',
  'wl-paste': 'Install wl-clipboard (sudo apt install wl-clipboard).'
}

export function createNodeTextSelection(o: { env?: NodeJS.ProcessEnv; platform?: NodeJS.Platform } = {}): TextSelection {
  const env = o.env ?? process.env
  const platform = o.platform ?? process.platform
  const kind = displayServer(env, platform)
  const run = toolRunner(env)

  async function read(which: Which): Promise<string> {
    if (kind === 'none') throw new ContextError('There is no desktop to read the selection from (no DISPLAY).', 'selection-unavailable')
    const commands = commandsFor(kind, platform, which)
    for (const [program, args] of commands) {
      try {
        const r = await runToolText(run, program, args, { timeoutMs: 2000 })
        // xclip and wl-paste exit non-zero when nothing is selected or copied.
        return r.code === 0 ? r.stdout : ''
      } catch (err) {
        if (err instanceof ToolMissingError) continue
        throw err
      }
    }
    const first = commands[0][0]
    throw new ContextError(`Reading the ${which === 'primary' ? 'selection' : 'clipboard'} needs ${first}.`, 'selection-unavailable', INSTALL_HINT[first])
  }

  // Linux has a selection of its own (PRIMARY); macOS and Windows only the clipboard.
  const hasPrimary = platform !== 'darwin' && platform !== 'win32'
  return {
    selection: () => read(hasPrimary ? 'primary' : 'clipboard'),
    clipboard: () => read('clipboard')
  }
}
