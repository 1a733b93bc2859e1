import { describe, expect, it } from 'vitest'
import { userDataDir } from '../../../src/core/app-paths'

// Electron's app.getPath('appData') + '/mimo-voice' (the app pins userData to it), per platform.
describe('the app config folder, as the command line resolves it', () => {
  it('Linux: $XDG_CONFIG_HOME, else ~/.config', () => {
    expect(userDataDir({ platform: 'linux', env: {}, homedir: '/home/ana' })).toBe('/home/ana/.config/mimo-voice')
    expect(userDataDir({ platform: 'linux', env: { XDG_CONFIG_HOME: '/cfg' }, homedir: '/home/ana' })).toBe('/cfg/mimo-voice')
  })

  it('macOS: ~/Library/Application Support', () => {
    expect(userDataDir({ platform: 'darwin', env: { XDG_CONFIG_HOME: '/ignored' }, homedir: '/Users/ana' })).toBe(
      '/Users/ana/Library/Application Support/mimo-voice'
    )
  })

  it('Windows: %APPDATA% (Roaming)', () => {
    expect(userDataDir({ platform: 'win32', env: { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' }, homedir: 'C:\\Users\\ana' })).toBe(
      'C:\\Users\\ana\\AppData\\Roaming\\mimo-voice'
    )
    expect(userDataDir({ platform: 'win32', env: {}, homedir: 'C:\\Users\\ana' })).toBe('C:\\Users\\ana\\AppData\\Roaming\\mimo-voice')
  })
})
