import { useId, useState } from 'react'
import type { TurnTimings, TurnUsage } from '../../../shared/assistant'
import { useT, type MessageKey } from '../i18n'

type Stage = Exclude<keyof TurnTimings, 'connectMs' | 'uploadMs'>

/** The stages of a turn, in the order they happen. */
export const TIMING_STAGES: ReadonlyArray<{ key: Stage; label: MessageKey }> = [
  { key: 'release', label: 'timing.release' },
  { key: 'requestSent', label: 'timing.requestSent' },
  { key: 'firstToken', label: 'timing.firstToken' },
  { key: 'firstSentence', label: 'timing.firstSentence' },
  { key: 'firstTtsRequest', label: 'timing.firstTtsRequest' },
  { key: 'firstAudio', label: 'timing.firstAudio' },
  { key: 'done', label: 'timing.done' }
]

/** Time spent on the network on the way, as durations (not offsets from the start). */
export const TIMING_DURATIONS: ReadonlyArray<{ key: 'connectMs' | 'uploadMs'; label: MessageKey }> = [
  { key: 'connectMs', label: 'timing.connectMs' },
  { key: 'uploadMs', label: 'timing.uploadMs' }
]

/** A collapsed one-line summary of a turn's latency that expands into every stage, in ms from the start. */
export function LatencyBreakdown({ timings, usage }: { timings: TurnTimings; usage?: TurnUsage }) {
  const t = useT()
  const [open, setOpen] = useState(false)
  const panelId = useId()
  const reached = TIMING_STAGES.filter((s) => typeof timings[s.key] === 'number')
  if (reached.length === 0) return null
  const max = Math.max(1, ...reached.map((s) => timings[s.key] as number))
  const headline = timings.firstAudio ?? timings.firstToken ?? timings.done
  return (
    <div className="latency">
      <button type="button" className="latency__toggle" aria-expanded={open} aria-controls={panelId} onClick={() => setOpen(!open)}>
        <span>{t('timing.toggle')}</span>
        {headline !== undefined && (
          <span className="latency__headline">
            {t(timings.firstAudio !== undefined ? 'timing.headlineAudio' : timings.firstToken !== undefined ? 'timing.headlineToken' : 'timing.headlineDone', {
              ms: Math.round(headline)
            })}
          </span>
        )}
      </button>
      {open && (
        <div id={panelId} className="latency__panel">
          <dl className="latency__stages">
            {TIMING_STAGES.map((stage) => {
              const ms = timings[stage.key]
              return (
                <div className="latency__stage" key={stage.key}>
                  <dt>{t(stage.label)}</dt>
                  <dd>
                    <span className="latency__bar" aria-hidden="true">
                      {ms !== undefined && <span style={{ width: `${(ms / max) * 100}%` }} />}
                    </span>
                    <span className="latency__ms">{ms === undefined ? t('timing.notReached') : t('timing.ms', { ms: Math.round(ms) })}</span>
                  </dd>
                </div>
              )
            })}
          </dl>
          {TIMING_DURATIONS.some((d) => timings[d.key] !== undefined) && (
            <dl className="latency__durations">
              {TIMING_DURATIONS.filter((d) => timings[d.key] !== undefined).map((d) => (
                <div className="latency__stage" key={d.key}>
                  <dt>{t(d.label)}</dt>
                  <dd>
                    <span className="latency__ms">{t('timing.ms', { ms: Math.round(timings[d.key] as number) })}</span>
                  </dd>
                </div>
              ))}
            </dl>
          )}
          {usage && (
            <p className="latency__usage">
              {t('timing.usage', { prompt: usage.promptTokens, completion: usage.completionTokens })}
              {usage.webSearchCalls ? ` · ${t('timing.searches', { n: usage.webSearchCalls })}` : ''}
            </p>
          )}
        </div>
      )}
    </div>
  )
}
