import { useContext, useEffect, useId, useRef, useState, type ChangeEvent, type FormEvent } from 'react'
import type { UserError } from '../../../shared/errors'
import { MAX_SAMPLE_IMPORT_BYTES, MAX_VOICE_NAME_LENGTH, SAMPLE_FIGURE_LIMITS, sameVoice, type SampleCheckResult, type VoiceInfo } from '../../../shared/voices'
import { userErrorOf } from '../api-client'
import { useApp } from '../app-context'
import { ErrorMessage } from '../error-message'
import { I18nContext, useT } from '../i18n'
import { LevelMeter } from '../level-meter'
import { useAction } from '../use-action'
import { SampleFigures } from './sample-figures'
import { useSampleRecording } from './use-sample-recording'

/** The file chooser's filter: WAV and MP3, by extension and by type. */
export const SAMPLE_FILE_ACCEPT = '.wav,.mp3,audio/wav,audio/mpeg'

type Source = { kind: 'recording' } | { kind: 'file'; name: string }

interface Checked {
  source: Source
  result: SampleCheckResult
  autostopped: boolean
}

const MB = 1024 * 1024

/**
 * "Clone my voice": read a short text aloud while the main process records it (or import a WAV or MP3
 * file), see the quality figures, hear the voice it makes, then name it and save it with the speaker's
 * consent. With `replacing`, the new sample takes the place of a saved clone's (re-record).
 */
export function ClonePanel({ replacing, onStopReplacing }: { replacing: VoiceInfo | null; onStopReplacing(): void }) {
  const { client, settings, applyPublicSettings } = useApp()
  const t = useT()
  const { lang } = useContext(I18nContext)
  const uid = useId().replace(/:/g, '')
  const [checked, setChecked] = useState<Checked | null>(null)
  const [checkingFile, setCheckingFile] = useState<string | null>(null)
  const [error, setError] = useState<UserError | null>(null)
  const [name, setName] = useState('')
  const [consent, setConsent] = useState(false)
  const [saved, setSaved] = useState<{ voice: VoiceInfo; replaced: boolean } | null>(null)
  const [previewing, setPreviewing] = useState(false)
  const fileInput = useRef<HTMLInputElement>(null)
  const heading = useRef<HTMLHeadingElement>(null)
  const draftRef = useRef<string | null>(null)

  /** A new sample (or leaving) drops the draft waiting in the main process. */
  const dropDraft = () => {
    const draftId = draftRef.current
    draftRef.current = null
    if (draftId) client.call('samples:discard', { draftId }).catch(() => {})
  }

  const showResult = (source: Source, result: SampleCheckResult, autostopped = false) => {
    dropDraft()
    draftRef.current = result.draftId
    setChecked({ source, result, autostopped })
    setConsent(false)
  }

  const recording = useSampleRecording(client, {
    onResult: (result, autostopped) => showResult({ kind: 'recording' }, result, autostopped),
    onError: setError
  })

  // Re-record asked from the list: bring the panel into view with the keyboard focus on it.
  useEffect(() => {
    if (!replacing) return
    heading.current?.scrollIntoView?.({ block: 'start' })
    heading.current?.focus()
  }, [replacing])

  // Leaving the view drops the draft (the main process forgets old drafts anyway).
  useEffect(
    () => () => {
      const draftId = draftRef.current
      if (draftId) client.call('samples:discard', { draftId }).catch(() => {})
    },
    [client]
  )

  const beginRecording = () => {
    setError(null)
    setSaved(null)
    setChecked(null)
    dropDraft()
    void recording.start()
  }

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const input = e.currentTarget
    const file = input.files?.[0]
    input.value = '' // the same file can be chosen again
    if (!file) return
    setError(null)
    setSaved(null)
    if (file.size > MAX_SAMPLE_IMPORT_BYTES) {
      setError({ kind: 'input', message: t('clone.fileTooBig', { name: file.name, mb: (file.size / MB).toFixed(0), max: MAX_SAMPLE_IMPORT_BYTES / MB }) })
      return
    }
    setChecked(null)
    dropDraft()
    setCheckingFile(file.name)
    try {
      let bytes: Uint8Array<ArrayBuffer>
      try {
        bytes = await readFileBytes(file)
      } catch (err) {
        setError({ kind: 'input', message: t('clone.fileUnreadable', { name: file.name, detail: err instanceof Error ? err.message : String(err) }) })
        return
      }
      const result = await client.call('samples:import', { fileName: file.name, bytes })
      showResult({ kind: 'file', name: file.name }, result)
    } catch (err) {
      setError(userErrorOf(err))
    } finally {
      setCheckingFile(null)
    }
  }

  const draftId = checked?.result.draftId ?? null
  const preview = useAction(async () => {
    if (!draftId) return
    setPreviewing(true)
    try {
      await client.call('samples:preview-draft', { draftId })
    } finally {
      setPreviewing(false)
    }
  })
  const stopPreview = useAction(() => client.call('voices:stop-preview'))

  const save = useAction(async () => {
    if (!draftId || !consent) return
    const voice = replacing
      ? await client.call('voices:replace-sample', { id: replacing.ref.id, draftId, consent: true })
      : await client.call('samples:save', { draftId, name, consent: true })
    draftRef.current = null
    setChecked(null)
    setName('')
    setConsent(false)
    setSaved({ voice, replaced: Boolean(replacing) })
    if (replacing) onStopReplacing()
  })
  const use = useAction((voice: VoiceInfo) => client.call('voices:select', voice.ref).then(applyPublicSettings))

  const discard = () => {
    dropDraft()
    setChecked(null)
    setConsent(false)
    setError(null)
  }

  const busy = recording.phase !== 'idle' || checkingFile !== null
  const elapsedSec = recording.elapsedMs / 1000
  const L = SAMPLE_FIGURE_LIMITS
  const lengthHint =
    elapsedSec < L.targetMinSec ? t('clone.keepGoing') : elapsedSec <= L.targetMaxSec ? t('clone.goodLength') : t('clone.overTarget', { max: L.targetMaxSec })
  const nameOk = replacing !== null || name.trim().length > 0
  const canSave = Boolean(draftId) && consent && nameOk && !save.pending
  const quality = checked?.result.quality
  const refused = Boolean(quality && quality.refusals.length > 0)
  const savedInUse = saved ? sameVoice(saved.voice.ref, settings.voice) : false

  const onSubmit = (e: FormEvent) => {
    e.preventDefault()
    if (canSave) void save.run()
  }

  return (
    <section className="card clone" aria-labelledby={`${uid}-title`}>
      <h2 id={`${uid}-title`} ref={heading} tabIndex={-1}>
        {replacing ? t('clone.titleReplace', { name: replacing.name }) : t('clone.title')}
      </h2>
      <p className="muted">{t('clone.intro')}</p>
      <figure className="clone__script">
        <figcaption className="clone__script-label">{t('clone.scriptLabel')}</figcaption>
        <blockquote lang={lang === 'zh' ? 'zh-CN' : 'en'}>
          <p>{t('clone.script')}</p>
        </blockquote>
      </figure>

      <div className="row clone__controls">
        {recording.phase === 'recording' || recording.phase === 'stopping' ? (
          <>
            <button type="button" className="button button--primary clone__stop" onClick={() => void recording.stop()} disabled={recording.phase === 'stopping'}>
              {t('clone.stop')}
            </button>
            <button type="button" className="button" onClick={recording.cancel} disabled={recording.phase === 'stopping'}>
              {t('clone.cancelRecording')}
            </button>
          </>
        ) : (
          <button type="button" className="button button--primary" onClick={beginRecording} disabled={busy}>
            {t('clone.record')}
          </button>
        )}
        <button type="button" className="button" onClick={() => fileInput.current?.click()} disabled={busy}>
          {t('clone.import')}
        </button>
        <input
          ref={fileInput}
          type="file"
          accept={SAMPLE_FILE_ACCEPT}
          aria-label={t('clone.fileLabel')}
          className="visually-hidden"
          tabIndex={-1}
          onChange={(e) => void onFile(e)}
          disabled={busy}
        />
        {replacing && (
          <button type="button" className="button button--quiet" onClick={onStopReplacing} disabled={busy}>
            {t('clone.cancelReplace')}
          </button>
        )}
      </div>

      {(recording.phase === 'recording' || recording.phase === 'starting' || recording.phase === 'stopping') && (
        <div className="clone__recording">
          <div className="clone__timer-row">
            <span className="clone__timer" role="timer" aria-label={t('clone.timerLabel')}>
              {t('clone.timer', { s: elapsedSec.toFixed(1) })}
            </span>
            <span className="muted clone__target">
              {t('clone.target', { min: L.targetMinSec, max: L.targetMaxSec, limit: Math.round(recording.maxDurationMs / 1000) })}
            </span>
          </div>
          <TargetBar elapsedMs={recording.elapsedMs} maxMs={recording.maxDurationMs} />
          <LevelMeter rmsDbfs={recording.level?.rmsDbfs ?? null} speech={recording.level?.speech} label={t('clone.meter')} />
          <p className="muted clone__hint">{recording.phase === 'stopping' ? t('clone.checking') : lengthHint}</p>
        </div>
      )}

      <p role="status" className="clone__status">
        {checkingFile !== null
          ? t('clone.checking')
          : saved
            ? saved.replaced
              ? t('clone.replaced', { name: saved.voice.name })
              : savedInUse
                ? t('clone.inUse', { name: saved.voice.name })
                : t('clone.saved', { name: saved.voice.name })
            : ''}
      </p>
      {saved && !saved.replaced && !savedInUse && !saved.voice.problem && (
        <button type="button" className="button" onClick={() => void use.run(saved.voice)} disabled={use.pending}>
          {t('clone.useNow', { name: saved.voice.name })}
        </button>
      )}
      <ErrorMessage error={error ?? use.error} />

      {checked && quality && (
        <div className="clone__result">
          <p className="clone__source">
            {checked.source.kind === 'file' ? t('clone.source.file', { name: checked.source.name }) : t('clone.source.recording')}
            {checked.autostopped && <> · {t('clone.autostopped', { limit: Math.round(recording.maxDurationMs / 1000) })}</>}
          </p>
          {refused && (
            <div className="error-message" role="alert">
              <p>{t('clone.refused')}</p>
              <ul>
                {quality.refusals.map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>
              <p>{t('clone.tryAgain')}</p>
            </div>
          )}
          <SampleFigures quality={quality} id={`${uid}-figures`} />
          {quality.warnings.length > 0 && (
            <div className="warning clone__warnings">
              <p>{t('clone.warnings')}</p>
              <ul>
                {quality.warnings.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            </div>
          )}

          {draftId && (
            <form className="clone__save" onSubmit={onSubmit} aria-label={replacing ? t('clone.saveReplace') : t('clone.save')}>
              <div className="row">
                <button type="button" className="button" onClick={() => void preview.run()} disabled={previewing}>
                  {previewing ? t('clone.playing') : t('clone.preview')}
                </button>
                {previewing && (
                  <button type="button" className="button" onClick={() => void stopPreview.run()} aria-label={t('voices.stopPreviewLabel')}>
                    {t('voices.stopPreview')}
                  </button>
                )}
              </div>
              <ErrorMessage error={preview.error ?? stopPreview.error} />
              {!replacing && (
                <div className="field">
                  <label htmlFor={`${uid}-name`}>{t('clone.name')}</label>
                  <input
                    id={`${uid}-name`}
                    className="input"
                    value={name}
                    maxLength={MAX_VOICE_NAME_LENGTH}
                    placeholder={t('clone.namePlaceholder')}
                    autoComplete="off"
                    onChange={(e) => setName(e.target.value)}
                  />
                </div>
              )}
              <div className="check">
                <input id={`${uid}-consent`} type="checkbox" checked={consent} onChange={(e) => setConsent(e.target.checked)} aria-describedby={`${uid}-consent-hint`} />
                <label htmlFor={`${uid}-consent`}>{t('clone.consent')}</label>
                <span className="field-hint" id={`${uid}-consent-hint`}>
                  {t('clone.consentHint')}
                </span>
              </div>
              <ErrorMessage error={save.error} />
              <div className="row">
                <button type="submit" className="button button--primary" disabled={!canSave} aria-describedby={canSave ? undefined : `${uid}-save-needs`}>
                  {save.pending ? t('clone.saving') : replacing ? t('clone.saveReplace') : t('clone.save')}
                </button>
                <button type="button" className="button button--quiet" onClick={discard} disabled={save.pending}>
                  {t('clone.discard')}
                </button>
              </div>
              {!canSave && !save.pending && (
                <p className="field-hint" id={`${uid}-save-needs`}>
                  {nameOk ? t('clone.saveNeedsConsent') : t('clone.saveNeeds')}
                </p>
              )}
            </form>
          )}
        </div>
      )}
    </section>
  )
}

/** A chosen file's bytes (FileReader: every engine the window runs in has it). */
function readFileBytes(file: File): Promise<Uint8Array<ArrayBuffer>> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(new Uint8Array(reader.result as ArrayBuffer))
    reader.onerror = () => reject(reader.error ?? new Error('the file could not be read'))
    reader.readAsArrayBuffer(file)
  })
}

/** The recording's progress towards its limit, with the 5 to 30 s target drawn on it. */
function TargetBar({ elapsedMs, maxMs }: { elapsedMs: number; maxMs: number }) {
  const L = SAMPLE_FIGURE_LIMITS
  const pct = (ms: number) => `${Math.min(100, Math.max(0, (ms / maxMs) * 100))}%`
  return (
    <div className="clone__bar" aria-hidden="true">
      <div className="clone__bar-target" style={{ left: pct(L.targetMinSec * 1000), width: pct((L.targetMaxSec - L.targetMinSec) * 1000) }} />
      <div className="clone__bar-fill" style={{ width: pct(elapsedMs) }} />
    </div>
  )
}
