import { useId, useState, type FormEvent } from 'react'
import { MAX_VOICE_DESCRIPTION_LENGTH, MAX_VOICE_NAME_LENGTH, sameVoice, type VoiceInfo } from '../../../shared/voices'
import { useApp } from '../app-context'
import { ErrorMessage } from '../error-message'
import { useT } from '../i18n'
import { useAction } from '../use-action'

/**
 * "Design a voice": describe it, hear it (the model writes and speaks a sentence that suits it, shown
 * here), name it, save it.
 */
export function DesignPanel() {
  const { client, settings, applyPublicSettings } = useApp()
  const t = useT()
  const uid = useId().replace(/:/g, '')
  const [description, setDescription] = useState('')
  const [name, setName] = useState('')
  const [spoken, setSpoken] = useState<{ description: string; text: string } | null>(null)
  const [saved, setSaved] = useState<VoiceInfo | null>(null)

  const preview = useAction(async () => {
    const asked = description.trim()
    setSaved(null)
    setSpoken(null)
    const r = await client.call('voices:design-preview', { description: asked })
    if (r.text) setSpoken({ description: asked, text: r.text })
  })
  const stop = useAction(() => client.call('voices:stop-preview'))
  const save = useAction(async () => {
    const voice = await client.call('voices:design-save', { name, description })
    setSaved(voice)
    setName('')
    setDescription('')
    setSpoken(null)
  })
  const use = useAction((voice: VoiceInfo) => client.call('voices:select', voice.ref).then(applyPublicSettings))

  const hasDescription = description.trim().length > 0
  const canSave = hasDescription && name.trim().length > 0 && !save.pending
  const savedInUse = saved ? sameVoice(saved.ref, settings.voice) : false

  const onSubmit = (e: FormEvent) => {
    e.preventDefault()
    if (canSave) void save.run()
  }

  return (
    <section className="card design" aria-labelledby={`${uid}-title`}>
      <h2 id={`${uid}-title`}>{t('design.title')}</h2>
      <p className="muted">{t('design.intro')}</p>
      <form onSubmit={onSubmit} aria-labelledby={`${uid}-title`}>
        <div className="field">
          <label htmlFor={`${uid}-description`}>{t('design.description')}</label>
          <textarea
            id={`${uid}-description`}
            className="input"
            rows={3}
            value={description}
            maxLength={MAX_VOICE_DESCRIPTION_LENGTH}
            placeholder={t('design.placeholder')}
            aria-describedby={`${uid}-count`}
            onChange={(e) => setDescription(e.target.value)}
          />
          <span className="field-hint" id={`${uid}-count`}>
            {t('design.count', { n: [...description].length, max: MAX_VOICE_DESCRIPTION_LENGTH })}
          </span>
        </div>
        <div className="row">
          <button type="button" className="button" onClick={() => void preview.run()} disabled={!hasDescription || preview.pending}>
            {preview.pending ? t('design.playing') : t('design.preview')}
          </button>
          {preview.pending && (
            <button type="button" className="button" onClick={() => void stop.run()} aria-label={t('voices.stopPreviewLabel')}>
              {t('voices.stopPreview')}
            </button>
          )}
        </div>
        <ErrorMessage error={preview.error ?? stop.error} />
        <p role="status" className="design__spoken">
          {spoken ? t('design.spoke', { text: spoken.text }) : ''}
        </p>
        <div className="field">
          <label htmlFor={`${uid}-name`}>{t('design.name')}</label>
          <input
            id={`${uid}-name`}
            className="input"
            value={name}
            maxLength={MAX_VOICE_NAME_LENGTH}
            autoComplete="off"
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <ErrorMessage error={save.error ?? use.error} />
        <div className="row">
          <button type="submit" className="button button--primary" disabled={!canSave}>
            {save.pending ? t('clone.saving') : t('design.save')}
          </button>
        </div>
      </form>
      {saved && (
        <div className="row design__saved">
          <p role="status" className="success">
            {savedInUse ? t('clone.inUse', { name: saved.name }) : t('design.saved', { name: saved.name })}
          </p>
          {!savedInUse && (
            <button type="button" className="button" onClick={() => void use.run(saved)} disabled={use.pending}>
              {t('clone.useNow', { name: saved.name })}
            </button>
          )}
        </div>
      )}
    </section>
  )
}
