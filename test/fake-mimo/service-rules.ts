// What the MiMo service refuses, written from the reference and the facts page, independently of the
// app's own client-side checks (so the two check each other). Each refusal is the service's answer:
// a status and an error body in its format.

import { IMAGE_MIMES, imageTypeOf, type ImageMime } from './image-facts'

export interface ServiceError {
  status: number
  body: { error: { code: string; message: string; param: string; type: string } }
}

export function paramIncorrect(param: string): ServiceError {
  return { status: 400, body: { error: { code: '400', message: 'Param Incorrect', param, type: '' } } }
}

export function serviceError(status: number, message: string, type = '', param = ''): ServiceError {
  return { status, body: { error: { code: String(status), message, param, type } } }
}

export const CURRENT_CHAT_MODELS = ['mimo-v2.5', 'mimo-v2.5-pro']
export const CURRENT_TTS_MODELS = ['mimo-v2.5-tts', 'mimo-v2.5-tts-voiceclone', 'mimo-v2.5-tts-voicedesign']
export const RETIRED_MODELS = ['mimo-v2-pro', 'mimo-v2-omni', 'mimo-v2-tts', 'mimo-v2-flash']
export const MEDIA_MODELS = ['mimo-v2.5']
export const V25_VOICES = ['mimo_default', '冰糖', '茉莉', '苏打', '白桦', 'Mia', 'Chloe', 'Milo', 'Dean']
const TOP_LEVEL = [
  'messages', 'model', 'audio', 'frequency_penalty', 'max_completion_tokens', 'presence_penalty',
  'response_format', 'stop', 'stream', 'thinking', 'temperature', 'tool_choice', 'tools', 'top_p'
]
const AUDIO_BASE64_LIMIT = 50 * 1024 * 1024
const CLONE_BASE64_LIMIT = 10 * 1024 * 1024
export const INVALID_AUDIO = 'invalid audio format, only mp3/flac/m4a/wav/ogg are supported'
/** Decoded bytes of one image in a data URI (the reference names no figure; the app sends at most 4 MB). */
export const IMAGE_BYTES_LIMIT = 10 * 1024 * 1024

export type Container = 'wav' | 'mp3' | 'flac' | 'm4a' | 'ogg'

/** The audio container of the bytes, by magic numbers. */
export function containerOf(bytes: Buffer): Container | null {
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WAVE') return 'wav'
  if (bytes.length >= 4 && bytes.toString('latin1', 0, 4) === 'fLaC') return 'flac'
  if (bytes.length >= 4 && bytes.toString('latin1', 0, 4) === 'OggS') return 'ogg'
  if (bytes.length >= 8 && bytes.toString('latin1', 4, 8) === 'ftyp') return 'm4a'
  if (bytes.length >= 3 && bytes.toString('latin1', 0, 3) === 'ID3') return 'mp3'
  // An MPEG audio frame header: sync, a version and layer that are not reserved, a usable bit rate and sample rate.
  if (bytes.length >= 4 && bytes[0] === 0xff && (bytes[1] & 0xe0) === 0xe0) {
    const version = (bytes[1] >> 3) & 3
    const layer = (bytes[1] >> 1) & 3
    const bitrate = bytes[2] >> 4
    const rate = (bytes[2] >> 2) & 3
    if (version !== 1 && layer !== 0 && bitrate !== 0 && bitrate !== 15 && rate !== 3) return 'mp3'
  }
  return null
}

/** A decoded `data:<mime>;base64,` URI, or why it is not one. */
export function decodeDataUri(uri: string): { mime: string; bytes: Buffer; base64Length: number } | { problem: string } {
  const comma = uri.indexOf(',')
  if (!uri.startsWith('data:') || comma < 0) return { problem: 'missing data URI prefix' }
  const head = uri.slice(5, comma)
  const parts = head.split(';')
  if (!parts.includes('base64')) return { problem: 'data URI must be base64' }
  const payload = uri.slice(comma + 1)
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(payload)) return { problem: 'invalid base64 data' }
  return { mime: parts[0].toLowerCase(), bytes: Buffer.from(payload, 'base64'), base64Length: payload.length }
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const has = (o: Record<string, unknown>, k: string): boolean => o[k] !== undefined && o[k] !== null

function textOf(content: unknown): string {
  if (typeof content === 'string') return content
  if (!Array.isArray(content)) return ''
  return content
    .filter((p) => isObj(p) && p.type === 'text' && typeof p.text === 'string')
    .map((p) => (p as { text: string }).text)
    .join('\n')
}

export { textOf }

function checkRange(body: Record<string, unknown>, key: string, min: number, max: number, integer = false): ServiceError | null {
  if (!has(body, key)) return null
  const v = body[key]
  if (typeof v !== 'number' || !Number.isFinite(v) || (integer && !Number.isInteger(v)) || v < min || v > max)
    return paramIncorrect(`${key} must be ${integer ? 'an integer' : 'a number'} in [${min}, ${max}]`)
  return null
}

function checkTextOnly(content: unknown, where: string): ServiceError | null {
  if (typeof content === 'string') return null
  if (!Array.isArray(content)) return paramIncorrect(`${where}.content must be a string or an array`)
  for (const p of content)
    if (!isObj(p) || p.type !== 'text' || typeof p.text !== 'string') return paramIncorrect(`${where}.content only supports text parts`)
  return null
}

export interface AudioSeen {
  /** Seconds of wav audio in the request (other containers are estimated from their size until decoded). */
  seconds: number
  parts: number
  /** The audio sent inline, for the decoding check that follows (audio-check.ts). */
  uploads: Array<{ container: Container; bytes: Buffer }>
}

/** An image part the request carried, in the order sent: decoded bytes for data URIs, the address for URLs. */
export type ImageSeen = { message: number; mime: ImageMime; bytes: Buffer } | { message: number; url: string }

function checkImagePart(p: Record<string, unknown>, message: number, images: ImageSeen[]): ServiceError | null {
  if (!isObj(p.image_url) || typeof p.image_url.url !== 'string') return paramIncorrect('image_url.url is required')
  if (Object.keys(p.image_url).some((k) => k !== 'url')) return paramIncorrect('image_url only takes url')
  const url = p.image_url.url
  if (/^https?:\/\//.test(url)) {
    images.push({ message, url })
    return null
  }
  if (!url.startsWith('data:')) return paramIncorrect('image_url.url must be a URL or a data URI (data:image/...;base64,...)')
  const decoded = decodeDataUri(url)
  if ('problem' in decoded) return paramIncorrect(`image_url.url: ${decoded.problem}`)
  if (!IMAGE_MIMES.includes(decoded.mime as ImageMime))
    return paramIncorrect(`image_url.url: unsupported image type ${decoded.mime}, only jpeg/png/webp/gif/bmp are supported`)
  if (decoded.bytes.length > IMAGE_BYTES_LIMIT) return paramIncorrect('image_url.url exceeds the 10MB limit')
  if (imageTypeOf(decoded.bytes) !== decoded.mime) return paramIncorrect(`image_url.url: the data is not a valid ${decoded.mime} image`)
  images.push({ message, mime: decoded.mime as ImageMime, bytes: decoded.bytes })
  return null
}

function checkUserParts(content: unknown[], where: string, model: string, seen: AudioSeen, images: ImageSeen[], message: number): ServiceError | null {
  let audio = false
  let text = false
  for (const p of content) {
    if (!isObj(p) || typeof p.type !== 'string') return paramIncorrect(`${where}.content has an invalid part`)
    if (p.type === 'text') {
      if (typeof p.text !== 'string') return paramIncorrect(`${where}.content text part needs text`)
      if (p.text.trim()) text = true
      continue
    }
    if (!['image_url', 'input_audio', 'video_url'].includes(p.type)) return paramIncorrect(`${where}.content part type ${p.type} is not supported`)
    if (!MEDIA_MODELS.includes(model)) return paramIncorrect(`model ${model} does not support ${p.type} input`)
    if (p.type === 'input_audio') {
      audio = true
      if (!isObj(p.input_audio) || typeof p.input_audio.data !== 'string') return paramIncorrect('input_audio.data is required')
      if (Object.keys(p.input_audio).some((k) => k !== 'data')) return paramIncorrect(`input_audio only takes data`)
      const data = p.input_audio.data
      if (/^https?:\/\//.test(data)) {
        seen.parts++
        continue
      }
      if (!data.startsWith('data:')) return paramIncorrect('input_audio.data must be a URL or a data URI (data:audio/...;base64,...)')
      const comma = data.indexOf(',')
      if (comma >= 0 && data.length - comma - 1 > AUDIO_BASE64_LIMIT) return paramIncorrect('input_audio.data exceeds the 50MB limit')
      const decoded = decodeDataUri(data)
      if ('problem' in decoded) return paramIncorrect(`input_audio.data: ${decoded.problem}`)
      const container = containerOf(decoded.bytes)
      if (!container) return paramIncorrect(INVALID_AUDIO)
      seen.parts++
      seen.seconds += container === 'wav' ? wavSeconds(decoded.bytes) : decoded.bytes.length / 16000
      seen.uploads.push({ container, bytes: decoded.bytes })
    } else if (p.type === 'image_url') {
      const e = checkImagePart(p, message, images)
      if (e) return e
    } else {
      if (!isObj(p.video_url) || typeof p.video_url.url !== 'string') return paramIncorrect('video_url.url is required')
      if (has(p, 'fps') && (typeof p.fps !== 'number' || p.fps < 0.1 || p.fps > 10)) return paramIncorrect('fps must be in [0.1, 10.0]')
      if (has(p, 'media_resolution') && p.media_resolution !== 'default' && p.media_resolution !== 'max')
        return paramIncorrect('media_resolution must be default or max')
    }
  }
  if (audio && !text) return paramIncorrect('user message with input_audio must also contain a text part')
  return null
}

export function wavSeconds(bytes: Buffer): number {
  // Walks the RIFF chunks for fmt and data.
  let byteRate = 0
  let at = 12
  while (at + 8 <= bytes.length) {
    const id = bytes.toString('latin1', at, at + 4)
    const size = bytes.readUInt32LE(at + 4)
    if (id === 'fmt ' && at + 16 <= bytes.length) byteRate = bytes.readUInt32LE(at + 16)
    if (id === 'data') return byteRate ? Math.min(size, bytes.length - at - 8) / byteRate : 0
    at += 8 + size + (size % 2)
  }
  return 0
}

function checkTools(tools: unknown): ServiceError | null {
  if (!Array.isArray(tools)) return paramIncorrect('tools must be an array')
  for (const t of tools) {
    if (!isObj(t)) return paramIncorrect('tools has an invalid tool')
    if (t.type === 'function') {
      if (!isObj(t.function) || typeof t.function.name !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(t.function.name))
        return paramIncorrect('tools.function.name must match ^[a-zA-Z0-9_-]{1,64}$')
    } else if (t.type === 'web_search') {
      for (const k of ['max_keyword', 'limit']) {
        if (has(t, k) && (typeof t[k] !== 'number' || !Number.isInteger(t[k]) || (t[k] as number) < 1 || (t[k] as number) > 50))
          return paramIncorrect(`web_search.${k} must be in [1, 50]`)
      }
      if (has(t, 'force_search') && typeof t.force_search !== 'boolean' && t.force_search !== 'true' && t.force_search !== 'false')
        return paramIncorrect('web_search.force_search must be true or false')
      if (has(t, 'user_location') && (!isObj(t.user_location) || t.user_location.type !== 'approximate'))
        return paramIncorrect('web_search.user_location.type must be approximate')
    } else {
      return paramIncorrect(`tool type ${String(t.type)} is not supported`)
    }
  }
  return null
}

/**
 * An assistant message with tool_calls must be followed by one tool message per call, answering it
 * by tool_call_id, before anything else; a tool message must answer such a call.
 */
function checkToolAnswers(messages: unknown[]): ServiceError | null {
  let waiting: string[] = []
  for (const [i, m] of messages.entries()) {
    const msg = m as Record<string, unknown>
    if (msg.role === 'tool') {
      if (!waiting.includes(msg.tool_call_id as string))
        return paramIncorrect(`messages[${i}]: messages with role 'tool' must be a response to a preceding message with 'tool_calls' (tool_call_id ${String(msg.tool_call_id)})`)
      waiting = waiting.filter((id) => id !== msg.tool_call_id)
      continue
    }
    if (waiting.length > 0)
      return paramIncorrect(`An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${waiting.join(', ')}`)
    waiting = []
    if (msg.role === 'assistant' && Array.isArray(msg.tool_calls)) {
      for (const c of msg.tool_calls) {
        if (!isObj(c) || typeof c.id !== 'string' || c.type !== 'function' || !isObj(c.function) || typeof c.function.name !== 'string' || typeof c.function.arguments !== 'string')
          return paramIncorrect(`messages[${i}].tool_calls must be {id, type: "function", function: {name, arguments}}`)
        waiting.push(c.id)
      }
    }
  }
  if (waiting.length > 0)
    return paramIncorrect(`An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${waiting.join(', ')}`)
  return null
}

export interface Accepted {
  model: string
  tts: boolean
  stream: boolean
  thinking: boolean
  audio: AudioSeen
  images: ImageSeen[]
}

/** Checks a request body the way the service does. Returns the refusal, or what the request is. */
export function checkRequest(body: unknown): ServiceError | Accepted {
  if (!isObj(body)) return paramIncorrect('request body must be a JSON object')
  for (const key of Object.keys(body)) if (!TOP_LEVEL.includes(key)) return paramIncorrect(`Unrecognized request argument supplied: ${key}`)
  const model = body.model
  if (typeof model !== 'string' || !model) return paramIncorrect('model is required')
  if (RETIRED_MODELS.includes(model))
    return paramIncorrect(`model ${model} was retired on 2026-06-30; use the mimo-v2.5 series (mimo-v2.5, mimo-v2.5-pro, mimo-v2.5-tts)`)
  const tts = CURRENT_TTS_MODELS.includes(model)
  if (!tts && !CURRENT_CHAT_MODELS.includes(model)) return serviceError(404, 'Model Not Found', '', `model ${model} does not exist`)
  if (has(body, 'stream') && typeof body.stream !== 'boolean') return paramIncorrect('stream must be a boolean')

  for (const [k, min, max, int] of [
    ['temperature', 0, 1.5, false], ['top_p', 0.01, 1, false], ['frequency_penalty', -2, 2, false],
    ['presence_penalty', -2, 2, false], ['max_completion_tokens', 1, tts ? 8192 : 131072, true]
  ] as const) {
    const e = checkRange(body, k, min, max, int)
    if (e) return e
  }

  const messages = body.messages
  if (!Array.isArray(messages) || messages.length === 0) return paramIncorrect('messages must be a non-empty array')
  const audio: AudioSeen = { seconds: 0, parts: 0, uploads: [] }
  const images: ImageSeen[] = []
  for (const [i, m] of messages.entries()) {
    const where = `messages[${i}]`
    if (!isObj(m)) return paramIncorrect(`${where} must be an object`)
    switch (m.role) {
      case 'system':
      case 'developer': {
        const e = checkTextOnly(m.content, where)
        if (e) return e
        break
      }
      case 'user': {
        if (typeof m.content === 'string') break
        if (!Array.isArray(m.content) || m.content.length === 0) return paramIncorrect(`${where}.content must be a string or a non-empty array`)
        if (tts) {
          const e = checkTextOnly(m.content, where)
          if (e) return e
          break
        }
        const e = checkUserParts(m.content, where, model, audio, images, i)
        if (e) return e
        break
      }
      case 'assistant': {
        if (!has(m, 'content') && !(Array.isArray(m.tool_calls) && m.tool_calls.length)) return paramIncorrect(`${where}.content is required`)
        if (has(m, 'content')) {
          const e = checkTextOnly(m.content, where)
          if (e) return e
        }
        break
      }
      case 'tool': {
        if (typeof m.tool_call_id !== 'string') return paramIncorrect(`${where}.tool_call_id is required`)
        const e = checkTextOnly(m.content, where)
        if (e) return e
        break
      }
      default:
        return paramIncorrect(`${where}.role ${String(m.role)} is not supported`)
    }
  }

  const unanswered = checkToolAnswers(messages)
  if (unanswered) return unanswered

  if (tts) {
    for (const k of ['tools', 'tool_choice', 'thinking', 'response_format', 'stop'])
      if (has(body, k)) return paramIncorrect(`${k} is not supported for TTS model`)
    const a = has(body, 'audio') ? body.audio : {}
    if (!isObj(a)) return paramIncorrect('audio must be an object')
    for (const k of Object.keys(a)) if (!['format', 'voice', 'optimize_text_preview'].includes(k)) return paramIncorrect(`audio.${k} is not supported`)
    if (has(a, 'format') && !['wav', 'mp3', 'pcm', 'pcm16'].includes(a.format as string)) return paramIncorrect('audio.format must be one of wav, mp3, pcm, pcm16')
    const optimize = a.optimize_text_preview === true
    if (has(a, 'optimize_text_preview') && typeof a.optimize_text_preview !== 'boolean') return paramIncorrect('audio.optimize_text_preview must be a boolean')
    if (optimize && model !== 'mimo-v2.5-tts-voicedesign') return paramIncorrect('audio.optimize_text_preview is only supported for voice design model')
    if (model === 'mimo-v2.5-tts-voicedesign') {
      if (has(a, 'voice')) return paramIncorrect('audio.voice is not supported for voice design model')
      if (!messages.some((m) => isObj(m) && m.role === 'user' && textOf(m.content).trim()))
        return paramIncorrect('messages must contain a user role describing the voice for voice design model')
    } else if (model === 'mimo-v2.5-tts-voiceclone') {
      if (typeof a.voice !== 'string') return paramIncorrect('audio.voice is required for voice clone model')
      const comma = a.voice.indexOf(',')
      if (a.voice.startsWith('data:') && comma >= 0 && a.voice.length - comma - 1 > CLONE_BASE64_LIMIT)
        return paramIncorrect('audio.voice exceeds the 10MB limit')
      const decoded = decodeDataUri(a.voice)
      if ('problem' in decoded) return paramIncorrect(`audio.voice: ${decoded.problem}`)
      if (decoded.mime !== 'audio/wav' && decoded.mime !== 'audio/mpeg') return paramIncorrect('audio.voice only supports audio/wav or audio/mpeg samples')
      const container = containerOf(decoded.bytes)
      if (container !== (decoded.mime === 'audio/wav' ? 'wav' : 'mp3')) return paramIncorrect('audio.voice: invalid audio format, only mp3/wav are supported')
    } else if (has(a, 'voice') && !V25_VOICES.includes(a.voice as string)) {
      return paramIncorrect(`audio.voice ${String(a.voice)} is not a supported voice`)
    }
    const needsAssistant = !(model === 'mimo-v2.5-tts-voicedesign' && optimize)
    if (needsAssistant && !messages.some((m) => isObj(m) && m.role === 'assistant' && textOf(m.content).trim()))
      return paramIncorrect('messages must contain an assistant role for TTS model')
    return { model, tts: true, stream: body.stream === true, thinking: false, audio, images }
  }

  if (has(body, 'audio')) return paramIncorrect(`audio is only supported for TTS models`)
  if (has(body, 'thinking')) {
    const t = body.thinking
    if (!isObj(t) || (t.type !== 'enabled' && t.type !== 'disabled')) return paramIncorrect('thinking.type must be enabled or disabled')
  }
  if (has(body, 'response_format')) {
    const rf = body.response_format
    if (!isObj(rf) || (rf.type !== 'text' && rf.type !== 'json_object')) return paramIncorrect('response_format.type must be text or json_object')
  }
  if (has(body, 'stop')) {
    const s = body.stop
    if (typeof s !== 'string' && (!Array.isArray(s) || s.length > 4 || s.some((x) => typeof x !== 'string')))
      return paramIncorrect('stop must be a string or an array of at most 4 strings')
  }
  if (has(body, 'tool_choice') && body.tool_choice !== 'auto') return paramIncorrect('tool_choice only supports auto')
  if (has(body, 'tools')) {
    const e = checkTools(body.tools)
    if (e) return e
  }
  const thinkingSent = isObj(body.thinking) ? body.thinking.type === 'enabled' : undefined
  return { model, tts: false, stream: body.stream === true, thinking: thinkingSent ?? true, audio, images }
}
