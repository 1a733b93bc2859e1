import { assessSampleFigures, SAMPLE_FIGURE_LIMITS, type FigureMark, type SampleFigureId, type SampleQuality } from '../../../shared/voices'
import { useT, type MessageKey, type Translate } from '../i18n'

const FIGURE_LABEL: Record<SampleFigureId, MessageKey> = {
  length: 'figure.length',
  clipping: 'figure.clipping',
  loudness: 'figure.loudness',
  silence: 'figure.silence',
  noise: 'figure.noise',
  channels: 'figure.channels',
  size: 'figure.size'
}

const MARK_LABEL: Record<FigureMark, MessageKey> = {
  ok: 'mark.ok',
  warn: 'mark.warn',
  refuse: 'mark.refuse',
  unavailable: 'mark.unavailable'
}

/** The symbol drawn beside the mark's word (the word is what is read out). */
const MARK_SYMBOL: Record<FigureMark, string> = { ok: '✓', warn: '!', refuse: '✗', unavailable: '–' }

const fixed = (x: number, digits: number): string => x.toFixed(digits)

function figureValue(id: SampleFigureId, q: SampleQuality, t: Translate): string {
  const L = SAMPLE_FIGURE_LIMITS
  switch (id) {
    case 'length':
      return q.speechSec !== undefined && q.speechSec > q.durationSec + 0.05
        ? t('figure.value.lengthCut', { s: fixed(q.durationSec, 1), total: fixed(q.speechSec, 1) })
        : t('figure.value.length', { s: fixed(q.durationSec, 1) })
    case 'clipping':
      return t('figure.value.clipping', { pct: fixed(q.clippingShare * 100, 2) })
    case 'loudness':
      return t('figure.value.loudness', { rms: fixed(q.rmsDbfs, 1), min: L.loudnessMinDbfs, max: L.loudnessMaxDbfs, peak: fixed(q.peakDbfs, 1) })
    case 'silence':
      return t('figure.value.silence', { lead: fixed(q.trimmedLeadingSec, 2), trail: fixed(q.trimmedTrailingSec, 2) })
    case 'noise':
      return t('figure.value.noise', { db: fixed(q.noiseDbfs, 1), max: L.noiseWarnDbfs })
    case 'channels':
      return q.channelsIn > 1
        ? t('figure.value.toMono', { n: q.channelsIn, rate: q.sampleRate })
        : t('figure.value.mono', { rate: q.sampleRate })
    case 'size':
      return t('figure.value.size', { kb: Math.round(q.base64Bytes / 1024), max: L.maxDataUriBytes / (1024 * 1024) })
  }
}

/** The quality figures of a checked sample: each check, what it measured, and fine / warning / refused. */
export function SampleFigures({ quality, id }: { quality: SampleQuality; id: string }) {
  const t = useT()
  return (
    <table className="figures" aria-labelledby={`${id}-caption`}>
      <caption id={`${id}-caption`}>{t('clone.figures')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('clone.col.check')}</th>
          <th scope="col">{t('clone.col.value')}</th>
          <th scope="col">{t('clone.col.result')}</th>
        </tr>
      </thead>
      <tbody>
        {assessSampleFigures(quality).map((figure) => (
          <tr key={figure.id} className={`figure figure--${figure.mark}`} data-figure={figure.id}>
            <th scope="row">{t(FIGURE_LABEL[figure.id])}</th>
            <td className="figure__value">{figure.mark === 'unavailable' ? t('figure.value.unavailable') : figureValue(figure.id, quality, t)}</td>
            <td className="figure__mark">
              <span aria-hidden="true" className="figure__symbol">
                {MARK_SYMBOL[figure.mark]}
              </span>{' '}
              {t(MARK_LABEL[figure.mark])}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
