import type { ToolCallStatus, ToolCallView } from '../../../shared/tools'
import { useApp } from '../app-context'
import { ErrorMessage } from '../error-message'
import { useT, type MessageKey } from '../i18n'
import { useAction } from '../use-action'

const STATUS: Record<ToolCallStatus, MessageKey> = {
  running: 'tools.status.running',
  confirm: 'tools.status.confirm',
  done: 'tools.status.done',
  error: 'tools.status.error',
  refused: 'tools.status.refused',
  stopped: 'tools.status.stopped'
}

/** The tool calls of a turn: which tool, with what, what it answered (or why not), how long it took. */
export function ToolCalls({ calls }: { calls: ToolCallView[] }) {
  const t = useT()
  return (
    <ol className="tool-calls" aria-label={t('tools.calls')}>
      {calls.map((c) => (
        <ToolCall key={`${c.round}:${c.id}`} call={c} />
      ))}
    </ol>
  )
}

function ToolCall({ call }: { call: ToolCallView }) {
  const t = useT()
  const { client } = useApp()
  const answer = useAction((allow: boolean) => client.call('tools:confirm', { callId: call.id, allow }))
  const name = call.server ? `${call.server} › ${call.tool}` : call.tool
  return (
    <li className={`tool-call tool-call--${call.status}`} data-testid="tool-call" data-status={call.status}>
      <div className="tool-call__head">
        <code className="tool-call__name">{name}</code>
        <span className="badge">{t(STATUS[call.status])}</span>
        {call.durationMs !== undefined && <span className="muted">{t('timing.ms', { ms: call.durationMs })}</span>}
      </div>
      <pre className="tool-call__args" aria-label={t('tools.arguments')}>
        {call.arguments || '{}'}
      </pre>
      {call.result !== undefined && (
        <pre className="tool-call__result" aria-label={t('tools.result')} data-testid="tool-call-result">
          {call.result}
        </pre>
      )}
      {call.error && (
        <p className="tool-call__error" role="note">
          {call.error}
        </p>
      )}
      {call.status === 'confirm' && (
        <div className="row" role="group" aria-label={t('tools.confirmLabel', { tool: name })}>
          <button type="button" className="button button--primary" onClick={() => void answer.run(true)} disabled={answer.pending}>
            {t('tools.allow')}
          </button>
          <button type="button" className="button" onClick={() => void answer.run(false)} disabled={answer.pending}>
            {t('tools.refuse')}
          </button>
          <span className="muted">{t('tools.confirmHint')}</span>
        </div>
      )}
      <ErrorMessage error={answer.error} />
    </li>
  )
}
