import { useEffect, useRef, useState, type ChangeEvent } from 'react'
import { mcpServersDocument, type McpServerStatus } from '../../../shared/tools'
import { userErrorOf } from '../api-client'
import { useApp } from '../app-context'
import { ErrorMessage } from '../error-message'
import { useT, type Translate } from '../i18n'
import { useAction } from '../use-action'
import type { UserError } from '../../../shared/errors'

function stateText(s: McpServerStatus, t: Translate): string {
  if (s.state === 'ready') return t('settings.mcp.state.ready', { n: s.tools.length })
  return t(`settings.mcp.state.${s.state}`)
}

const MAX_IMPORT_BYTES = 200_000

/**
 * MCP servers: each can be switched off; the whole `mcpServers` document can be edited, or imported
 * from a file other MCP clients wrote. Saving a server that runs a new command asks the user in a
 * dialog of the app, not of this page.
 */
export function McpServersSection() {
  const { client, settings } = useApp()
  const t = useT()
  const [status, setStatus] = useState<McpServerStatus[]>([])
  const [statusError, setStatusError] = useState<UserError | null>(null)
  const [text, setText] = useState(() => mcpServersDocument(settings.mcpServers))
  const [saved, setSaved] = useState(false)
  const file = useRef<HTMLInputElement>(null)
  const servers = settings.mcpServers

  // The document follows what is saved, unless the user is editing it.
  const [edited, setEdited] = useState(false)
  useEffect(() => {
    if (!edited) setText(mcpServersDocument(servers))
  }, [servers, edited])

  useEffect(() => {
    const off = client.on('tools:mcp', setStatus)
    client.call('tools:mcp-status').then(setStatus, (err: unknown) => setStatusError(userErrorOf(err)))
    return off
  }, [client])

  const save = useAction(async (document: string) => {
    const result = await client.call('tools:mcp-set', { document })
    setStatus(result.status)
    setEdited(false)
    setSaved(true)
  })
  const enable = useAction(async (name: string, enabled: boolean) => setStatus((await client.call('tools:mcp-enable', { name, enabled })).status))

  const importFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const f = e.target.files?.[0]
    e.target.value = ''
    if (!f) return
    if (f.size > MAX_IMPORT_BYTES) return setStatusError({ kind: 'input', message: `${f.name} is larger than ${MAX_IMPORT_BYTES / 1000} kB.` })
    const content = await f.text()
    setText(content)
    setEdited(true)
    void save.run(content)
  }

  const names = Object.keys(servers)
  return (
    <div className="mcp">
      <p className="muted">{t('settings.mcp.intro')}</p>
      {names.length === 0 ? (
        <p className="muted">{t('settings.mcp.none')}</p>
      ) : (
        <ul className="mcp__servers">
          {names.map((name) => {
            const s = status.find((x) => x.name === name) ?? { name, state: 'idle' as const, tools: [] }
            return (
              <li key={name} data-testid="mcp-server">
                <div className="check">
                  <input
                    id={`mcp-${name}`}
                    type="checkbox"
                    checked={!servers[name].disabled}
                    disabled={enable.pending}
                    onChange={(e) => void enable.run(name, e.target.checked)}
                  />
                  <label htmlFor={`mcp-${name}`}>{t('settings.mcp.enabled', { name })}</label>
                </div>
                <span className="muted">{stateText(s, t)}</span>
                {s.problem && <p className="warning">{s.problem}</p>}
              </li>
            )
          })}
        </ul>
      )}
      <div className="field">
        <label htmlFor="set-mcp-document">{t('settings.mcp.document')}</label>
        <textarea
          id="set-mcp-document"
          className="input input--code"
          rows={8}
          spellCheck={false}
          value={text}
          onChange={(e) => {
            setText(e.target.value)
            setEdited(true)
            setSaved(false)
          }}
        />
      </div>
      <div className="row">
        <button type="button" className="button button--primary" onClick={() => void save.run(text)} disabled={save.pending || !edited}>
          {t('settings.mcp.save')}
        </button>
        <button type="button" className="button" onClick={() => file.current?.click()}>
          {t('settings.mcp.import')}
        </button>
        <input ref={file} type="file" accept="application/json,.json" hidden onChange={(e) => void importFile(e)} aria-label={t('settings.mcp.import')} />
        {saved && !edited && (
          <span className="success" role="status">
            {t('settings.mcp.saved')}
          </span>
        )}
      </div>
      <ErrorMessage error={save.error ?? enable.error ?? statusError} />
    </div>
  )
}
