import { useId, useState, type FormEvent } from 'react'
import type { KeyTestResult } from '../../../shared/ipc'
import { invokeSchemas } from '../../../shared/ipc'
import type { KeyStorage } from '../../../shared/settings'
import { useApp } from '../app-context'
import { ErrorMessage } from '../error-message'
import { useT, type MessageKey } from '../i18n'
import { useAction } from '../use-action'

const STORAGE_TEXT: Record<KeyStorage, MessageKey> = {
  'os-keychain': 'key.storage.keychain',
  'plaintext-obfuscated': 'key.storage.obfuscated',
  unavailable: 'key.storage.unavailable',
  environment: 'key.storage.environment'
}

/**
 * The API key: whether it is set (its last four characters only), where it is kept, and set /
 * replace / clear / test. The key itself never comes back to the window.
 */
export function KeySection() {
  const { client, keyStatus, applyPublicSettings } = useApp()
  const t = useT()
  const inputId = useId()
  const [draft, setDraft] = useState('')
  const [draftError, setDraftError] = useState<string | null>(null)
  const [tested, setTested] = useState<KeyTestResult | null>(null)
  // Without a keyring the key is only obfuscated: stored only once the user says so, each time.
  const [withoutKeyring, setWithoutKeyring] = useState(false)
  const noKeyring = keyStatus.storage === 'plaintext-obfuscated'

  const save = useAction((key: string) =>
    client.call('key:set', { key, ...(noKeyring && withoutKeyring ? { storeWithoutKeyring: true as const } : {}) }).then((value) => {
      applyPublicSettings(value)
      return true
    })
  )
  const clear = useAction(() => client.call('key:clear').then(applyPublicSettings))
  const test = useAction(() => client.call('key:test').then(setTested))

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const checked = invokeSchemas['key:set'].safeParse({ key: draft })
    if (!checked.success) {
      setDraftError(t('key.tooShort'))
      return
    }
    setDraftError(null)
    setTested(null)
    // The key leaves the window's memory as soon as the app has it.
    if (await save.run(checked.data.key)) {
      setDraft('')
      setWithoutKeyring(false)
    }
  }

  const onClear = async () => {
    setTested(null)
    await clear.run()
  }

  const onTest = async () => {
    setTested(null)
    await test.run()
  }

  const busy = save.pending || clear.pending || test.pending
  const errorId = `${inputId}-error`
  return (
    <div className="key">
      <p className="key__status" data-testid="key-status">
        {keyStatus.set ? (keyStatus.last4 ? t('key.setEnding', { last4: keyStatus.last4 }) : t('key.set')) : t('key.notSet')}
      </p>
      <p className={`key__storage${keyStatus.storage === 'plaintext-obfuscated' || keyStatus.storage === 'unavailable' ? ' warning' : ' muted'}`}>
        {t(STORAGE_TEXT[keyStatus.storage])}
      </p>
      <form className="key__form" onSubmit={(e) => void submit(e)} noValidate>
        <label htmlFor={inputId}>{keyStatus.set ? t('key.newLabel') : t('key.label')}</label>
        <div className="row">
          <input
            id={inputId}
            className="input"
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={draft}
            aria-invalid={draftError ? true : undefined}
            aria-describedby={draftError ? errorId : undefined}
            onChange={(e) => {
              setDraft(e.target.value)
              setDraftError(null)
            }}
          />
          <button type="submit" className="button button--primary" disabled={busy || draft.trim() === '' || (noKeyring && !withoutKeyring)}>
            {keyStatus.set ? t('key.replace') : t('key.save')}
          </button>
        </div>
        {draftError && (
          <p className="field-error" id={errorId}>
            {draftError}
          </p>
        )}
        {noKeyring && (
          <div className="check">
            <input id={`${inputId}-obfuscated`} type="checkbox" checked={withoutKeyring} onChange={(e) => setWithoutKeyring(e.target.checked)} />
            <label htmlFor={`${inputId}-obfuscated`}>{t('key.storeWithoutKeyring')}</label>
          </div>
        )}
      </form>
      <div className="row">
        <button type="button" className="button" onClick={() => void onTest()} disabled={busy || !keyStatus.set}>
          {test.pending ? t('key.testing') : t('key.test')}
        </button>
        {keyStatus.set && keyStatus.storage !== 'environment' && (
          <button type="button" className="button button--danger" onClick={() => void onClear()} disabled={busy}>
            {t('key.clear')}
          </button>
        )}
      </div>
      {tested && (
        <p className="success" role="status">
          {t('key.testOk', { model: tested.model, ms: Math.round(tested.latencyMs) })}
        </p>
      )}
      <ErrorMessage error={save.error ?? clear.error ?? test.error} />
    </div>
  )
}
