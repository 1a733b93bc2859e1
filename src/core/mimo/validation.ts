// Client-side checks, run before anything is sent: the ranges of the reference and the rules the
// service enforces for TTS models, voices and audio. A refused request throws MimoValidationError
// naming the field, so the user sees what to fix without a round trip (and without paying for one).

import { AUDIO_INPUT_MODELS } from '../../shared/models'
import { MAX_IMAGE_BYTES } from '../../shared/context'
import { BUILTIN_VOICE_IDS } from '../../shared/voices'
import {
  CLONE_SAMPLE_MAX_BASE64,
  INPUT_AUDIO_MAX_BASE64,
  parseDataUri,
  sniffDataUri
} from './audio-data-uri'
import { MimoValidationError } from './errors'
import type { ChatRequest } from './types'

const REQUEST_FIELDS = new Set([
  'model', 'messages', 'audio', 'frequency_penalty', 'presence_penalty', 'max_completion_tokens',
  'response_format', 'stop', 'stream', 'thinking', 'temperature', 'tool_choice', 'tools', 'top_p'
])
const TTS_REFUSED_FIELDS = ['tools', 'tool_choice', 'thinking', 'response_format', 'stop'] as const
const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/
const V2_TTS_VOICES = ['mimo_default', 'default_en', 'default_zh']
const CLONE_MIME: Record<string, 'wav' | 'mp3'> = { 'audio/wav': 'wav', 'audio/mpeg': 'mp3' }

export function isTtsModel(model: string): boolean {
  return /-tts(-|$)/.test(model)
}
export function isVoiceCloneModel(model: string): boolean {
  return model.endsWith('-tts-voiceclone')
}
export function isVoiceDesignModel(model: string): boolean {
  return model.endsWith('-tts-voicedesign')
}

function fail(field: string, message: string): never {
  throw new MimoValidationError(field, message)
}

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const present = (v: unknown): boolean => v !== undefined && v !== null

function checkNumber(value: unknown, field: string, min: number, max: number, integer = false): void {
  if (!present(value)) return
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(field, 'must be a number')
  if (integer && !Number.isInteger(value)) fail(field, 'must be a whole number')
  if (value < min || value > max) fail(field, `must be between ${min} and ${max}`)
}

function checkString(value: unknown, field: string, required = true): void {
  if (!present(value)) {
    if (required) fail(field, 'is required')
    return
  }
  if (typeof value !== 'string') fail(field, 'must be a string')
}

/** System, developer, tool and assistant content: a string or text parts only. */
function checkTextContent(content: unknown, field: string, role: string): void {
  if (typeof content === 'string') return
  if (!Array.isArray(content)) fail(field, 'must be a string or an array of text parts')
  content.forEach((part, j) => {
    if (!isObj(part) || part.type !== 'text')
      fail(`${field}[${j}].type`, `${role} messages take only text parts`)
    checkString(part.text, `${field}[${j}].text`)
  })
}

function hasText(content: unknown): boolean {
  if (typeof content === 'string') return content.trim().length > 0
  return Array.isArray(content) && content.some((p) => isObj(p) && p.type === 'text' && typeof p.text === 'string' && p.text.trim().length > 0)
}

function checkUrlOrDataUri(value: unknown, field: string, kind: string): void {
  checkString(value, field)
  const s = value as string
  if (/^https?:\/\//i.test(s)) return
  if (!s.startsWith('data:')) fail(field, `must be an http(s) URL or a data URI such as data:${kind}/...;base64,... (plain base64 is refused)`)
  const parsed = parseDataUri(s)
  if (!parsed || !parsed.mime.startsWith(`${kind}/`)) fail(field, `must be a data:${kind}/...;base64,... URI`)
}

const IMAGE_MIMES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/bmp']

/** An image: a URL, or a data URI of an image type within the size this app sends (4 MB). */
function checkImageUrl(value: unknown, field: string): void {
  checkUrlOrDataUri(value, field, 'image')
  const s = value as string
  if (/^https?:\/\//i.test(s)) return
  const parsed = parseDataUri(s)!
  if (!IMAGE_MIMES.includes(parsed.mime)) fail(field, `must be a JPEG, PNG, WebP, GIF or BMP image, not ${parsed.mime}`)
  // Base64 is 4 characters for every 3 bytes.
  if (parsed.payloadLength * 0.75 > MAX_IMAGE_BYTES + 2) fail(field, `is larger than ${MAX_IMAGE_BYTES / (1024 * 1024)} MB; scale the image down`)
}

function checkInputAudio(value: unknown, field: string): void {
  checkString(value, field)
  const s = value as string
  if (/^https?:\/\//i.test(s)) return
  const parsed = s.startsWith('data:') ? parseDataUri(s) : null
  if (!parsed || !parsed.mime.startsWith('audio/'))
    fail(field, 'must be a data URI such as data:audio/wav;base64,... or a URL (plain base64 is refused)')
  if (parsed.payloadLength > INPUT_AUDIO_MAX_BASE64) fail(field, 'is larger than 50 MB of base64; record a shorter question')
  if (!sniffDataUri(s, parsed)) fail(field, 'is not wav, mp3, flac, m4a or ogg audio')
}

function checkUserContent(content: unknown, field: string, model: string): void {
  if (typeof content === 'string') return
  if (!Array.isArray(content) || content.length === 0) fail(field, 'must be a string or a non-empty array of content parts')
  const media = AUDIO_INPUT_MODELS.includes(model)
  let hasAudio = false
  content.forEach((part, j) => {
    const f = `${field}[${j}]`
    if (!isObj(part)) fail(f, 'must be a content part object')
    switch (part.type) {
      case 'text':
        checkString(part.text, `${f}.text`)
        return
      case 'image_url':
      case 'input_audio':
      case 'video_url':
        if (!media) fail(f, `${model} does not take ${part.type === 'input_audio' ? 'audio' : part.type === 'image_url' ? 'image' : 'video'} input; use mimo-v2.5`)
        break
      default:
        fail(`${f}.type`, 'must be text, image_url, input_audio or video_url')
    }
    if (part.type === 'image_url') {
      if (!isObj(part.image_url)) fail(`${f}.image_url`, 'is required')
      checkImageUrl(part.image_url.url, `${f}.image_url.url`)
    } else if (part.type === 'input_audio') {
      hasAudio = true
      if (!isObj(part.input_audio)) fail(`${f}.input_audio`, 'is required')
      if ('format' in part.input_audio) fail(`${f}.input_audio.format`, 'is not a field of MiMo input audio; the data URI says the type')
      checkInputAudio(part.input_audio.data, `${f}.input_audio.data`)
    } else {
      if (!isObj(part.video_url)) fail(`${f}.video_url`, 'is required')
      checkUrlOrDataUri(part.video_url.url, `${f}.video_url.url`, 'video')
      checkNumber(part.fps, `${f}.fps`, 0.1, 10)
      if (present(part.media_resolution) && part.media_resolution !== 'default' && part.media_resolution !== 'max')
        fail(`${f}.media_resolution`, 'must be "default" or "max"')
    }
  })
  if (hasAudio && !hasText(content))
    fail(field, 'a user message with audio needs a text part too, such as "Answer the spoken question."')
}

function checkMessages(request: ChatRequest, tts: boolean): void {
  const messages: unknown = request.messages
  if (!Array.isArray(messages) || messages.length === 0) fail('messages', 'must be a non-empty array')
  messages.forEach((m, i) => {
    const f = `messages[${i}]`
    if (!isObj(m)) fail(f, 'must be a message object')
    checkString(m.name, `${f}.name`, false)
    switch (m.role) {
      case 'system':
      case 'developer':
        checkTextContent(m.content, `${f}.content`, m.role)
        break
      case 'user':
        if (tts) checkTextContent(m.content, `${f}.content`, 'TTS user')
        else checkUserContent(m.content, `${f}.content`, request.model)
        break
      case 'assistant':
        if (!present(m.content) && !(Array.isArray(m.tool_calls) && m.tool_calls.length > 0))
          fail(`${f}.content`, 'is required unless tool_calls is given')
        if (present(m.content)) checkTextContent(m.content, `${f}.content`, 'assistant')
        if (present(m.tool_calls)) {
          if (!Array.isArray(m.tool_calls)) fail(`${f}.tool_calls`, 'must be an array')
          m.tool_calls.forEach((c, k) => {
            const cf = `${f}.tool_calls[${k}]`
            if (!isObj(c) || !isObj(c.function)) fail(cf, 'must be {id, type: "function", function: {name, arguments}}')
            checkString(c.id, `${cf}.id`)
            if (c.type !== 'function') fail(`${cf}.type`, 'must be "function"')
            checkString(c.function.name, `${cf}.function.name`)
            checkString(c.function.arguments, `${cf}.function.arguments`)
          })
        }
        checkString(m.reasoning_content, `${f}.reasoning_content`, false)
        break
      case 'tool':
        checkTextContent(m.content, `${f}.content`, 'tool')
        checkString(m.tool_call_id, `${f}.tool_call_id`)
        break
      default:
        fail(`${f}.role`, 'must be system, developer, user, assistant or tool')
    }
  })
  checkToolAnswers(messages as Array<Record<string, unknown>>)
}

/** Every tool call of an assistant message is answered by one tool message right after it, and no tool message answers nothing. */
function checkToolAnswers(messages: Array<Record<string, unknown>>): void {
  let open: string[] = []
  messages.forEach((m, i) => {
    if (m.role === 'tool') {
      const id = m.tool_call_id as string
      if (!open.includes(id)) fail(`messages[${i}].tool_call_id`, `answers no tool call of the assistant message before it (${id})`)
      open = open.filter((o) => o !== id)
      return
    }
    if (open.length > 0) fail(`messages[${i}]`, `comes before the tool calls ${open.join(', ')} were answered by tool messages`)
    open = m.role === 'assistant' && Array.isArray(m.tool_calls) ? (m.tool_calls as Array<{ id: string }>).map((c) => c.id) : []
  })
  if (open.length > 0) fail('messages', `the tool calls ${open.join(', ')} have no tool message answering them`)
}

function checkTools(tools: unknown): void {
  if (!Array.isArray(tools)) fail('tools', 'must be an array')
  tools.forEach((t, k) => {
    const f = `tools[${k}]`
    if (!isObj(t)) fail(f, 'must be a tool object')
    if (t.type === 'function') {
      if (!isObj(t.function)) fail(`${f}.function`, 'is required')
      const name = t.function.name
      if (typeof name !== 'string' || !FUNCTION_NAME.test(name))
        fail(`${f}.function.name`, 'must be 1 to 64 characters of a-z, A-Z, 0-9, _ or -')
      checkString(t.function.description, `${f}.function.description`, false)
      if (present(t.function.parameters) && !isObj(t.function.parameters)) fail(`${f}.function.parameters`, 'must be a JSON Schema object')
      if (present(t.function.strict) && typeof t.function.strict !== 'boolean') fail(`${f}.function.strict`, 'must be true or false')
    } else if (t.type === 'web_search') {
      checkNumber(t.max_keyword, `${f}.max_keyword`, 1, 50, true)
      checkNumber(t.limit, `${f}.limit`, 1, 50, true)
      if (present(t.force_search) && typeof t.force_search !== 'boolean') fail(`${f}.force_search`, 'must be true or false')
      if (present(t.user_location)) {
        const loc = t.user_location
        if (!isObj(loc) || loc.type !== 'approximate') fail(`${f}.user_location.type`, 'must be "approximate"')
        for (const key of ['country', 'region', 'city', 'district']) checkString(loc[key], `${f}.user_location.${key}`, false)
        checkNumber(loc.longitude, `${f}.user_location.longitude`, -180, 180)
        checkNumber(loc.latitude, `${f}.user_location.latitude`, -90, 90)
      }
    } else {
      fail(`${f}.type`, 'must be "function" or "web_search"')
    }
  })
}

function checkTts(request: ChatRequest): void {
  const model = request.model
  for (const field of TTS_REFUSED_FIELDS)
    if (present(request[field])) fail(field, `is not supported by the TTS model ${model}`)
  checkNumber(request.max_completion_tokens, 'max_completion_tokens', 1, 8192, true)

  const audio: unknown = request.audio ?? {}
  if (!isObj(audio)) fail('audio', 'must be an object')
  if (present(audio.format) && !['wav', 'mp3', 'pcm', 'pcm16'].includes(audio.format as string))
    fail('audio.format', 'must be wav, mp3, pcm or pcm16')
  const optimize = audio.optimize_text_preview
  if (present(optimize) && typeof optimize !== 'boolean') fail('audio.optimize_text_preview', 'must be true or false')
  if (optimize === true && !isVoiceDesignModel(model))
    fail('audio.optimize_text_preview', `is only supported by mimo-v2.5-tts-voicedesign, not ${model}`)

  const voice = audio.voice
  if (isVoiceDesignModel(model)) {
    if (present(voice)) fail('audio.voice', 'is not supported by the voice design model: describe the voice in the user message')
  } else if (isVoiceCloneModel(model)) {
    if (!present(voice)) fail('audio.voice', 'is required for voice cloning: the sample as data:audio/wav;base64,... or data:audio/mpeg;base64,...')
    checkCloneSample(voice)
  } else if (present(voice)) {
    checkString(voice, 'audio.voice')
    const allowed = model === 'mimo-v2-tts' ? V2_TTS_VOICES : BUILTIN_VOICE_IDS
    if (!allowed.includes(voice as string)) fail('audio.voice', `must be a built-in voice of ${model}: ${allowed.join(', ')}`)
  }

  const roles = request.messages.map((m) => m.role)
  const needsUser = isVoiceDesignModel(model)
  if (needsUser && !request.messages.some((m) => m.role === 'user' && hasText(m.content)))
    fail('messages', 'the voice design model needs a user message that describes the voice')
  const assistantOptional = needsUser && optimize === true
  if (!assistantOptional && !request.messages.some((m) => m.role === 'assistant' && hasText(m.content)))
    fail('messages', 'TTS needs an assistant message holding the text to speak')
  const other = roles.find((r) => r !== 'user' && r !== 'assistant')
  if (other) fail('messages', `TTS models take user and assistant messages only, not ${other}`)
}

/** The voice-clone sample: a wav or mp3 data URI, at most 10 MB of base64, whose bytes match its type. */
export function checkCloneSample(voice: unknown, field = 'audio.voice'): void {
  checkString(voice, field)
  const s = voice as string
  const parsed = parseDataUri(s)
  if (!parsed || !(parsed.mime in CLONE_MIME))
    fail(field, 'the clone sample must be data:audio/wav;base64,... or data:audio/mpeg;base64,... (wav or mp3 only)')
  if (parsed.payloadLength > CLONE_SAMPLE_MAX_BASE64)
    fail(field, 'the clone sample is larger than 10 MB of base64; use 5 to 30 seconds of speech')
  if (parsed.payloadLength === 0) fail(field, 'the clone sample is empty')
  const container = sniffDataUri(s, parsed)
  if (container !== CLONE_MIME[parsed.mime])
    fail(field, `the clone sample says ${parsed.mime} but its bytes are ${container ?? 'not audio'}`)
}

/** Throws MimoValidationError naming the first field MiMo would refuse. */
export function validateRequest(request: ChatRequest): void {
  if (!isObj(request)) fail('request', 'must be an object')
  for (const key of Object.keys(request))
    if (!REQUEST_FIELDS.has(key)) fail(key, 'is not a field of the MiMo chat API')
  if (typeof request.model !== 'string' || request.model.trim() === '') fail('model', 'is required')
  const tts = isTtsModel(request.model)
  if (present(request.stream) && typeof request.stream !== 'boolean') fail('stream', 'must be true or false')

  checkNumber(request.temperature, 'temperature', 0, 1.5)
  checkNumber(request.top_p, 'top_p', 0.01, 1)
  checkNumber(request.frequency_penalty, 'frequency_penalty', -2, 2)
  checkNumber(request.presence_penalty, 'presence_penalty', -2, 2)
  checkNumber(request.max_completion_tokens, 'max_completion_tokens', 1, 131072, true)

  checkMessages(request, tts)

  if (tts) {
    checkTts(request)
    return
  }
  if (present(request.audio)) fail('audio', `audio output options are for TTS models only, not ${request.model}`)
  if (present(request.thinking)) {
    const thinking: unknown = request.thinking
    if (!isObj(thinking) || (thinking.type !== 'enabled' && thinking.type !== 'disabled'))
      fail('thinking.type', 'must be "enabled" or "disabled"')
  }
  if (present(request.response_format)) {
    const rf: unknown = request.response_format
    if (!isObj(rf) || (rf.type !== 'text' && rf.type !== 'json_object'))
      fail('response_format.type', 'must be "text" or "json_object"')
  }
  if (present(request.stop)) {
    const stop: unknown = request.stop
    if (typeof stop !== 'string') {
      if (!Array.isArray(stop) || stop.some((s) => typeof s !== 'string')) fail('stop', 'must be a string or an array of strings')
      if (stop.length > 4) fail('stop', 'takes at most 4 sequences')
    }
  }
  if (present(request.tool_choice) && request.tool_choice !== 'auto') fail('tool_choice', 'must be "auto" (the only choice MiMo offers)')
  if (present(request.tools)) checkTools(request.tools)
}
