/**
 * The clipboard through the desktop's own tools, for the command line: xclip (or xsel) on X11,
 * wl-clipboard on Wayland, pbcopy on macOS, clip and PowerShell on Windows (text only; not run
 * here, there is no Windows machine). xclip and wl-clipboard read and put back images as
 * well as text; a tool serves one format at a time, so an image is put back as the image (the app,
 * with Electron's clipboard, puts every format back at once).
 */
import { complaint, displayServer, toolRunner, type DisplayServer, type RunTool } from '../desktop-tools'
import type { ClipboardContents, ClipboardPort } from './text-inserter'

export class ClipboardUnavailableError extends Error {
  override name = 'ClipboardUnavailableError'
  readonly code = 'clipboard-unavailable'
  toUserError() {
    return { kind: 'input' as const, code: this.code, message: this.message, hint: 'Install xclip (X11) or wl-clipboard (Wayland), or use mimo-voice dictate without --type.' }
  }
}

interface Tool {
  /** Tells whether the tool is installed (default: its reader with --version). */
  probe?: [string, string[]]
  /** Text as the tool reads it on stdin (default UTF-8). */
  encode?: (text: string) => Uint8Array
  /** Lists the formats on offer (null: only text can be told). */
  types?: (primary: boolean) => [string, string[]]
  readType?: (type: string) => [string, string[]]
  readText: (primary: boolean) => [string, string[]]
  write: (primary: boolean, type?: string) => [string, string[]]
  clear: (primary: boolean) => [string, string[]]
}

const sel = (primary: boolean) => (primary ? 'primary' : 'clipboard')

const XCLIP: Tool = {
  types: (p) => ['xclip', ['-selection', sel(p), '-o', '-t', 'TARGETS']],
  readType: (t) => ['xclip', ['-selection', 'clipboard', '-o', '-t', t]],
  readText: (p) => ['xclip', ['-selection', sel(p), '-o', '-t', 'UTF8_STRING']],
  write: (p, t) => ['xclip', ['-selection', sel(p), '-i', ...(t ? ['-t', t] : [])]],
  clear: (p) => ['xclip', ['-selection', sel(p), '-i', '/dev/null']]
}
const XSEL: Tool = {
  readText: (p) => ['xsel', [p ? '--primary' : '--clipboard', '--output']],
  write: (p) => ['xsel', [p ? '--primary' : '--clipboard', '--input']],
  clear: (p) => ['xsel', [p ? '--primary' : '--clipboard', '--clear']]
}
const WL: Tool = {
  types: (p) => ['wl-paste', [...(p ? ['--primary'] : []), '--list-types']],
  readType: (t) => ['wl-paste', ['--no-newline', '--type', t]],
  readText: (p) => ['wl-paste', [...(p ? ['--primary'] : []), '--no-newline']],
  write: (p, t) => ['wl-copy', [...(p ? ['--primary'] : []), ...(t ? ['--type', t] : [])]],
  clear: (p) => ['wl-copy', [...(p ? ['--primary'] : []), '--clear']]
}
const PB: Tool = {
  readText: () => ['pbpaste', []],
  write: () => ['pbcopy', []],
  clear: () => ['pbcopy', []]
}

const WIN: Tool = {
  probe: ['clip', ['/?']],
  readText: () => ['powershell.exe', ['-NoProfile', '-Command', 'Get-Clipboard -Raw']],
  write: () => ['clip', []],
  clear: () => ['clip', []],
  // clip takes the console's code page, unless the text is UTF-16 with its byte-order mark.
  encode: (text) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])
}

const CANDIDATES: Record<DisplayServer, Tool[]> = { x11: [XCLIP, XSEL], wayland: [WL], darwin: [PB], win32: [WIN], none: [] }

const TEXT_TYPES = ['UTF8_STRING', 'text/plain;charset=utf-8', 'text/plain', 'STRING', 'TEXT']

export class CommandClipboard implements ClipboardPort {
  readonly #run: RunTool
  readonly #candidates: Tool[]
  #tool: Promise<Tool> | undefined

  constructor(o: { env?: NodeJS.ProcessEnv; platform?: NodeJS.Platform; run?: RunTool } = {}) {
    const env = o.env ?? process.env
    this.#run = o.run ?? toolRunner(env)
    const server = displayServer(env, o.platform ?? process.platform)
    this.#candidates = CANDIDATES[server]
  }

  /** The first tool that is installed (looked up once). */
  #pick(): Promise<Tool> {
    this.#tool ??= (async () => {
      for (const tool of this.#candidates) {
        const [cmd, args] = tool.probe ?? [tool.readText(false)[0], ['--version']]
        if ((await this.#run(cmd, args, { timeoutMs: 2000 })) !== null) return tool
      }
      throw new ClipboardUnavailableError(
        this.#candidates.length ? 'No clipboard tool was found (xclip, xsel or wl-clipboard).' : 'There is no desktop clipboard here (no DISPLAY or WAYLAND_DISPLAY).'
      )
    })()
    return this.#tool
  }

  async #text(tool: Tool, primary: boolean): Promise<string | undefined> {
    const [cmd, args] = tool.readText(primary)
    const r = await this.#run(cmd, args)
    return r && r.code === 0 ? r.stdout.toString('utf8') : undefined
  }

  async read(o: { primary?: boolean } = {}): Promise<ClipboardContents> {
    const tool = await this.#pick()
    const out: ClipboardContents = {}
    let types: string[] | null = null
    if (tool.types) {
      const [cmd, args] = tool.types(false)
      const r = await this.#run(cmd, args)
      types = r && r.code === 0 ? r.stdout.toString('utf8').split('\n').map((t) => t.trim()).filter(Boolean) : []
    }
    if (types && tool.readType) {
      if (types.includes('image/png')) {
        const [cmd, args] = tool.readType('image/png')
        const r = await this.#run(cmd, args)
        if (r && r.code === 0 && r.stdout.length) out.image = new Uint8Array(r.stdout)
      }
      if (types.includes('text/html')) {
        const [cmd, args] = tool.readType('text/html')
        const r = await this.#run(cmd, args)
        if (r && r.code === 0) out.html = r.stdout.toString('utf8')
      }
    }
    if (!types || types.some((t) => TEXT_TYPES.includes(t))) {
      const text = await this.#text(tool, false)
      if (text !== undefined) out.text = text
    }
    if (o.primary) {
      const primary = await this.#text(tool, true)
      if (primary !== undefined) out.primary = primary
    }
    return out
  }

  async readText(): Promise<string | undefined> {
    return this.#text(await this.#pick(), false)
  }

  async writeText(text: string, o: { primary?: boolean } = {}): Promise<void> {
    const tool = await this.#pick()
    await Promise.all([this.#write(tool, false, text), o.primary ? this.#write(tool, true, text) : undefined])
  }

  async restore(saved: ClipboardContents, o: { primary?: boolean } = {}): Promise<void> {
    const tool = await this.#pick()
    if (saved.image && tool.types) await this.#write(tool, false, saved.image, 'image/png')
    else if (saved.text !== undefined) await this.#write(tool, false, saved.text)
    else if (saved.html !== undefined && tool.types) await this.#write(tool, false, saved.html, 'text/html')
    else await this.#clear(tool, false)
    if (o.primary) {
      if (saved.primary !== undefined) await this.#write(tool, true, saved.primary)
      else await this.#clear(tool, true)
    }
  }

  async #write(tool: Tool, primary: boolean, data: string | Uint8Array, type?: string): Promise<void> {
    const [cmd, args] = tool.write(primary, type)
    const input = typeof data === 'string' && tool.encode ? tool.encode(data) : data
    const r = await this.#run(cmd, args, { input, forks: true })
    if (!r) throw new ClipboardUnavailableError(`${cmd} is not installed.`)
    if (r.code !== 0) throw new Error(complaint(cmd, r))
  }

  async #clear(tool: Tool, primary: boolean): Promise<void> {
    const [cmd, args] = tool.clear(primary)
    await this.#run(cmd, args, { input: '', forks: true })
  }
}
