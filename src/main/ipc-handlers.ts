import type { AppInfo, Handlers, PublicSettings } from '../shared/ipc'
import { DEFAULT_VOICE, sameVoice, type VoiceRef } from '../shared/voices'
import { InputError } from '../core/settings/input-error'
import type { MainServices } from '../core/services'

export interface HandlerServices extends MainServices {
  appInfo(): AppInfo
  /** The page asked for its first data (settings or the conversation): events may flow to it now. */
  pageReady(): void
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

  /** A device the window names must be one the system lists (where it lists any): it ends up in a program's arguments. */
  const checkDevices = async (patch: { inputDevice?: string | null; outputDevice?: string | null }): Promise<void> => {
    if (!patch.inputDevice && !patch.outputDevice) return
    const { inputs, outputs } = await s.doctor.devices()
    for (const [field, id, list] of [['inputDevice', patch.inputDevice, inputs], ['outputDevice', patch.outputDevice, outputs]] as const) {
      if (id && list.length > 0 && !list.some((d) => d.id === id)) throw new InputError(field, 'There is no such sound device on this computer.')
    }
  }

  return {
    'app:info': () => s.appInfo(),
    'settings:get': () => {
      s.pageReady()
      return publicSettings()
    },
    'settings:update': async (patch) => {
      if (patch.voice) await checkVoiceExists(patch.voice)
      await checkDevices(patch)
      s.settings.update(patch)
      return publicSettings()
    },
    'key:set': ({ key, storeWithoutKeyring }) => {
      s.key.set(key, { storeWithoutKeyring })
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
    'assistant:snapshot': () => {
      s.pageReady()
      return s.assistant.snapshot()
    },
    'voices:list': () => s.voices.list(),
    'voices:select': async (ref) => {
      await checkVoiceExists(ref)
      s.settings.update({ voice: ref })
      return publicSettings()
    },
    'voices:preview': ({ voice, text }) => s.voices.preview(voice, text),
    // One microphone: the recorder takes it from push-to-talk (whose turn ends) or the microphone test.
    'samples:record-start': () => s.voices.samples.start(),
    'samples:record-stop': () => s.voices.samples.stop(),
    'samples:record-cancel': () => {
      s.voices.samples.cancel()
      return null
    },
    // Checked here, in the main process: a file that is not usable audio is refused before anything is sent.
    'samples:import': ({ fileName, bytes }) => s.voices.checkSample(bytes, fileName),
    'samples:preview-draft': ({ draftId, text }) => s.voices.previewDraft(draftId, text),
    'samples:save': ({ draftId, name, consent }) => s.voices.saveDraft(draftId, name, consent),
    'samples:discard': ({ draftId }) => {
      s.voices.discardDraft(draftId)
      return null
    },
    'voices:rename': ({ id, name }) => s.voices.rename(id, name),
    'voices:delete': async ({ id }) => {
      await s.voices.remove(id)
      // The voice in use is gone: fall back to the default (the tray follows the settings change).
      const active = s.settings.get().voice
      if (active.kind !== 'builtin' && active.id === id) s.settings.update({ voice: DEFAULT_VOICE })
      return publicSettings()
    },
    'voices:replace-sample': ({ id, draftId, consent }) => s.voices.replaceSampleWithDraft(id, draftId, consent),
    'voices:design-preview': ({ description, text }) => s.voices.designPreview(description, text),
    'voices:design-save': ({ name, description }) => s.voices.saveDesign(name, description),
    'voices:stop-preview': () => {
      s.voices.stopPreview()
      return null
    },
    'audio:devices': () => s.doctor.devices(),
    'doctor:run': () => s.doctor.run(),
    'mic:test': () => s.doctor.micTest()
  }
}
