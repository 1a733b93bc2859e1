import type { AppInfo, Handlers, PublicSettings } from '../shared/ipc'
import { DEFAULT_VOICE, sameVoice, type VoiceRef } from '../shared/voices'
import { InputError } from '../core/settings/input-error'
import type { MainServices } from '../core/services'
import type { ContextService } from '../core/context/context-service'
import { ContextError } from '../core/context/errors'

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

  const context = (): ContextService => {
    if (!s.context) throw new ContextError('Context for questions is not available here.', 'capture-unavailable')
    return s.context
  }

  const checkVoiceExists = async (ref: VoiceRef): Promise<void> => {
    if (ref.kind === 'builtin') return // the schema already checked the id against the catalogue
    const voice = (await s.voices.list()).find((v) => sameVoice(v.ref, ref))
    if (!voice) throw new InputError('voice', 'No saved voice has this id; it may have been deleted.')
    if (voice.problem) throw new InputError('voice', voice.problem)
  }

  return {
    'app:info': () => s.appInfo(),
    'settings:get': () => {
      s.pageReady()
      return publicSettings()
    },
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
    'mic:test': () => s.doctor.micTest(),
    'context:next': () => context().next(),
    'context:set-next': (patch) => context().setNext(patch),
    // Decoded and re-encoded here, in the main process: bytes that are not an image are refused.
    'context:add-image': ({ fileName, bytes }) => context().addImage(bytes, fileName),
    'context:remove-image': ({ id }) => context().removeImage(id),
    ...historyHandlers(s)
  }
}

/** The History view's calls (src/core/conversations). */
function historyHandlers(s: HandlerServices): Pick<Handlers, `history:${string}` & keyof Handlers> {
  const h = s.conversations
  return {
    'history:status': () => h.status(),
    'history:list': ({ before, limit }) => h.list({ before, limit }),
    'history:get': ({ id }) => h.get(id),
    'history:search': ({ text, limit }) => h.search(text, limit),
    'history:rename': ({ id, title }) => h.rename(id, title),
    'history:delete': ({ id }) => {
      h.remove(id)
      return null
    },
    'history:clear': () => {
      h.clear()
      return null
    },
    'history:export': ({ id, format }) => h.exportFile(format, id),
    'history:replay': ({ turnId, part }) => {
      // One speaker: a replay ends an answer being spoken.
      s.assistant.stop()
      return h.replay(turnId, part)
    },
    'history:stop-replay': () => {
      h.stopReplay()
      return null
    },
    'history:continue': ({ id }) => h.continue(id)
  }
}
