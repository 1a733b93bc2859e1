import type { Api } from '../shared/ipc'

declare global {
  interface Window {
    /** Built by the preload from the IPC contract (src/shared/ipc.ts). */
    api: Api
  }
}

export {}
