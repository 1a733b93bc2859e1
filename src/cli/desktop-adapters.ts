/**
 * The command's ways to the desktop for the tools: the browser through xdg-open (open on macOS,
 * start on Windows), and the clipboard through dictation's `CommandClipboard`. Both run on the one
 * desktop-tool runner, so a missing program, a failure and a hang read the same everywhere.
 */
import { complaint, toolRunner, type RunTool } from '../core/desktop-tools'
import { ClipboardUnavailableError, CommandClipboard } from '../core/dictation/command-clipboard'
import type { ClipboardWriter, UrlOpener } from '../core/ports'
import { ToolError } from '../core/tools/tool'

/** How each platform hands a URL to the browser, and how to get the opener. */
const OPENERS: Partial<Record<NodeJS.Platform, { cmd: string; args: string[]; install?: string }>> = {
  darwin: { cmd: 'open', args: [] },
  win32: { cmd: 'cmd', args: ['/c', 'start', '""'] }
}
const XDG_OPEN = { cmd: 'xdg-open', args: [], install: ' (Debian/Ubuntu: sudo apt install xdg-utils)' }

export function commandUrlOpener(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, run: RunTool = toolRunner(env)): UrlOpener {
  const opener = OPENERS[platform] ?? XDG_OPEN
  return {
    async open(url) {
      // The browser may live on behind its opener: wait for the opener's exit, not for the browser.
      const r = await run(opener.cmd, [...opener.args, url], { forks: true, timeoutMs: 10_000 })
      if (!r) throw new ToolError(`${opener.cmd} is not installed${opener.install ?? ''}.`, 'not-available')
      if (r.code !== 0) throw new ToolError(complaint(opener.cmd, r), 'tool-failed')
    }
  }
}

export function commandClipboard(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, run: RunTool = toolRunner(env)): ClipboardWriter {
  const clipboard = new CommandClipboard({ env, platform, run })
  return {
    async writeText(text) {
      try {
        await clipboard.writeText(text)
      } catch (err) {
        if (err instanceof ClipboardUnavailableError) throw new ToolError(err.message, 'not-available')
        throw new ToolError(err instanceof Error ? err.message : String(err), 'tool-failed')
      }
    }
  }
}
