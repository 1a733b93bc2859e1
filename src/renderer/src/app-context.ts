import { createContext, useContext } from 'react'
import type { HotkeyStatus, PublicSettings } from '../../shared/ipc'
import type { KeyStatus, Settings } from '../../shared/settings'
import type { ApiClient } from './api-client'

/** What every view needs: the client, the current settings and key status, and the hotkey's state. */
export interface AppContextValue {
  client: ApiClient
  settings: Settings
  keyStatus: KeyStatus
  hotkey: HotkeyStatus | null
  platform: string
  /** Every call that returns fresh settings (save, voice, key) hands them here. */
  applyPublicSettings(value: PublicSettings): void
}

export const AppContext = createContext<AppContextValue | null>(null)

export function useApp(): AppContextValue {
  const value = useContext(AppContext)
  if (!value) throw new Error('useApp() outside <AppContext.Provider>')
  return value
}
