import { useState } from 'react'
import type { MicTestResult } from '../../../shared/ipc'
import { useApp } from '../app-context'
import { ErrorMessage } from '../error-message'
import { useT } from '../i18n'
import { LevelMeter } from '../level-meter'
import { useAction } from '../use-action'

/** Records a few seconds through the chosen microphone and shows how loud it was. */
export function MicCheck() {
  const { client } = useApp()
  const t = useT()
  const [result, setResult] = useState<MicTestResult | null>(null)
  const test = useAction(() => client.call('mic:test').then(setResult))
  return (
    <div className="mic-check">
      <p className="muted">{t('mic.intro')}</p>
      <button
        type="button"
        className="button"
        onClick={() => {
          setResult(null)
          void test.run()
        }}
        disabled={test.pending}
      >
        {test.pending ? t('mic.listening') : result ? t('mic.again') : t('mic.test')}
      </button>
      {(test.pending || result) && <LevelMeter rmsDbfs={result ? result.rmsDbfs : null} speech={result?.speechHeard} label={t('mic.meter')} />}
      {result && (
        <p className={result.speechHeard ? 'success' : 'warning'} role="status">
          {result.speechHeard ? t('mic.heard', { peak: Math.round(result.peakDbfs) }) : t('mic.notHeard', { peak: Math.round(result.peakDbfs) })}
        </p>
      )}
      <ErrorMessage error={test.error} />
    </div>
  )
}
