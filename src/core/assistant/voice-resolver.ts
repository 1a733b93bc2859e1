/**
 * Which voice speaks: the settings hold a reference (`VoiceRef`), TTS needs the voice itself
 * (`TtsVoice`: a built-in id, a clone sample's bytes, or a design description).
 */
import { BUILTIN_VOICE_IDS, type VoiceRef } from '../../shared/voices'
import type { TtsVoice } from '../mimo/builders'
import { VoiceUnavailableError } from './errors'

export interface VoiceResolver {
  /** Throws an error with toUserError() when the voice cannot be used. */
  resolve(ref: VoiceRef): Promise<TtsVoice>
}

/**
 * Built-in voices map directly; saved voices (clone, design) are asked of `saved`, the voice store.
 * Without a store, a saved voice is refused with a clear message.
 */
export function createVoiceResolver(saved?: VoiceResolver): VoiceResolver {
  return {
    async resolve(ref: VoiceRef): Promise<TtsVoice> {
      if (ref.kind === 'builtin') {
        if (!BUILTIN_VOICE_IDS.includes(ref.id)) throw new VoiceUnavailableError(`There is no built-in voice called "${ref.id}".`)
        return { kind: 'builtin', id: ref.id }
      }
      if (!saved) throw new VoiceUnavailableError(`The saved voice "${ref.id}" is not available here.`)
      return saved.resolve(ref)
    }
  }
}

/** A resolver that always answers with this voice (the command line's --clone FILE or --design TEXT). */
export function fixedVoice(voice: TtsVoice): VoiceResolver {
  return { resolve: async () => voice }
}
