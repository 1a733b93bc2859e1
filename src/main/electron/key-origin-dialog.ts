import type { Dialog } from 'electron'
import type { KeyOriginConfirmation } from '../../core/ports'
import { hostOf } from '../../core/settings/key-origin'

/**
 * The key-origin question as a native message box, shown by the main process: the window has no way to
 * answer it. "Don't send" is the default and what Escape means.
 */
export function keyOriginDialog(dialog: Pick<Dialog, 'showMessageBox'>): KeyOriginConfirmation {
  return {
    async confirmKeyOrigin({ savedFor, to }) {
      const host = hostOf(to)
      const { response } = await dialog.showMessageBox({
        type: 'warning',
        title: 'MiMo Voice',
        message: `Send your MiMo API key to ${host}?`,
        detail:
          (savedFor ? `Your key was saved for ${hostOf(savedFor)}. ` : '') +
          `The base URL in Settings now points at ${to}. Whoever runs that server receives your key. ` +
          'Allow it only if you changed the address yourself.',
        buttons: ["Don't send", `Send the key to ${host}`],
        defaultId: 0,
        cancelId: 0,
        noLink: true
      })
      return response === 1
    }
  }
}
