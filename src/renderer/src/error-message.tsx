import type { UserError } from '../../shared/errors'
import { BRIDGE_FAILED, BRIDGE_MISSING } from './api-client'
import { useT } from './i18n'

/** A user-facing error: the sentence, and how to fix it when the main side knows. */
export function ErrorMessage({ error, id }: { error: UserError | null; id?: string }) {
  const t = useT()
  if (!error) return null
  const message =
    error.code === BRIDGE_MISSING ? t('error.bridgeMissing') : error.code === BRIDGE_FAILED ? t('error.bridgeFailed', { detail: error.message }) : error.message
  return (
    <div className="error-message" role="alert" id={id}>
      <p>{message}</p>
      {error.hint && <p className="error-hint">{error.hint}</p>}
    </div>
  )
}
