import { useCallback, useEffect, useState } from 'react'
import { MAX_IMAGE_FILE_BYTES, type NextContext } from '../../../shared/context'
import type { UserError } from '../../../shared/errors'
import { userErrorOf, type ApiClient } from '../api-client'
import { useApp } from '../app-context'
import { ErrorMessage } from '../error-message'
import { useT, type Translate } from '../i18n'

const NOTHING: NextContext = { screen: false, selection: false, images: [] }

/** Image files among dropped or pasted ones. */
export function imageFiles(files: Iterable<File> | ArrayLike<File>): File[] {
  return Array.from(files).filter((f) => f.type.startsWith('image/'))
}

/** Sends image files to wait for the next question (checked again, and decoded, in the main process). */
export async function attachImages(client: ApiClient, files: File[], t: Translate): Promise<UserError | null> {
  for (const file of files) {
    const name = file.name || t('context.pastedImage')
    if (file.size > MAX_IMAGE_FILE_BYTES) return { kind: 'input', message: t('context.tooLarge', { name, mb: MAX_IMAGE_FILE_BYTES / (1024 * 1024) }) }
    try {
      await client.call('context:add-image', { fileName: name, bytes: new Uint8Array(await file.arrayBuffer()) })
    } catch (err) {
      return userErrorOf(err)
    }
  }
  return null
}

/** The next question's context: "include screen" and "include selection" switches, and image files waiting to go. */
export function ContextBar({ error, onError }: { error: UserError | null; onError(e: UserError | null): void }) {
  const { client } = useApp()
  const t = useT()
  const [next, setNext] = useState<NextContext>(NOTHING)

  useEffect(() => {
    const off = client.on('context:next', setNext)
    client.call('context:next').then(setNext, (err: unknown) => onError(userErrorOf(err)))
    return off
  }, [client, onError])

  const call = useCallback(
    (p: Promise<NextContext>) =>
      p.then(
        (n) => {
          setNext(n)
          onError(null)
        },
        (err: unknown) => onError(userErrorOf(err))
      ),
    [onError]
  )

  // The switch follows the hand at once; the main process's answer (or event) then says what holds.
  const toggle = (patch: Partial<Pick<NextContext, 'screen' | 'selection'>>) => {
    setNext((prev) => ({ ...prev, ...patch }))
    void call(client.call('context:set-next', patch))
  }

  return (
    <div className="context-bar" role="group" aria-label={t('context.label')}>
      <div className="context-bar__switches">
        <label className="switch">
          <input
            type="checkbox"
            role="switch"
            checked={next.screen}
            onChange={(e) => toggle({ screen: e.target.checked })}
          />
          {t('context.screen')}
        </label>
        <label className="switch">
          <input
            type="checkbox"
            role="switch"
            checked={next.selection}
            onChange={(e) => toggle({ selection: e.target.checked })}
          />
          {t('context.selection')}
        </label>
      </div>
      {next.images.length > 0 && (
        <ul className="context-bar__images" aria-label={t('context.waiting')}>
          {next.images.map((a) => (
            <li key={a.id} className="attachment-chip">
              {a.thumbnail && <img src={a.thumbnail} alt="" />}
              <span>{a.label}</span>
              <button
                type="button"
                className="button button--quiet"
                aria-label={t('context.remove', { name: a.label })}
                onClick={() => void call(client.call('context:remove-image', { id: a.id }))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <ErrorMessage error={error} />
    </div>
  )
}
