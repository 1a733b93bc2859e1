// The MiMo models the app can use. V2 names stay selectable for old accounts, never as defaults.
export const CHAT_MODELS = ['mimo-v2.5', 'mimo-v2.5-pro', 'mimo-v2-omni', 'mimo-v2-pro', 'mimo-v2-flash'] as const
export const TTS_MODELS = ['mimo-v2.5-tts', 'mimo-v2.5-tts-voiceclone', 'mimo-v2.5-tts-voicedesign', 'mimo-v2-tts'] as const
export type ChatModel = (typeof CHAT_MODELS)[number]
export type TtsModel = (typeof TTS_MODELS)[number]

/** Models that understand audio input (`input_audio` parts). */
export const AUDIO_INPUT_MODELS: readonly string[] = ['mimo-v2.5', 'mimo-v2-omni']
/** Models that understand images (`image_url` parts): the same two, per the reference. */
export const IMAGE_INPUT_MODELS: readonly string[] = ['mimo-v2.5', 'mimo-v2-omni']

export const DEFAULT_CHAT_MODEL: ChatModel = 'mimo-v2.5'
export const DEFAULT_TTS_MODEL: TtsModel = 'mimo-v2.5-tts'
export const CLONE_TTS_MODEL: TtsModel = 'mimo-v2.5-tts-voiceclone'
export const DESIGN_TTS_MODEL: TtsModel = 'mimo-v2.5-tts-voicedesign'

export const MAIN_BASE_URL = 'https://api.xiaomimimo.com/v1'
/** Token-plan keys (`tp-...`) only work on these hosts. */
export const BASE_URL_PRESETS = [
  { id: 'main', label: 'Global (api.xiaomimimo.com)', url: MAIN_BASE_URL },
  { id: 'token-plan-cn', label: 'Token plan, China', url: 'https://token-plan-cn.xiaomimimo.com/v1' },
  { id: 'token-plan-sgp', label: 'Token plan, Singapore', url: 'https://token-plan-sgp.xiaomimimo.com/v1' },
  { id: 'token-plan-ams', label: 'Token plan, Amsterdam', url: 'https://token-plan-ams.xiaomimimo.com/v1' }
] as const
