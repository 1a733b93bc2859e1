import type { Dialog } from 'electron'
import type { McpServers } from '../../shared/tools'

/** What a server would run, as the user reads it before allowing it. */
export function describeLaunch(name: string, servers: McpServers): string {
  const s = servers[name]
  if (s.url) return `${name}: ${s.url}`
  const env = Object.keys(s.env ?? {})
  return `${name}: ${[s.command, ...(s.args ?? [])].join(' ')}${env.length ? ` (environment: ${env.join(', ')})` : ''}`
}

/**
 * A native dialog of the main process, so only the user can allow a program to run: the window
 * asks, but cannot answer for them.
 */
export function mcpApprovalDialog(dialog: Pick<Dialog, 'showMessageBox'>): (servers: McpServers, changed: string[]) => Promise<boolean> {
  return async (servers, changed) => {
    const { response } = await dialog.showMessageBox({
      type: 'warning',
      title: 'MiMo Voice: MCP servers',
      message: changed.length === 1 ? 'Allow this MCP server to run?' : `Allow these ${changed.length} MCP servers to run?`,
      detail: `${changed.map((n) => describeLaunch(n, servers)).join('\n')}\n\nAn MCP server is a program with your rights. Allow only programs you trust.`,
      buttons: ['Allow', 'Cancel'],
      defaultId: 1,
      cancelId: 1,
      noLink: true
    })
    return response === 0
  }
}
