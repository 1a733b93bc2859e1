import { describe, expect, it } from 'vitest'
import { appConfigDir } from '../../../../src/main/core/settings/conf-settings-store'

// Electron's app.getPath('appData') + '/mimo-voice' (the app pins userData to it), per platform.
describe('the app config folder, as the command line resolves it', () => {
  it('Linux: $XDG_CONFIG_HOME, else ~/.config', () => {
    expect(appConfigDir({ platform: 'linux', env: {}, home: '/home/ana' })).toBe('/home/ana/.config/mimo-voice')
    expect(appConfigDir({ platform: 'linux', env: { XDG_CONFIG_HOME: '/cfg' }, home: '/home/ana' })).toBe('/cfg/mimo-voice')
  })

  it('macOS: ~/Library/Application Support', () => {
    expect(appConfigDir({ platform: 'darwin', env: { XDG_CONFIG_HOME: '/ignored' }, home: '/Users/ana' })).toBe(
      '/Users/ana/Library/Application Support/mimo-voice'
    )
  })

  it('Windows: %APPDATA% (Roaming)', () => {
    expect(appConfigDir({ platform: 'win32', env: { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' }, home: 'C:\\Users\\ana' })).toBe(
      'C:\\Users\\ana\\AppData\\Roaming\\mimo-voice'
    )
    expect(appConfigDir({ platform: 'win32', env: {}, home: 'C:\\Users\\ana' })).toBe('C:\\Users\\ana\\AppData\\Roaming\\mimo-voice')
  })
})
