import type { IpcMain, IpcMainInvokeEvent } from 'electron'
import { fail } from '../../shared/errors'
import { INVOKE_CHANNELS, type Handlers } from '../../shared/ipc'
import { dispatchInvoke } from '../ipc-dispatch'

export interface IpcBindingOptions {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>
  handlers: Handlers
  /** Our window's top frame showing our page; everything else is refused before any service runs. */
  isTrustedSender: (event: IpcMainInvokeEvent) => boolean
  log?: (message: string) => void
}

/** Binds every contract channel to ipcMain.handle. Returns the unbinding. */
export function bindIpc(o: IpcBindingOptions): () => void {
  for (const channel of INVOKE_CHANNELS) {
    o.ipcMain.handle(channel, async (event: IpcMainInvokeEvent, payload?: unknown) => {
      if (!o.isTrustedSender(event)) {
        o.log?.(`Refused "${channel}" from ${event.senderFrame?.url ?? 'a frame that is gone'}`)
        return fail({ kind: 'internal', message: 'This request did not come from the MiMo Voice window.' })
      }
      return dispatchInvoke(o.handlers, channel, payload)
    })
  }
  return () => {
    for (const channel of INVOKE_CHANNELS) o.ipcMain.removeHandler(channel)
  }
}
