import { useT } from '../i18n'
import { Check, Field } from './fields'
import { NUMBER_RANGES, type FormField, type FormValues } from './settings-form'

/** DOM ids of the modes' inputs (a refused save moves focus to the first bad one). */
export const MODES_FIELD_IDS: Record<string, string> = {
  conversationHotkey: 'set-conversation-hotkey',
  conversationPauseMs: 'set-conversation-pause',
  conversationTimeoutSec: 'set-conversation-timeout',
  dictationHotkey: 'set-dictation-hotkey',
  dictationWords: 'set-dictation-words',
  dictationPasteKey: 'set-dictation-paste-key'
}

interface Props {
  values: FormValues
  edit<K extends FormField>(field: K, value: FormValues[K]): void
  fieldError(key: string): string | undefined
}

/** The hands-free conversation's and dictation's settings. */
export function ModesSettings({ values, edit, fieldError }: Props) {
  const t = useT()
  const text = (field: 'conversationHotkey' | 'conversationPauseMs' | 'conversationTimeoutSec' | 'dictationHotkey' | 'dictationWords') => ({
    id: MODES_FIELD_IDS[field],
    value: values[field],
    'aria-invalid': fieldError(field) ? true : undefined,
    'aria-describedby': fieldError(field) ? `${MODES_FIELD_IDS[field]}-error` : undefined,
    onChange: (e: { target: { value: string } }) => edit(field, e.target.value)
  })
  return (
    <>
      <section className="card" aria-labelledby="set-conversation-h">
        <h2 id="set-conversation-h">{t('settings.section.conversation')}</h2>
        <Field id={MODES_FIELD_IDS.conversationHotkey} label={t('settings.conversationHotkey')} hint={t('settings.conversationHotkey.hint')} error={fieldError('conversationHotkey')}>
          <input className="input" type="text" spellCheck={false} autoComplete="off" placeholder="Ctrl+Alt+C" {...text('conversationHotkey')} />
        </Field>
        <Field id={MODES_FIELD_IDS.conversationPauseMs} label={t('settings.conversationPauseMs')} error={fieldError('conversationPauseMs')}>
          <input className="input input--number" type="number" inputMode="numeric" {...NUMBER_RANGES.conversationPauseMs} step={100} {...text('conversationPauseMs')} />
        </Field>
        <Check
          id="set-conversation-interrupt"
          label={t('settings.conversationInterrupt')}
          hint={t('settings.conversationInterrupt.hint')}
          checked={values.conversationInterrupt}
          onChange={(v) => edit('conversationInterrupt', v)}
        />
        <Field id={MODES_FIELD_IDS.conversationTimeoutSec} label={t('settings.conversationTimeoutSec')} error={fieldError('conversationTimeoutSec')}>
          <input className="input input--number" type="number" inputMode="numeric" {...NUMBER_RANGES.conversationTimeoutSec} step={5} {...text('conversationTimeoutSec')} />
        </Field>
      </section>

      <section className="card" aria-labelledby="set-dictation-h">
        <h2 id="set-dictation-h">{t('settings.section.dictation')}</h2>
        <Field id={MODES_FIELD_IDS.dictationHotkey} label={t('settings.dictationHotkey')} hint={t('settings.dictationHotkey.hint')} error={fieldError('dictationHotkey')}>
          <input className="input" type="text" spellCheck={false} autoComplete="off" {...text('dictationHotkey')} />
        </Field>
        <Field id={MODES_FIELD_IDS.dictationWords} label={t('settings.dictationWords')} error={fieldError('dictationWords')}>
          <textarea className="input" rows={3} spellCheck={false} placeholder={'MiMo\nXiaomi'} {...text('dictationWords')} />
        </Field>
        <Check id="set-dictation-fillers" label={t('settings.dictationRemoveFillers')} checked={values.dictationRemoveFillers} onChange={(v) => edit('dictationRemoveFillers', v)} />
        <Field id={MODES_FIELD_IDS.dictationPasteKey} label={t('settings.dictationPasteKey')}>
          <select
            id={MODES_FIELD_IDS.dictationPasteKey}
            className="input"
            value={values.dictationPasteKey}
            onChange={(e) => edit('dictationPasteKey', e.target.value as FormValues['dictationPasteKey'])}
          >
            <option value="auto">{t('settings.paste.auto')}</option>
            <option value="ctrl-v">Ctrl+V</option>
            <option value="ctrl-shift-v">Ctrl+Shift+V</option>
            <option value="shift-insert">Shift+Insert</option>
          </select>
        </Field>
        <Check
          id="set-dictation-mic-open"
          label={t('settings.dictationKeepMicOpen')}
          hint={t('settings.dictationKeepMicOpen.hint')}
          checked={values.dictationKeepMicOpen}
          onChange={(v) => edit('dictationKeepMicOpen', v)}
        />
      </section>
    </>
  )
}
