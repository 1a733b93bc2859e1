/**
 * The Voices feature as the window, the tray and the assistant use it: list, check and save samples
 * (kept as drafts until saved), design voices, preview any voice through the speaker, and turn a
 * VoiceRef into the voice a speech request needs.
 */
import { randomUUID } from 'node:crypto'
import type { Settings } from '../../shared/settings'
import { BUILTIN_VOICES, BUILTIN_VOICE_IDS, type SampleQuality, type VoiceInfo, type VoiceRef } from '../../shared/voices'
import { CLONE_TTS_MODEL, DESIGN_TTS_MODEL } from '../../shared/models'
import type { MimoClient } from '../mimo/client'
import { ttsRequest, type TtsVoice } from '../mimo/builders'
import type { PcmSink } from '../audio/player'
import { ConsentRequiredError, DraftNotFoundError, VoiceNotFoundError } from './errors'
import { checkSample } from './sample-quality'
import { guessLanguage, normalizeDescription } from './voice-record'
import type { CheckedSample, VoiceStore } from './voice-store'

export const PREVIEW_TEXT = {
  en: 'Hello! This is how I sound as your MiMo Voice assistant.',
  zh: '你好！这就是我作为你的 MiMo Voice 助手的声音。'
} as const

/** Streamed speech is PCM16 mono 24 kHz: 48 bytes a millisecond. */
const PCM_BYTES_PER_MS = 48

/** Turns the voice chosen in settings into what a speech request needs (the assistant's port). */
export interface VoiceResolver {
  resolve(ref: VoiceRef): Promise<TtsVoice>
}

export interface VoiceServiceDeps {
  store: VoiceStore
  client: Pick<MimoClient, 'chat'>
  /** A fresh speaker sink for each preview (24 kHz mono PCM16 in). */
  createSink: () => Promise<PcmSink>
  settings: () => Settings
  /** Checked samples kept waiting to be saved; the oldest goes first. Default 4. */
  maxDrafts?: number
  newId?: () => string
}

export interface PreviewResult {
  /** Length of the speech played (or, when stopped, of what had arrived). */
  durationMs: number
  /** The preview was stopped before it ended. */
  stopped?: boolean
}

export interface DesignPreviewResult extends PreviewResult {
  /** The text spoken: the one given, or the one the voice-design model wrote (`final_text_preview`). */
  text: string
}

export interface SampleCheckResult {
  /** The checked sample waiting to be saved with saveDraft(); null when it was refused. */
  draftId: string | null
  quality: SampleQuality
}

export interface VoiceService extends VoiceResolver {
  /** The built-in voices, then the saved ones (a clone whose file is missing or damaged carries `problem`). */
  list(): Promise<VoiceInfo[]>
  /** Speaks a test sentence (or `text`) in a voice through the speaker; one preview plays at a time. */
  preview(voice: VoiceRef, text?: string): Promise<PreviewResult>
  /** Speaks a test sentence in the voice a draft (a checked, unsaved sample) would make. */
  previewDraft(draftId: string, text?: string): Promise<PreviewResult>
  /** Stops the preview playing, if any. */
  stopPreview(): void
  /** Checks a sample (WAV or MP3 bytes) and keeps it as a draft when it can be used. Nothing is sent. */
  checkSample(bytes: Uint8Array, fileName?: string): Promise<SampleCheckResult>
  /** Saves a draft as a cloned voice. `consent`: the user confirmed it is their voice or they have permission. */
  saveDraft(draftId: string, name: string, consent: boolean, o?: { language?: string }): Promise<VoiceInfo>
  /** Puts a draft in place of a saved clone's sample (re-record). */
  replaceSampleWithDraft(voiceId: string, draftId: string, consent: boolean): Promise<VoiceInfo>
  discardDraft(draftId: string): void
  rename(voiceId: string, name: string): Promise<VoiceInfo>
  remove(voiceId: string): Promise<void>
  /** Speaks with a voice made from a description, without saving it. */
  designPreview(description: string, text?: string): Promise<DesignPreviewResult>
  saveDesign(name: string, description: string): Promise<VoiceInfo>
  /** Saved voices were added, renamed or removed. Returns an unsubscribe. */
  on(e: 'change', listener: (voices: VoiceInfo[]) => void): () => void
}

interface Draft extends CheckedSample {
  id: string
  fileName?: string
}

interface Playing {
  controller: AbortController
  /** Set once the speaker has started. */
  sink?: PcmSink
  stopped: boolean
}

export function createVoiceService(deps: VoiceServiceDeps): VoiceService {
  const { store, client, createSink, settings } = deps
  const maxDrafts = deps.maxDrafts ?? 4
  const newId = deps.newId ?? randomUUID
  const drafts = new Map<string, Draft>()
  const listeners = new Set<(voices: VoiceInfo[]) => void>()
  let playing: Playing | undefined

  const builtins = (): VoiceInfo[] =>
    BUILTIN_VOICES.map((v) => ({ ref: { kind: 'builtin', id: v.id }, name: v.name, language: v.language }))

  async function list(): Promise<VoiceInfo[]> {
    return [...builtins(), ...(await store.list())]
  }

  async function changed(): Promise<void> {
    if (listeners.size === 0) return
    const voices = await list()
    for (const l of listeners) l(voices)
  }

  async function infoOf(id: string): Promise<VoiceInfo> {
    const info = (await store.list()).find((v) => v.ref.id === id)
    if (!info) throw new VoiceNotFoundError(`with id '${id}'`)
    return info
  }

  async function resolve(ref: VoiceRef): Promise<TtsVoice> {
    if (ref.kind !== 'builtin') return store.ttsVoice(ref)
    if (!BUILTIN_VOICE_IDS.includes(ref.id)) throw new VoiceNotFoundError(`named '${ref.id}'`)
    return { kind: 'builtin', id: ref.id }
  }

  function languageOf(ref: VoiceRef): 'en' | 'zh' {
    let language: string | undefined
    if (ref.kind === 'builtin') language = BUILTIN_VOICES.find((v) => v.id === ref.id)?.language
    else language = store.get(ref.id)?.language
    if (language === 'zh' || language === 'en') return language
    return settings().uiLanguage === 'zh' ? 'zh' : 'en'
  }

  /**
   * The speech model for a voice: built-ins follow the settings, unless they name a clone or design model or
   * the retired V2 series (whose voice list is not the catalogue's): then the kind's default model.
   */
  function modelFor(voice: TtsVoice): string | undefined {
    if (voice.kind !== 'builtin') return undefined
    const model = settings().ttsModel
    return model === CLONE_TTS_MODEL || model === DESIGN_TTS_MODEL || model.startsWith('mimo-v2-') ? undefined : model
  }

  function stopPreview(): void {
    const current = playing
    if (!current) return
    current.stopped = true
    current.controller.abort()
    current.sink?.stop()
  }

  /** Streams one speech request to a new sink; the previous preview stops first. */
  async function speak(voice: TtsVoice, o: { text?: string; optimizeTextPreview?: boolean; style?: string }): Promise<DesignPreviewResult> {
    // Built before anything starts: a request the client would refuse never opens the speaker.
    const request = ttsRequest({
      text: o.text,
      voice,
      style: o.style,
      format: 'pcm16',
      stream: true,
      model: modelFor(voice),
      optimizeTextPreview: o.optimizeTextPreview
    })
    stopPreview()
    const controller = new AbortController()
    // chat() validates at the call: a request it refuses throws here, before the speaker opens.
    const events = client.chat(request, { signal: controller.signal })
    const current: Playing = { controller, stopped: false }
    playing = current
    let sink: PcmSink
    try {
      sink = await createSink()
    } catch (err) {
      if (playing === current) playing = undefined
      throw err
    }
    current.sink = sink
    if (current.stopped) {
      // Stopped (or replaced by another preview) while the speaker was starting.
      sink.stop()
      return { durationMs: 0, text: o.text ?? '', stopped: true }
    }
    let sinkError: unknown
    sink.on('error', (err) => {
      sinkError = err
      controller.abort()
    })
    sink.setVolume(settings().volume)
    let bytes = 0
    let previewText = ''
    try {
      for await (const event of events) {
        if (event.type === 'audio') {
          sink.write(event.data)
          bytes += event.data.length
        } else if (event.type === 'text-preview') {
          previewText += event.text
        }
      }
      if (sinkError) throw sinkError
      await sink.end()
      if (sinkError) throw sinkError
    } catch (err) {
      sink.stop()
      if (!current.stopped || sinkError) throw sinkError ?? err
    } finally {
      if (playing === current) playing = undefined
    }
    return {
      durationMs: Math.round(bytes / PCM_BYTES_PER_MS),
      text: o.text ?? previewText,
      ...(current.stopped ? { stopped: true } : {})
    }
  }

  const previewText = (text: string | undefined, language: 'en' | 'zh'): string => text?.trim() || PREVIEW_TEXT[language]

  function draft(draftId: string): Draft {
    const d = drafts.get(draftId)
    if (!d) throw new DraftNotFoundError(draftId)
    return d
  }

  return {
    list,
    resolve,
    stopPreview,

    async preview(ref, text) {
      const voice = await resolve(ref)
      const { durationMs, stopped } = await speak(voice, {
        text: previewText(text, languageOf(ref)),
        style: voice.kind === 'design' ? undefined : settings().speakingStyle || undefined
      })
      return stopped ? { durationMs, stopped } : { durationMs }
    },

    async previewDraft(draftId, text) {
      const d = draft(draftId)
      const language = settings().uiLanguage === 'zh' ? 'zh' : 'en'
      const { durationMs, stopped } = await speak({ kind: 'clone', sample: d.wav }, { text: previewText(text, language) })
      return stopped ? { durationMs, stopped } : { durationMs }
    },

    async checkSample(bytes, fileName) {
      const check = await checkSample(bytes, { fileName })
      if (!check.wav) return { draftId: null, quality: check.quality }
      const id = newId()
      drafts.set(id, { id, wav: check.wav, quality: check.quality, fileName })
      while (drafts.size > maxDrafts) drafts.delete(drafts.keys().next().value as string)
      return { draftId: id, quality: check.quality }
    },

    async saveDraft(draftId, name, consent, o = {}) {
      const d = draft(draftId)
      const record = await store.saveCheckedClone(d, name, consent, o)
      drafts.delete(draftId)
      await changed()
      return infoOf(record.id)
    },

    async replaceSampleWithDraft(voiceId, draftId, consent) {
      const d = draft(draftId)
      if (consent !== true) throw new ConsentRequiredError()
      const existing = store.get(voiceId)
      if (!existing || existing.kind !== 'clone') throw new VoiceNotFoundError(`with id '${voiceId}'`)
      await store.replaceCheckedSample(voiceId, d)
      drafts.delete(draftId)
      await changed()
      return infoOf(voiceId)
    },

    discardDraft(draftId) {
      drafts.delete(draftId)
    },

    async rename(voiceId, name) {
      store.rename(voiceId, name)
      await changed()
      return infoOf(voiceId)
    },

    async remove(voiceId) {
      await store.remove(voiceId)
      await changed()
    },

    async designPreview(description, text) {
      const desc = normalizeDescription(description)
      const given = text?.trim()
      return speak({ kind: 'design', description: desc }, given ? { text: given } : { optimizeTextPreview: true })
    },

    async saveDesign(name, description) {
      const record = store.addDesign(name, description, { language: guessLanguage(description) })
      await changed()
      return infoOf(record.id)
    },

    on(_e, listener) {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    }
  }
}
