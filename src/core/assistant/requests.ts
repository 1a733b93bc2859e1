/** The chat requests of a turn: the answer (streamed) and the transcript of a spoken question. */
import type { TurnUsage, Source } from '../../shared/assistant'
import { AUDIO_INPUT_MODELS, DEFAULT_CHAT_MODEL } from '../../shared/models'
import type { Settings } from '../../shared/settings'
import { userAudioMessage } from '../mimo/builders'
import type { Annotation, ChatCompletion, ChatRequest, Message, Usage, UserMessage } from '../mimo/types'
import { checkModelSees, contextParts, hasContext, type GatheredContext } from '../context/context-parts'

export const ANSWER_AUDIO_INSTRUCTION = 'Answer the spoken question.'
export const TRANSCRIBE_INSTRUCTION = 'Transcribe the audio verbatim. Reply with the transcript only.'

export type Question = { kind: 'text'; text: string } | { kind: 'audio'; bytes: Uint8Array }

/** The chat model for this question: audio needs a model that hears (mimo-v2.5-pro reads text only). */
export function chatModelFor(settings: Pick<Settings, 'chatModel'>, question: Question): string {
  if (question.kind === 'audio' && !AUDIO_INPUT_MODELS.includes(settings.chatModel)) return DEFAULT_CHAT_MODEL
  return settings.chatModel
}

export function answerRequest(
  settings: Pick<Settings, 'chatModel' | 'thinking' | 'webSearch' | 'systemPrompt'>,
  history: Message[],
  question: Question,
  context?: GatheredContext
): ChatRequest {
  const messages: Message[] = []
  if (settings.systemPrompt.trim()) messages.push({ role: 'system', content: settings.systemPrompt.trim() })
  messages.push(...history)
  messages.push(withContext(question.kind === 'text' ? { role: 'user', content: question.text } : userAudioMessage(question.bytes, ANSWER_AUDIO_INSTRUCTION), context))
  const model = chatModelFor(settings, question)
  if (context?.images.length) checkModelSees(model)
  return {
    model,
    messages,
    // Reasoning delays the first word of the answer: off unless the user asks for it.
    thinking: { type: settings.thinking ? 'enabled' : 'disabled' },
    ...(settings.webSearch ? { tools: [{ type: 'web_search' as const }], tool_choice: 'auto' as const } : {})
  }
}

/** The question's message with the context parts in front of its own (images, then texts, then audio and instruction). */
function withContext(message: UserMessage, context: GatheredContext | undefined): UserMessage {
  if (!hasContext(context)) return message
  const own = typeof message.content === 'string' ? [{ type: 'text' as const, text: message.content }] : message.content
  return { ...message, content: [...contextParts(context), ...own] }
}

export function transcriptRequest(settings: Pick<Settings, 'chatModel'>, bytes: Uint8Array): ChatRequest {
  return {
    model: chatModelFor(settings, { kind: 'audio', bytes }),
    messages: [userAudioMessage(bytes, TRANSCRIBE_INSTRUCTION)],
    thinking: { type: 'disabled' },
    temperature: 0
  }
}

/** The transcript text of a completion (falling back to the reasoning text when the content is empty). */
export function completionText(completion: ChatCompletion): string {
  const message = completion.choices[0]?.message
  return (message?.content?.trim() || message?.reasoning_content?.trim() || '').trim()
}

export function toTurnUsage(usage: Usage): TurnUsage {
  return {
    promptTokens: usage.prompt_tokens,
    completionTokens: usage.completion_tokens,
    totalTokens: usage.total_tokens,
    ...(usage.completion_tokens_details?.reasoning_tokens !== undefined ? { reasoningTokens: usage.completion_tokens_details.reasoning_tokens } : {}),
    ...(usage.prompt_tokens_details?.audio_tokens !== undefined ? { audioTokens: usage.prompt_tokens_details.audio_tokens } : {}),
    ...(usage.prompt_tokens_details?.image_tokens !== undefined ? { imageTokens: usage.prompt_tokens_details.image_tokens } : {}),
    ...(usage.prompt_tokens_details?.cached_tokens !== undefined ? { cachedTokens: usage.prompt_tokens_details.cached_tokens } : {}),
    ...(usage.web_search_usage?.tool_usage !== undefined ? { webSearchCalls: usage.web_search_usage.tool_usage } : {}),
    ...(usage.web_search_usage?.page_usage !== undefined ? { webSearchPages: usage.web_search_usage.page_usage } : {})
  }
}

/** Web pages the answer used, once each, in the order they came. */
export function addSources(sources: Source[], annotations: Annotation[]): Source[] {
  const out = [...sources]
  for (const a of annotations) {
    if (!a.url || out.some((s) => s.url === a.url)) continue
    out.push({
      url: a.url,
      ...(a.title ? { title: a.title } : {}),
      ...(a.site_name ? { siteName: a.site_name } : {}),
      ...(a.summary ? { summary: a.summary } : {}),
      ...(a.publish_time ? { publishTime: a.publish_time } : {})
    })
  }
  return out
}
