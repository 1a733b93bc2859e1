// The MiMo chat-completions dialect (`POST {base}/chat/completions`), field for field as the
// service's reference documents it. Requests are built from these types and responses are read
// into them; the field names stay in the service's snake_case so a request is sent as written.

// ---------------------------------------------------------------- request: content parts

export interface TextPart {
  type: 'text'
  text: string
}

/** An image as a URL or a `data:image/...;base64,` URI. mimo-v2.5 (and the retired mimo-v2-omni) only. */
export interface ImageUrlPart {
  type: 'image_url'
  image_url: { url: string }
}

/**
 * Audio to understand: `data:audio/wav;base64,...` (the prefix is required; plain base64 is refused)
 * or a URL. wav, mp3, flac, m4a or ogg; at most 50 MB of base64. mimo-v2.5 (and mimo-v2-omni) only.
 */
export interface InputAudioPart {
  type: 'input_audio'
  input_audio: { data: string }
}

export type MediaResolution = 'default' | 'max'

/** A video as a URL or a data URI. `fps` is 0.1..10 (default 2). mimo-v2.5 (and mimo-v2-omni) only. */
export interface VideoUrlPart {
  type: 'video_url'
  video_url: { url: string }
  fps?: number
  media_resolution?: MediaResolution
}

export type UserContentPart = TextPart | ImageUrlPart | InputAudioPart | VideoUrlPart
export type ContentPart = UserContentPart

// ---------------------------------------------------------------- request: messages

export interface SystemMessage {
  role: 'system'
  content: string | TextPart[]
  name?: string
}

export interface DeveloperMessage {
  role: 'developer'
  content: string | TextPart[]
  name?: string
}

/** For TTS models the user message carries style directions (never spoken), or the voice description for voice design. */
export interface UserMessage {
  role: 'user'
  content: string | UserContentPart[]
  name?: string
}

export interface ToolCall {
  id: string
  type: 'function'
  function: { name: string; arguments: string }
}

/** For TTS models the assistant message holds the text to speak. */
export interface AssistantMessage {
  role: 'assistant'
  /** Required unless `tool_calls` is given. */
  content?: string | TextPart[] | null
  name?: string
  tool_calls?: ToolCall[]
  /** Kept from an earlier answer during multi-turn tool calls with thinking on, as the reference recommends. */
  reasoning_content?: string
}

export interface ToolMessage {
  role: 'tool'
  content: string | TextPart[]
  tool_call_id: string
}

export type Message = SystemMessage | DeveloperMessage | UserMessage | AssistantMessage | ToolMessage
export type Role = Message['role']

// ---------------------------------------------------------------- request: tools

export interface FunctionDefinition {
  /** a-z, A-Z, 0-9, `_` and `-`, 1 to 64 characters. */
  name: string
  description?: string
  /** A JSON Schema object; omitted means no parameters. */
  parameters?: Record<string, unknown>
  strict?: boolean
}

export interface FunctionTool {
  type: 'function'
  function: FunctionDefinition
}

export interface UserLocation {
  type: 'approximate'
  country?: string
  region?: string
  city?: string
  district?: string
  longitude?: number
  latitude?: number
}

/** Web search (the Web Search plugin must be activated in the MiMo console). */
export interface WebSearchTool {
  type: 'web_search'
  user_location?: UserLocation
  /** true: always search; false (default): the model decides. */
  force_search?: boolean
  /** Keywords per search, 1..50 (default 5). */
  max_keyword?: number
  /** Results per search, 1..50 (default 5). */
  limit?: number
}

export type Tool = FunctionTool | WebSearchTool

// ---------------------------------------------------------------- request: body

export type AudioFormat = 'wav' | 'mp3' | 'pcm' | 'pcm16'

export interface AudioOutputOptions {
  /** Default `wav`; streamed audio is always PCM16 LE mono 24 kHz whatever is asked. `pcm` = `pcm16`. */
  format?: AudioFormat
  /**
   * mimo-v2.5-tts: a built-in voice id (default `mimo_default`). mimo-v2.5-tts-voiceclone: required, the sample as
   * `data:audio/wav;base64,...` or `data:audio/mpeg;base64,...`. mimo-v2.5-tts-voicedesign: not allowed.
   */
  voice?: string
  /** mimo-v2.5-tts-voicedesign only: polish (or write) the text to speak; the result comes back as `final_text_preview`. */
  optimize_text_preview?: boolean
}

export interface ThinkingOption {
  type: 'enabled' | 'disabled'
}

export type ResponseFormat = { type: 'text' } | { type: 'json_object' }

export interface ChatRequest {
  model: string
  messages: Message[]
  /** TTS models only. */
  audio?: AudioOutputOptions
  /** -2..2 */
  frequency_penalty?: number | null
  /** -2..2 */
  presence_penalty?: number | null
  /** 1..131072; 1..8192 on TTS models. */
  max_completion_tokens?: number | null
  /** Not on TTS models. */
  response_format?: ResponseFormat
  /** Up to 4 sequences. Not on TTS models. */
  stop?: string | string[] | null
  /** Set by the client: `chat()` sends true, `complete()` false. */
  stream?: boolean | null
  /** Default enabled for mimo-v2.5 and mimo-v2.5-pro. Not on TTS models. */
  thinking?: ThinkingOption
  /** 0..1.5 (forced to 1.0 with thinking on). */
  temperature?: number
  /** Only `auto`. Not on TTS models. */
  tool_choice?: 'auto'
  /** Not on TTS models. */
  tools?: Tool[]
  /** 0.01..1 */
  top_p?: number
}

// ---------------------------------------------------------------- responses

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'repetition_truncation'

/** A web page the answer refers to, after a web search. */
export interface Annotation {
  type?: string
  url?: string
  title?: string
  summary?: string
  site_name?: string
  logo_url?: string
  publish_time?: string
}

export interface AudioOutput {
  id?: string
  /** Base64 audio. Streamed: PCM16 LE mono 24 kHz. Non-streamed: the requested format (a whole RIFF file for wav). */
  data?: string
  expires_at?: number | null
  transcript?: string | null
}

export interface Usage {
  prompt_tokens: number
  completion_tokens: number
  total_tokens: number
  completion_tokens_details?: { reasoning_tokens?: number } | null
  prompt_tokens_details?: {
    cached_tokens?: number
    audio_tokens?: number
    image_tokens?: number
    video_tokens?: number
  } | null
  web_search_usage?: { tool_usage?: number; page_usage?: number } | null
}

export interface CompletionMessage {
  role: 'assistant'
  content: string | null
  reasoning_content?: string | null
  tool_calls?: ToolCall[] | null
  annotations?: Annotation[] | null
  /** Why a web search failed. */
  error_message?: string | null
  audio?: AudioOutput | null
  /** With `optimize_text_preview`: the text that was actually spoken. */
  final_text_preview?: string | null
}

export interface CompletionChoice {
  index: number
  message: CompletionMessage
  finish_reason: FinishReason | null
}

export interface ChatCompletion {
  id: string
  object: 'chat.completion'
  created: number
  model: string
  choices: CompletionChoice[]
  usage?: Usage | null
}

export interface ToolCallDelta {
  index: number
  id?: string
  type?: 'function'
  function?: { name?: string; arguments?: string }
}

export interface ChunkDelta {
  role?: 'assistant'
  content?: string | null
  reasoning_content?: string | null
  tool_calls?: ToolCallDelta[] | null
  annotations?: Annotation[] | null
  error_message?: string | null
  audio?: AudioOutput | null
  final_text_preview?: string | null
}

export interface ChunkChoice {
  index: number
  delta: ChunkDelta
  finish_reason: FinishReason | null
}

export interface ChatChunk {
  id: string
  object: 'chat.completion.chunk'
  created: number
  model: string
  choices: ChunkChoice[]
  /** null on every chunk but the last. */
  usage?: Usage | null
}

/** The service's error body. `code` is a string such as "400". */
export interface ErrorBody {
  error: { code?: string | number; message?: string; param?: string; type?: string }
}

// ---------------------------------------------------------------- client events

/** What `MimoClient.chat()` yields, in the order the service sent it. */
export type ChatEvent =
  /** Answer text. `fromReasoning`: the answer's content was empty and this is its reasoning text, sent once at the end. */
  | { type: 'text'; text: string; fromReasoning?: boolean }
  | { type: 'reasoning'; text: string }
  /** A piece of a tool call as it streams (the first piece of each call has its id and name). */
  | { type: 'tool-call'; index: number; id?: string; name?: string; argumentsDelta?: string }
  /** Every tool call of the answer, whole, in index order: sent once at the end, before `finish`. */
  | { type: 'tool-calls'; calls: ToolCall[] }
  | { type: 'annotations'; annotations: Annotation[] }
  /** A web search failed; the answer continues without it. */
  | { type: 'search-error'; message: string }
  /** Decoded audio; streamed TTS is PCM16 LE mono 24000 Hz, always whole samples. */
  | { type: 'audio'; data: Buffer }
  | { type: 'text-preview'; text: string }
  | { type: 'finish'; reason: FinishReason }
  | { type: 'usage'; usage: Usage }
