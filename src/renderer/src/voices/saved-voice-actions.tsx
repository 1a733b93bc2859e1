import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react'
import { MAX_VOICE_NAME_LENGTH, sameVoice, type VoiceInfo } from '../../../shared/voices'
import { useApp } from '../app-context'
import { ErrorMessage } from '../error-message'
import { useT } from '../i18n'
import { useAction } from '../use-action'

type Mode = 'buttons' | 'rename' | 'confirm-delete'

/**
 * A saved voice's own actions: rename (in place), re-record (a clone: the clone panel takes over), and
 * delete after a confirmation. `children` are the row's other buttons (preview), shown beside these.
 */
export function SavedVoiceActions({
  voice,
  children,
  onReRecord,
  onNotice
}: {
  voice: VoiceInfo
  children?: ReactNode
  onReRecord(): void
  onNotice(text: string): void
}) {
  const { client, settings, applyPublicSettings } = useApp()
  const t = useT()
  const [mode, setMode] = useState<Mode>('buttons')
  const [name, setName] = useState(voice.name)
  const renameButton = useRef<HTMLButtonElement>(null)
  const deleteButton = useRef<HTMLButtonElement>(null)
  const cancelDelete = useRef<HTMLButtonElement>(null)
  /** The button that opened the form or the question: it gets the focus back (it is a new element by then). */
  const returnFocus = useRef<'rename' | 'delete' | null>(null)

  const rename = useAction(async () => {
    const renamed = await client.call('voices:rename', { id: voice.ref.id, name })
    onNotice(t('voices.renamed', { name: renamed.name }))
    close('rename')
  })
  const remove = useAction(async () => {
    const wasActive = sameVoice(voice.ref, settings.voice)
    const after = await client.call('voices:delete', { id: voice.ref.id })
    applyPublicSettings(after)
    onNotice(wasActive ? t('voices.deletedActive', { name: voice.name }) : t('voices.deleted', { name: voice.name }))
  })

  function open(next: Mode) {
    returnFocus.current = next === 'rename' ? 'rename' : 'delete'
    rename.clearError()
    remove.clearError()
    setName(voice.name)
    setMode(next)
  }
  function close(focus: 'rename' | 'delete' | null = returnFocus.current) {
    returnFocus.current = focus
    setMode('buttons')
  }

  // Keyboard focus follows: into the form or the question, back to the button that opened it.
  useEffect(() => {
    if (mode === 'confirm-delete') cancelDelete.current?.focus()
    else if (mode === 'buttons' && returnFocus.current) {
      ;(returnFocus.current === 'rename' ? renameButton : deleteButton).current?.focus()
      returnFocus.current = null
    }
  }, [mode])

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation()
      close()
    }
  }
  const onRename = (e: FormEvent) => {
    e.preventDefault()
    if (name.trim() && !rename.pending) void rename.run()
  }

  return (
    <>
      <div className="voice__actions">
        {children}
        {mode === 'buttons' && (
          <>
            <button
              ref={renameButton}
              type="button"
              className="button button--small"
              aria-label={t('voices.renameNamed', { name: voice.name })}
              onClick={() => open('rename')}
            >
              {t('voices.rename')}
            </button>
            {voice.ref.kind === 'clone' && (
              <button type="button" className="button button--small" aria-label={t('voices.rerecordNamed', { name: voice.name })} onClick={onReRecord}>
                {t('voices.rerecord')}
              </button>
            )}
            <button
              ref={deleteButton}
              type="button"
              className="button button--small button--danger"
              aria-label={t('voices.deleteNamed', { name: voice.name })}
              onClick={() => open('confirm-delete')}
            >
              {t('voices.delete')}
            </button>
          </>
        )}
      </div>
      {mode === 'rename' && (
        <form className="voice__edit row" onSubmit={onRename} onKeyDown={onKeyDown}>
          <label className="visually-hidden" htmlFor={`rename-${voice.ref.id}`}>
            {t('voices.renameLabel', { name: voice.name })}
          </label>
          <input
            id={`rename-${voice.ref.id}`}
            className="input"
            value={name}
            maxLength={MAX_VOICE_NAME_LENGTH}
            autoComplete="off"
            autoFocus
            onChange={(e) => setName(e.target.value)}
          />
          <button type="submit" className="button button--small button--primary" disabled={!name.trim() || rename.pending}>
            {t('voices.renameSave')}
          </button>
          <button type="button" className="button button--small" onClick={() => close()}>
            {t('common.cancel')}
          </button>
          <ErrorMessage error={rename.error} />
        </form>
      )}
      {mode === 'confirm-delete' && (
        <div className="voice__edit voice__confirm" role="group" aria-label={t('voices.deleteNamed', { name: voice.name })} onKeyDown={onKeyDown}>
          <p>{t(voice.ref.kind === 'clone' ? 'voices.deleteConfirm.clone' : 'voices.deleteConfirm.design', { name: voice.name })}</p>
          <div className="row">
            <button type="button" className="button button--small button--danger" onClick={() => void remove.run()} disabled={remove.pending}>
              {t('voices.deleteYes', { name: voice.name })}
            </button>
            <button ref={cancelDelete} type="button" className="button button--small" onClick={() => close()} disabled={remove.pending}>
              {t('common.cancel')}
            </button>
          </div>
          <ErrorMessage error={remove.error} />
        </div>
      )}
    </>
  )
}
