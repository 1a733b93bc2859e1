import type { AppInfo, Handlers, PublicSettings } from '../shared/ipc'
import { sameVoice, type VoiceRef } from '../shared/voices'
import { InputError } from './core/settings/input-error'
import type { MainServices } from './services'

export interface HandlerServices extends MainServices {
  appInfo(): AppInfo
}

/**
 * One function per IPC channel, over the core services only (no Electron here): the Electron edge binds
 * this map to ipcMain, the browser test host binds the same map to a WebSocket. Payloads arrive validated.
 */
export function createHandlers(s: HandlerServices): Handlers {
  const publicSettings = (): PublicSettings => ({ settings: s.settings.get(), key: s.key.status() })

  const checkVoiceExists = async (ref: VoiceRef): Promise<void> => {
    if (ref.kind === 'builtin') return // the schema already checked the id against the catalogue
    const voice = (await s.voices.list()).find((v) => sameVoice(v.ref, ref))
    if (!voice) throw new InputError('voice', 'No saved voice has this id; it may have been deleted.')
    if (voice.problem) throw new InputError('voice', voice.problem)
  }

  return {
    'app:info': () => s.appInfo(),
    'settings:get': () => publicSettings(),
    'settings:update': (patch) => {
      s.settings.update(patch)
      return publicSettings()
    },
    'key:set': ({ key }) => {
      s.key.set(key)
      return publicSettings()
    },
    'key:clear': () => {
      s.key.clear()
      return publicSettings()
    },
    'key:test': () => s.key.test(),
    'assistant:press': () => s.assistant.press(),
    'assistant:release': () => s.assistant.release(),
    'assistant:toggle': () => s.assistant.toggle(),
    'assistant:ask': ({ text }) => s.assistant.ask(text),
    'assistant:stop': () => s.assistant.stop(),
    'assistant:retry': ({ turnId }) => s.assistant.retry(turnId),
    'assistant:new-conversation': () => s.assistant.newConversation(),
    'assistant:snapshot': () => s.assistant.snapshot(),
    'voices:list': () => s.voices.list(),
    'voices:select': async (ref) => {
      await checkVoiceExists(ref)
      s.settings.update({ voice: ref })
      return publicSettings()
    },
    'voices:preview': ({ voice, text }) => s.voices.preview(voice, text),
    'audio:devices': () => s.doctor.devices(),
    'doctor:run': () => s.doctor.run(),
    'mic:test': () => s.doctor.micTest()
  }
}
