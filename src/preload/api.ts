import { EVENT_CHANNELS, INVOKE_CHANNELS, invokeSchemas, type Api, type EventChannel, type Events } from '../shared/ipc'

/** What the preload needs of ipcRenderer (a fake in tests). */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown
}

/** Channels whose schema accepts no payload: their function sends none, whatever it is called with. */
const NO_PAYLOAD = new Set(INVOKE_CHANNELS.filter((c) => invokeSchemas[c].safeParse(undefined).success))

/**
 * `window.api`, derived from the contract's channel lists: one function per invoke channel, and `on`
 * for the event channels only. The window gets payloads, never ipcRenderer or the IPC event object.
 */
export function buildApi(ipc: IpcRendererLike): Api {
  const api: Record<string, unknown> = {}
  for (const channel of INVOKE_CHANNELS) {
    api[channel] = NO_PAYLOAD.has(channel)
      ? () => ipc.invoke(channel)
      : (payload: unknown) => ipc.invoke(channel, payload)
  }
  api.on = <E extends EventChannel>(event: E, listener: (payload: Events[E]) => void): (() => void) => {
    if (!(EVENT_CHANNELS as string[]).includes(event)) throw new Error(`Unknown event "${String(event)}".`)
    if (typeof listener !== 'function') throw new Error('The listener must be a function.')
    const wrapped = (_event: unknown, payload: unknown): void => listener(payload as Events[E])
    ipc.on(event, wrapped)
    return () => {
      ipc.removeListener(event, wrapped)
    }
  }
  return Object.freeze(api) as unknown as Api
}
