import { memo } from 'react'
import type { Source, TurnView } from '../../../shared/assistant'
import { describeAttachmentSize, type Attachment } from '../../../shared/context'
import { ErrorMessage } from '../error-message'
import { useT } from '../i18n'
import { LatencyBreakdown } from './latency-breakdown'
import { ToolCalls } from './tool-calls'

interface Props {
  turn: TurnView
  index: number
  onRetry(turnId: string): void
  retrying: boolean
}

/** One question and its streaming answer, with sources, timings, and Retry when it failed. */
export const TurnCard = memo(function TurnCard({ turn, index, onRetry, retrying }: Props) {
  const t = useT()
  const busy = turn.status === 'recording' || turn.status === 'thinking' || turn.status === 'speaking'
  const question = turn.transcribing
    ? t('turn.transcribing')
    : turn.question ?? (turn.status === 'recording' ? t('turn.listening') : turn.input === 'voice' ? t('turn.voiceQuestion') : '')
  // After an interruption only the spoken part was heard: the rest is shown, but set apart.
  const unspoken = turn.status === 'stopped' && turn.spoken.length < turn.reply.length && turn.reply.startsWith(turn.spoken)
  return (
    <article className={`turn turn--${turn.status}`} aria-label={t('turn.label', { n: index + 1 })} aria-busy={busy}>
      <div className="bubble bubble--user">
        <span className="bubble__who">{t('turn.you')}</span>
        <p className={turn.transcribing ? 'bubble__pending' : undefined} data-testid="turn-question">
          {question}
        </p>
        {turn.fromTray && <span className="badge">{t('turn.fromTray')}</span>}
        {turn.attachments && turn.attachments.length > 0 && <AttachmentList attachments={turn.attachments} />}
      </div>
      {turn.toolCalls && turn.toolCalls.length > 0 && <ToolCalls calls={turn.toolCalls} />}
      {(turn.reply || turn.status === 'thinking' || turn.status === 'speaking' || turn.status === 'done' || turn.status === 'stopped') && (
        <div className="bubble bubble--assistant">
          <span className="bubble__who">{t('turn.assistant')}</span>
          <p data-testid="turn-reply">
            {unspoken ? (
              <>
                {turn.spoken}
                <span className="bubble__unspoken" title={t('turn.unspoken')}>
                  {turn.reply.slice(turn.spoken.length)}
                </span>
              </>
            ) : (
              turn.reply || (turn.status === 'thinking' ? <span className="bubble__pending">{t('turn.thinking')}</span> : null)
            )}
          </p>
          {turn.status === 'stopped' && <span className="badge">{t('turn.stopped')}</span>}
          {turn.sources.length > 0 && <SourceList sources={turn.sources} />}
          {/* The answer went on without the web: worth knowing, not an error. */}
          {turn.searchError && (
            <p className="turn__note" role="note">
              {t('turn.searchFailed', { detail: turn.searchError })}
            </p>
          )}
        </div>
      )}
      {turn.status === 'error' && (
        <div className="turn__error">
          <ErrorMessage error={turn.error ?? { kind: 'internal', message: t('turn.failed') }} />
          {turn.canRetry && (
            <button type="button" className="button" onClick={() => onRetry(turn.id)} disabled={retrying}>
              {t('turn.retry')}
            </button>
          )}
        </div>
      )}
      <LatencyBreakdown timings={turn.timings} usage={turn.usage} />
    </article>
  )
})

/** What went with the question: a thumbnail of each image as sent, and how big each thing was. */
function AttachmentList({ attachments }: { attachments: Attachment[] }) {
  const t = useT()
  return (
    <ul className="attachments" aria-label={t('turn.attachments')}>
      {attachments.map((a) => (
        <li key={a.id} className="attachment" data-testid="turn-attachment" data-kind={a.kind}>
          {a.thumbnail && <img src={a.thumbnail} alt={t('turn.attachmentAlt', { label: a.label })} data-testid="attachment-thumbnail" />}
          <span className="attachment__label">
            {a.label} · <span data-testid="attachment-size">{describeAttachmentSize(a)}</span>
            {a.truncated && ` · ${t('turn.textCut')}`}
            {a.hiddenWindows ? ` · ${t('turn.hiddenWindows', { n: a.hiddenWindows })}` : ''}
          </span>
        </li>
      ))}
    </ul>
  )
}

function isWebUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url)
    return protocol === 'https:' || protocol === 'http:'
  } catch {
    return false
  }
}

function sourceTitle(s: Source): string {
  if (s.title) return s.title
  if (s.siteName) return s.siteName
  try {
    return new URL(s.url).hostname
  } catch {
    return s.url
  }
}

function SourceList({ sources }: { sources: Source[] }) {
  const t = useT()
  return (
    <div className="sources">
      <span className="sources__label" aria-hidden="true">
        {t('turn.sources')}
      </span>
      <ul aria-label={t('turn.sources')}>
        {sources.map((s) => (
          <li key={s.url}>
            {/* Opened by the app in the system browser, never inside this window; only web addresses become links. */}
            {isWebUrl(s.url) ? (
              <a href={s.url} target="_blank" rel="noreferrer noopener" title={s.summary ?? s.url}>
                {sourceTitle(s)}
              </a>
            ) : (
              <span>{sourceTitle(s)}</span>
            )}
            {s.siteName && s.title && <span className="sources__site"> · {s.siteName}</span>}
          </li>
        ))}
      </ul>
    </div>
  )
}
