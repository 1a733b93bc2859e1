import ElectronStore from 'electron-store'
import type { SettingsStore } from '../../core/ports'
import { join } from 'node:path'
import { CONFIG_NAME, openConf, settingsStoreFromConf, type ConfLike } from '../../core/settings/conf-settings-store'

/** The app's settings file: electron-store's `<userData>/config.json` (userData is pinned at start-up). */
export function createElectronSettingsStore(o: { userData: string; onDamaged?: (movedTo: string) => void }): SettingsStore {
  const store = openConf(
    () => new ElectronStore<Record<string, unknown>>({ name: CONFIG_NAME, cwd: o.userData, accessPropertiesByDotNotation: false }) as unknown as ConfLike,
    join(o.userData, `${CONFIG_NAME}.json`),
    o.onDamaged
  )
  return settingsStoreFromConf(store, o.onDamaged)
}
