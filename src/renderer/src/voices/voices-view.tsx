import { useEffect, useState } from 'react'
import { BUILTIN_VOICES, sameVoice, type VoiceInfo, type VoiceRef } from '../../../shared/voices'
import { useApp } from '../app-context'
import { ErrorMessage } from '../error-message'
import { useT } from '../i18n'
import { useAction } from '../use-action'
import { ClonePanel } from './clone-panel'
import { DesignPanel } from './design-panel'
import { SavedVoiceActions } from './saved-voice-actions'
import './voices.css'

const voiceKey = (ref: VoiceRef) => `${ref.kind}:${ref.id}`

/** The catalogue's built-in voices, for when the list from the app has none (it normally has all). */
const CATALOGUE: VoiceInfo[] = BUILTIN_VOICES.map((v) => ({ ref: { kind: 'builtin', id: v.id }, name: v.name, language: v.language }))

/**
 * Built-in and saved voices: pick the one that speaks, hear a preview; rename, re-record or delete a saved
 * one; clone a voice from a recording or a file, or design one from a description.
 */
export function VoicesView() {
  const { client, settings, applyPublicSettings } = useApp()
  const t = useT()
  const [voices, setVoices] = useState<VoiceInfo[] | null>(null)
  const [previewing, setPreviewing] = useState<string | null>(null)
  const [replacing, setReplacing] = useState<VoiceInfo | null>(null)
  const [notice, setNotice] = useState('')

  const load = useAction(() => client.call('voices:list').then(setVoices))
  const select = useAction((ref: VoiceRef) => client.call('voices:select', ref).then(applyPublicSettings))
  const preview = useAction(async (voice: VoiceInfo) => {
    setPreviewing(voiceKey(voice.ref))
    try {
      await client.call('voices:preview', { voice: voice.ref })
    } finally {
      setPreviewing(null)
    }
  })
  const stopPreview = useAction(() => client.call('voices:stop-preview'))

  const loadVoices = load.run
  useEffect(() => {
    const off = client.on('voices:changed', setVoices)
    void loadVoices()
    return off
  }, [client, loadVoices])

  // A voice being re-recorded that is deleted (here or elsewhere) stops the re-recording.
  useEffect(() => {
    if (replacing && voices && !voices.some((v) => sameVoice(v.ref, replacing.ref))) setReplacing(null)
  }, [voices, replacing])

  const builtin = voices?.filter((v) => v.ref.kind === 'builtin') ?? []
  const saved = voices?.filter((v) => v.ref.kind !== 'builtin') ?? []

  const row = (voice: VoiceInfo) => {
    const key = voiceKey(voice.ref)
    const id = `voice-${key.replace(/[^\w-]/g, (c) => c.charCodeAt(0).toString(16))}`
    const selected = sameVoice(voice.ref, settings.voice)
    const detail =
      voice.ref.kind === 'clone'
        ? [t('voices.kind.clone'), voice.durationSec !== undefined ? t('voices.seconds', { s: voice.durationSec.toFixed(1) }) : null]
        : voice.ref.kind === 'design'
          ? [t('voices.kind.design'), voice.description ?? null]
          : [voice.language && voice.language !== 'auto' ? t(voice.language === 'zh' ? 'voices.lang.zh' : 'voices.lang.en') : t('voices.lang.auto')]
    const previewButtons = (
      <>
        {!voice.problem && (
          <button
            type="button"
            className="button button--small"
            aria-label={t('voices.previewNamed', { name: voice.name })}
            disabled={previewing !== null}
            onClick={() => void preview.run(voice)}
          >
            {previewing === key ? t('voices.playing') : t('voices.preview')}
          </button>
        )}
        {previewing === key && (
          <button type="button" className="button button--small" aria-label={t('voices.stopPreviewLabel')} onClick={() => void stopPreview.run()}>
            {t('voices.stopPreview')}
          </button>
        )}
      </>
    )
    return (
      <li
        key={key}
        className={`voice${voice.ref.kind !== 'builtin' ? ' voice--saved' : ''}${selected ? ' voice--selected' : ''}${voice.problem ? ' voice--problem' : ''}`}
      >
        <input
          type="radio"
          name="voice"
          id={id}
          checked={selected}
          disabled={Boolean(voice.problem) || select.pending}
          onChange={() => void select.run(voice.ref)}
          aria-labelledby={`${id}-name`}
          aria-describedby={`${id}-detail`}
        />
        {/* The whole text is the click target; the name alone is the radio's name. */}
        <label htmlFor={id} className="voice__text">
          <span className="voice__name" id={`${id}-name`}>
            {voice.name}
          </span>
          <span className="voice__detail" id={`${id}-detail`}>
            {detail.filter(Boolean).join(' · ')}
            {voice.problem && <span className="voice__problem"> {voice.problem}</span>}
          </span>
        </label>
        {voice.ref.kind === 'builtin' ? (
          <div className="voice__actions">{previewButtons}</div>
        ) : (
          <SavedVoiceActions voice={voice} onReRecord={() => setReplacing(voice)} onNotice={setNotice}>
            {previewButtons}
          </SavedVoiceActions>
        )}
      </li>
    )
  }

  return (
    <div className="view voices">
      <ErrorMessage error={load.error ?? select.error ?? preview.error ?? stopPreview.error} />
      {voices === null && !load.error && <p role="status">{t('common.loading')}</p>}
      {load.error && (
        <button type="button" className="button" onClick={() => void load.run()}>
          {t('common.tryAgain')}
        </button>
      )}
      {voices !== null && (
        <>
          <section className="card" aria-labelledby="voices-builtin">
            <h2 id="voices-builtin">{t('voices.builtin')}</h2>
            <ul className="voice-list">{(builtin.length > 0 ? builtin : CATALOGUE).map(row)}</ul>
          </section>
          <section className="card card--yours" aria-labelledby="voices-yours">
            <h2 id="voices-yours">{t('voices.yours')}</h2>
            <p className="muted">{t('voices.yoursIntro')}</p>
            {saved.length > 0 ? <ul className="voice-list">{saved.map(row)}</ul> : <p className="muted">{t('voices.none')}</p>}
            <p role="status" className="voices__notice">
              {notice}
            </p>
          </section>
          <ClonePanel replacing={replacing} onStopReplacing={() => setReplacing(null)} />
          <DesignPanel />
        </>
      )}
    </div>
  )
}
