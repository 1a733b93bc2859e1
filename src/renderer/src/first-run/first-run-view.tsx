import { BASE_URL_PRESETS } from '../../../shared/models'
import { useApp } from '../app-context'
import { ErrorMessage } from '../error-message'
import { useT } from '../i18n'
import { KeySection } from '../settings/key-section'
import { presetIdFor } from '../settings/settings-form'
import { useAction } from '../use-action'
import { DoctorFindings } from './doctor-findings'
import { MicCheck } from './mic-check'

/** The first start: API key (and region), a microphone check, what this computer needs, then Start. */
export function FirstRunView() {
  const { client, settings, keyStatus, applyPublicSettings } = useApp()
  const t = useT()
  const region = useAction((baseUrl: string) => client.call('settings:update', { baseUrl }).then(applyPublicSettings))
  const start = useAction(() => client.call('settings:update', { firstRunDone: true }).then(applyPublicSettings))
  const presetId = presetIdFor(settings.baseUrl)

  return (
    <main className="view first-run" aria-labelledby="first-run-title">
      <h1 id="first-run-title">{t('firstRun.title')}</h1>
      <p className="muted">{t('firstRun.intro')}</p>

      <section className="card" aria-labelledby="fr-key-h">
        <h2 id="fr-key-h">{t('firstRun.keyStep')}</h2>
        {/* Token-plan keys only work on their own hosts: pick the region before testing the key. */}
        {presetId !== 'custom' && (
          <div className="field">
            <label htmlFor="fr-region">{t('settings.region')}</label>
            <select id="fr-region" className="input" value={presetId} disabled={region.pending} onChange={(e) => {
              const preset = BASE_URL_PRESETS.find((p) => p.id === e.target.value)
              if (preset) void region.run(preset.url)
            }}>
              {BASE_URL_PRESETS.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.label}
                </option>
              ))}
            </select>
            <ErrorMessage error={region.error} />
          </div>
        )}
        <KeySection />
      </section>

      <section className="card" aria-labelledby="fr-mic-h">
        <h2 id="fr-mic-h">{t('firstRun.micStep')}</h2>
        <MicCheck />
      </section>

      <section className="card" aria-labelledby="fr-doctor-h">
        <h2 id="fr-doctor-h">{t('firstRun.doctorStep')}</h2>
        <DoctorFindings />
      </section>

      <div className="first-run__start">
        {!keyStatus.set && <p className="muted" id="fr-start-hint">{t('firstRun.needKey')}</p>}
        <ErrorMessage error={start.error} />
        <button
          type="button"
          className="button button--primary button--large"
          disabled={!keyStatus.set || start.pending}
          aria-describedby={!keyStatus.set ? 'fr-start-hint' : undefined}
          onClick={() => void start.run()}
        >
          {t('firstRun.start')}
        </button>
      </div>
    </main>
  )
}
