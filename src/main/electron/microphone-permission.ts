import type { SystemPreferences } from 'electron'
import type { MicrophonePermission } from '../../core/ports'

/**
 * macOS asks the user before an app (and the recorder it starts) may use the microphone; the text of
 * that prompt is NSMicrophoneUsageDescription (electron-builder.yml). Elsewhere there is nothing to ask.
 */
export function createMicrophonePermission(
  systemPreferences: Pick<SystemPreferences, 'getMediaAccessStatus' | 'askForMediaAccess'>,
  platform: NodeJS.Platform = process.platform
): MicrophonePermission {
  return {
    isGranted: () => platform !== 'darwin' || systemPreferences.getMediaAccessStatus('microphone') === 'granted',
    async ensure() {
      if (platform !== 'darwin') return true
      const status = systemPreferences.getMediaAccessStatus('microphone')
      if (status === 'granted') return true
      if (status === 'denied' || status === 'restricted') return false
      return systemPreferences.askForMediaAccess('microphone')
    }
  }
}
