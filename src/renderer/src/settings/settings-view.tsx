import { useEffect, useMemo, useState, type FormEvent } from 'react'
import type { UserError } from '../../../shared/errors'
import type { AudioDevice, AudioDevices } from '../../../shared/ipc'
import { BASE_URL_PRESETS, CHAT_MODELS, TTS_MODELS } from '../../../shared/models'
import { acceleratorLabel } from '../accelerator-label'
import { userErrorOf } from '../api-client'
import { useApp } from '../app-context'
import { ErrorMessage } from '../error-message'
import { useT, type MessageKey } from '../i18n'
import { Check, Field } from './fields'
import { KeySection } from './key-section'
import { McpServersSection } from './mcp-servers-section'
import { MODES_FIELD_IDS, ModesSettings } from './modes-settings'
import { QuickQuestionsEditor } from './quick-questions-editor'
import { CUSTOM_BASE_URL, NUMBER_RANGES, checkForm, formValuesFrom, type FormField, type FormValues } from './settings-form'

/** Form field -> the DOM id of its input, so a refused save can move focus to the first bad one. */
const FIELD_IDS: Record<string, string> = {
  baseUrl: 'set-base-url-custom',
  authStyle: 'set-auth-style',
  chatModel: 'set-chat-model',
  ttsModel: 'set-tts-model',
  systemPrompt: 'set-system-prompt',
  speakingStyle: 'set-speaking-style',
  hotkey: 'set-hotkey',
  hotkeyMode: 'set-hotkey-mode',
  inputDevice: 'set-input-device',
  outputDevice: 'set-output-device',
  maxRecordingSec: 'set-max-recording',
  silenceMs: 'set-silence-ms',
  uploadFormat: 'set-upload-format',
  volume: 'set-volume',
  historyTurns: 'set-history-turns',
  uiLanguage: 'set-ui-language',
  screenHotkey: 'set-screen-hotkey',
  privateWindowTitles: 'set-private-titles',
  privateWindows: 'set-private-windows',
  timeZone: 'set-time-zone',
  toolTimeoutSec: 'set-tool-timeout',
  ...MODES_FIELD_IDS
}

function withCurrent(options: readonly string[], current: string): string[] {
  return options.includes(current) ? [...options] : [...options, current]
}

/** Every setting. Edits stay local until Save; a form with one invalid field is never sent. */
export function SettingsView() {
  const { client, settings, hotkey, platform, applyPublicSettings } = useApp()
  const t = useT()
  const [edits, setEdits] = useState<Partial<FormValues>>({})
  const [attempted, setAttempted] = useState(false)
  const [saving, setSaving] = useState(false)
  const [saveError, setSaveError] = useState<UserError | null>(null)
  const [saved, setSaved] = useState(false)
  const [devices, setDevices] = useState<AudioDevices | null>(null)
  const [devicesError, setDevicesError] = useState<UserError | null>(null)

  useEffect(() => {
    client.call('audio:devices').then(setDevices, (err: unknown) => setDevicesError(userErrorOf(err)))
  }, [client])

  // Unedited fields follow the saved settings, so a change made elsewhere (tray, hotkey) shows here.
  const values: FormValues = useMemo(() => ({ ...formValuesFrom(settings), ...edits }), [settings, edits])
  const check = useMemo(() => checkForm(values, settings, Object.keys(edits) as FormField[]), [values, settings, edits])
  const dirty = check.changed.length > 0
  const invalid = Object.keys(check.errors).length > 0

  const edit = <K extends FormField>(field: K, value: FormValues[K]) => {
    setEdits((prev) => ({ ...prev, [field]: value }))
    setSaved(false)
    setSaveError(null)
  }

  const fieldError = (key: string): string | undefined => {
    const message = check.errors[key]
    if (message === undefined) return undefined
    if (key === 'baseUrl') return t('settings.error.baseUrl')
    if (key === 'hotkey') return t('settings.error.hotkey', { detail: message })
    if (key in NUMBER_RANGES) return t('settings.error.range', NUMBER_RANGES[key as keyof typeof NUMBER_RANGES])
    return message
  }

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setAttempted(true)
    if (invalid) {
      const first = Object.keys(check.errors)[0]
      const id = first.startsWith('quickQuestions.') ? `quick-question-${first.split('.')[1]}` : FIELD_IDS[first]
      if (id) document.getElementById(id)?.focus()
      return
    }
    if (!dirty || Object.keys(check.patch).length === 0) {
      setEdits({})
      return
    }
    setSaving(true)
    setSaveError(null)
    try {
      applyPublicSettings(await client.call('settings:update', check.patch))
      setEdits({})
      setAttempted(false)
      setSaved(true)
    } catch (err) {
      setSaveError(userErrorOf(err))
    } finally {
      setSaving(false)
    }
  }

  const discard = () => {
    setEdits({})
    setAttempted(false)
    setSaveError(null)
  }

  const input = (field: 'systemPrompt' | 'speakingStyle' | 'hotkey' | 'screenHotkey' | 'privateWindowTitles' | 'maxRecordingSec' | 'silenceMs' | 'historyTurns' | 'timeZone' | 'toolTimeoutSec') => ({
    id: FIELD_IDS[field],
    value: values[field],
    'aria-invalid': fieldError(field) ? true : undefined,
    'aria-describedby': fieldError(field) ? `${FIELD_IDS[field]}-error` : undefined,
    onChange: (e: { target: { value: string } }) => edit(field, e.target.value)
  })

  const hotkeyProblem = hotkey?.problem
  const modeText: Record<string, MessageKey> = { hold: 'settings.mode.hold', toggle: 'settings.mode.toggle', hybrid: 'settings.mode.hybrid', none: 'settings.mode.none' }

  return (
    <div className="view settings">
      {/* The key is saved on its own (its own form), never with the rest. */}
      <section className="card" aria-labelledby="set-key-h">
        <h2 id="set-key-h">{t('settings.section.key')}</h2>
        <KeySection />
      </section>

      <form className="settings__form" onSubmit={(e) => void submit(e)} noValidate aria-label={t('settings.formLabel')}>

      <section className="card" aria-labelledby="set-service-h">
        <h2 id="set-service-h">{t('settings.section.service')}</h2>
        <Field id="set-base-url" label={t('settings.region')}>
          <select id="set-base-url" className="input" value={values.baseUrlPreset} onChange={(e) => edit('baseUrlPreset', e.target.value)}>
            {BASE_URL_PRESETS.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
            <option value={CUSTOM_BASE_URL}>{t('settings.region.custom')}</option>
          </select>
        </Field>
        {values.baseUrlPreset === CUSTOM_BASE_URL && (
          <Field id={FIELD_IDS.baseUrl} label={t('settings.baseUrl')} error={fieldError('baseUrl')}>
            <input
              id={FIELD_IDS.baseUrl}
              className="input"
              type="url"
              inputMode="url"
              spellCheck={false}
              value={values.baseUrlCustom}
              aria-invalid={fieldError('baseUrl') ? true : undefined}
              aria-describedby={fieldError('baseUrl') ? `${FIELD_IDS.baseUrl}-error` : undefined}
              onChange={(e) => edit('baseUrlCustom', e.target.value)}
            />
          </Field>
        )}
        <Field id={FIELD_IDS.authStyle} label={t('settings.authStyle')}>
          <select id={FIELD_IDS.authStyle} className="input" value={values.authStyle} onChange={(e) => edit('authStyle', e.target.value as FormValues['authStyle'])}>
            <option value="api-key">{t('settings.auth.apiKey')}</option>
            <option value="bearer">{t('settings.auth.bearer')}</option>
          </select>
        </Field>
      </section>

      <section className="card" aria-labelledby="set-models-h">
        <h2 id="set-models-h">{t('settings.section.models')}</h2>
        <Field id={FIELD_IDS.chatModel} label={t('settings.chatModel')}>
          <select id={FIELD_IDS.chatModel} className="input" value={values.chatModel} onChange={(e) => edit('chatModel', e.target.value)}>
            {withCurrent(CHAT_MODELS, values.chatModel).map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        </Field>
        <Field id={FIELD_IDS.ttsModel} label={t('settings.ttsModel')}>
          <select id={FIELD_IDS.ttsModel} className="input" value={values.ttsModel} onChange={(e) => edit('ttsModel', e.target.value)}>
            {withCurrent(TTS_MODELS, values.ttsModel).map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        </Field>
        <Check id="set-thinking" label={t('settings.thinking')} hint={t('settings.thinking.hint')} checked={values.thinking} onChange={(v) => edit('thinking', v)} />
        <Check id="set-web-search" label={t('settings.webSearch')} hint={t('settings.webSearch.hint')} checked={values.webSearch} onChange={(v) => edit('webSearch', v)} />
      </section>

      <section className="card" aria-labelledby="set-assistant-h">
        <h2 id="set-assistant-h">{t('settings.section.assistant')}</h2>
        <Field id={FIELD_IDS.systemPrompt} label={t('settings.systemPrompt')} error={fieldError('systemPrompt')}>
          <textarea className="input" rows={5} maxLength={4000} {...input('systemPrompt')} />
        </Field>
        <Field id={FIELD_IDS.speakingStyle} label={t('settings.speakingStyle')} hint={t('settings.speakingStyle.hint')} error={fieldError('speakingStyle')}>
          <input className="input" type="text" maxLength={500} placeholder={t('settings.speakingStyle.placeholder')} {...input('speakingStyle')} />
        </Field>
        <Field id={FIELD_IDS.historyTurns} label={t('settings.historyTurns')} error={fieldError('historyTurns')}>
          <input className="input input--number" type="number" inputMode="numeric" {...NUMBER_RANGES.historyTurns} step={1} {...input('historyTurns')} />
        </Field>
      </section>

      <section className="card" aria-labelledby="set-tools-h">
        <h2 id="set-tools-h">{t('settings.section.tools')}</h2>
        <p className="muted">{t('settings.tools.intro')}</p>
        {(['timers', 'clock', 'openUrl', 'clipboard'] as const).map((tool) => (
          <Check
            key={tool}
            id={`set-tool-${tool}`}
            label={t(`settings.tools.${tool}`)}
            checked={values.tools[tool]}
            onChange={(v) => edit('tools', { ...values.tools, [tool]: v })}
          />
        ))}
        <Field
          id={FIELD_IDS.timeZone}
          label={t('settings.timeZone')}
          hint={t('settings.timeZone.hint', { zone: Intl.DateTimeFormat().resolvedOptions().timeZone })}
          error={fieldError('timeZone')}
        >
          <input className="input" type="text" spellCheck={false} autoComplete="off" placeholder={Intl.DateTimeFormat().resolvedOptions().timeZone} {...input('timeZone')} />
        </Field>
        <Field id={FIELD_IDS.toolTimeoutSec} label={t('settings.toolTimeout')} error={fieldError('toolTimeoutSec')}>
          <input className="input input--number" type="number" inputMode="numeric" {...NUMBER_RANGES.toolTimeoutSec} step={1} {...input('toolTimeoutSec')} />
        </Field>
      </section>

      <section className="card" aria-labelledby="set-hotkey-h">
        <h2 id="set-hotkey-h">{t('settings.section.hotkey')}</h2>
        <Field id={FIELD_IDS.hotkey} label={t('settings.hotkey')} hint={t('settings.hotkey.hint')} error={fieldError('hotkey')}>
          <input className="input" type="text" spellCheck={false} autoComplete="off" {...input('hotkey')} />
        </Field>
        <Field id={FIELD_IDS.hotkeyMode} label={t('settings.hotkeyMode')}>
          <select id={FIELD_IDS.hotkeyMode} className="input" value={values.hotkeyMode} onChange={(e) => edit('hotkeyMode', e.target.value as FormValues['hotkeyMode'])}>
            <option value="hybrid">{t('settings.mode.hybrid')}</option>
            <option value="hold">{t('settings.mode.hold')}</option>
            <option value="toggle">{t('settings.mode.toggle')}</option>
          </select>
        </Field>
        {hotkey && (
          <p className="muted" data-testid="hotkey-status">
            {t('settings.hotkey.active', { key: acceleratorLabel(hotkey.accelerator, platform), mode: t(modeText[hotkey.activeMode] ?? 'settings.mode.none') })}
          </p>
        )}
        {hotkeyProblem && (
          <p className="warning" role="note">
            {hotkeyProblem}
          </p>
        )}
      </section>

      <section className="card" aria-labelledby="set-context-h">
        <h2 id="set-context-h">{t('settings.section.context')}</h2>
        <Field id={FIELD_IDS.screenHotkey} label={t('settings.screenHotkey')} hint={t('settings.screenHotkey.hint')} error={fieldError('screenHotkey')}>
          <input className="input" type="text" spellCheck={false} autoComplete="off" {...input('screenHotkey')} />
        </Field>
        <Field id={FIELD_IDS.privateWindowTitles} label={t('settings.privateWindowTitles')} hint={t('settings.privateWindowTitles.hint')} error={fieldError('privateWindowTitles')}>
          <textarea className="input" rows={4} spellCheck={false} {...input('privateWindowTitles')} />
        </Field>
        <Field id={FIELD_IDS.privateWindows} label={t('settings.privateWindows')}>
          <select id={FIELD_IDS.privateWindows} className="input" value={values.privateWindows} onChange={(e) => edit('privateWindows', e.target.value as FormValues['privateWindows'])}>
            <option value="blur">{t('settings.privateWindows.blur')}</option>
            <option value="exclude">{t('settings.privateWindows.exclude')}</option>
          </select>
        </Field>
      </section>

      <ModesSettings values={values} edit={edit} fieldError={fieldError} />

      <section className="card" aria-labelledby="set-quick-h">
        <h2 id="set-quick-h">{t('settings.section.quick')}</h2>
        <QuickQuestionsEditor questions={values.quickQuestions} errors={check.errors} onChange={(q) => edit('quickQuestions', q)} />
      </section>

      <section className="card" aria-labelledby="set-audio-h">
        <h2 id="set-audio-h">{t('settings.section.audio')}</h2>
        <DeviceSelect id={FIELD_IDS.inputDevice} label={t('settings.microphone')} devices={devices?.inputs} value={values.inputDevice} onChange={(v) => edit('inputDevice', v)} />
        <DeviceSelect id={FIELD_IDS.outputDevice} label={t('settings.output')} devices={devices?.outputs} value={values.outputDevice} onChange={(v) => edit('outputDevice', v)} />
        {devicesError && <p className="warning">{t('settings.devicesError', { detail: devicesError.message })}</p>}
        <Field id={FIELD_IDS.maxRecordingSec} label={t('settings.maxRecording')} error={fieldError('maxRecordingSec')}>
          <input className="input input--number" type="number" inputMode="numeric" {...NUMBER_RANGES.maxRecordingSec} step={1} {...input('maxRecordingSec')} />
        </Field>
        <Check id="set-stop-on-silence" label={t('settings.stopOnSilence')} checked={values.stopOnSilence} onChange={(v) => edit('stopOnSilence', v)} />
        <Field id={FIELD_IDS.silenceMs} label={t('settings.silenceMs')} error={fieldError('silenceMs')}>
          <input
            className="input input--number"
            type="number"
            inputMode="numeric"
            {...NUMBER_RANGES.silenceMs}
            step={100}
            disabled={!values.stopOnSilence}
            {...input('silenceMs')}
          />
        </Field>
        <Field id={FIELD_IDS.uploadFormat} label={t('settings.uploadFormat')} hint={t('settings.uploadFormat.hint')}>
          <select id={FIELD_IDS.uploadFormat} className="input" value={values.uploadFormat} onChange={(e) => edit('uploadFormat', e.target.value as FormValues['uploadFormat'])}>
            <option value="compact">{t('settings.uploadFormat.compact')}</option>
            <option value="lossless">{t('settings.uploadFormat.lossless')}</option>
          </select>
        </Field>
        <Field id={FIELD_IDS.volume} label={t('settings.volume')}>
          <div className="row">
            <input
              id={FIELD_IDS.volume}
              type="range"
              min={0}
              max={100}
              step={5}
              value={values.volume}
              aria-valuetext={`${values.volume}%`}
              onChange={(e) => edit('volume', Number(e.target.value))}
            />
            <span className="muted" aria-hidden="true">
              {values.volume}%
            </span>
          </div>
        </Field>
      </section>

      <section className="card" aria-labelledby="set-language-h">
        <h2 id="set-language-h">{t('settings.section.language')}</h2>
        <Field id={FIELD_IDS.uiLanguage} label={t('settings.uiLanguage')}>
          <select id={FIELD_IDS.uiLanguage} className="input" value={values.uiLanguage} onChange={(e) => edit('uiLanguage', e.target.value as FormValues['uiLanguage'])}>
            <option value="system">{t('settings.lang.system')}</option>
            <option value="en">English</option>
            <option value="zh">中文</option>
          </select>
        </Field>
      </section>

      <div className="savebar">
        {attempted && invalid && (
          <p className="field-error" role="alert">
            {t('settings.fixFirst')}
          </p>
        )}
        <ErrorMessage error={saveError} />
        {saved && !dirty && (
          <p className="success" role="status">
            {t('settings.saved')}
          </p>
        )}
        <div className="row row--end">
          <button type="button" className="button" onClick={discard} disabled={!dirty || saving}>
            {t('settings.discard')}
          </button>
          <button type="submit" className="button button--primary" disabled={!dirty || saving}>
            {saving ? t('settings.saving') : t('settings.save')}
          </button>
        </div>
      </div>
      </form>

      <section className="card" aria-labelledby="set-mcp-h">
        <h2 id="set-mcp-h">{t('settings.section.mcp')}</h2>
        <McpServersSection />
      </section>
    </div>
  )
}

function DeviceSelect({ id, label, devices, value, onChange }: { id: string; label: string; devices?: AudioDevice[]; value: string; onChange(v: string): void }) {
  const t = useT()
  const list = devices ?? []
  return (
    <Field id={id} label={label}>
      <select id={id} className="input" value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t('settings.device.default')}</option>
        {list.map((d) => (
          <option key={d.id} value={d.id}>
            {d.echoCancelled ? t('settings.device.echoCancelled', { label: d.label }) : d.label}
          </option>
        ))}
        {value !== '' && !list.some((d) => d.id === value) && <option value={value}>{t('settings.device.missing', { id: value })}</option>}
      </select>
    </Field>
  )
}
