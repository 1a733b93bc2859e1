/**
 * The rules of a turn that uses tools, apart from the streaming itself (answer-pipeline.ts):
 * what goes into the next request after a round of tool calls, when the spoken cue comes and what
 * it says, and what of the speech counts as the answer once a cue was heard.
 *
 *   request (tools offered) -> answer with tool_calls -> run them (in parallel, each with a limit)
 *     -> request + assistant{tool_calls} + tool{tool_call_id} ... -> ... -> an answer without calls
 *
 * At most MAX_TOOL_ROUNDS rounds of calls; after the last, the model is asked once more without
 * function tools, so it has to answer.
 */
import type { TurnUsage } from '../../shared/assistant'
import { MAX_TOOL_ROUNDS, type ToolCallView } from '../../shared/tools'
import type { AssistantMessage, ChatRequest, Message, ToolCall, ToolMessage } from '../mimo/types'
import { truncateToFraction, type SpeechResult } from './speech-queue'
import type { Toolset } from '../tools/toolset'

export { MAX_TOOL_ROUNDS }

/** A tool still running after this long gets the spoken cue (once per turn). */
export const TOOL_CUE_AFTER_MS = 1000

/** The request with the turn's function tools beside any web search; none once the rounds are used up. */
export function withFunctionTools(request: ChatRequest, toolset: Toolset | null, round: number): ChatRequest {
  if (!toolset || toolset.size === 0 || round > MAX_TOOL_ROUNDS) return request
  return { ...request, tools: [...(request.tools ?? []), ...toolset.definitions()], tool_choice: 'auto' }
}

/** The assistant message that asked for the calls, as the next request must repeat it. */
export function toolCallMessage(calls: ToolCall[], text: string, reasoning: string): AssistantMessage {
  return {
    role: 'assistant',
    content: text.trim() ? text : null,
    tool_calls: calls,
    // Kept during multi-turn tool calls with thinking on, as the reference recommends.
    ...(reasoning.trim() ? { reasoning_content: reasoning } : {})
  }
}

export function nextMessages(messages: Message[], asked: AssistantMessage, answers: ToolMessage[]): Message[] {
  return [...messages, asked, ...answers]
}

/** Usage of several requests of one turn, added up. */
export function addUsage(a: TurnUsage | undefined, b: TurnUsage): TurnUsage {
  if (!a) return b
  const sum = (x?: number, y?: number): number | undefined => (x === undefined && y === undefined ? undefined : (x ?? 0) + (y ?? 0))
  const out: TurnUsage = {
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
    totalTokens: a.totalTokens + b.totalTokens
  }
  for (const key of ['reasoningTokens', 'audioTokens', 'cachedTokens', 'webSearchCalls', 'webSearchPages'] as const) {
    const v = sum(a[key], b[key])
    if (v !== undefined) out[key] = v
  }
  return out
}

/** The short spoken cue while a tool works, in the language of the question (or of the window). */
export function toolCue(question: string | undefined, uiLanguage: string): string {
  const chinese = question ? /[\u3400-\u9fff]/.test(question) : uiLanguage === 'zh'
  return chinese ? '请稍等。' : 'One moment.'
}

/** The cue as the turn's speech queue holds it. */
export interface SpokenCue {
  index: number
  text: string
}

/** What was heard of the answer: the speech without the cue. */
export function spokenWithoutCue(result: SpeechResult, cue: SpokenCue | undefined): string {
  if (!cue) return result.spokenText
  if (!result.stopped) {
    // Played to the end: every sentence, the cue once among them.
    const at = result.spokenText.indexOf(cue.text)
    return at < 0 ? result.spokenText : `${result.spokenText.slice(0, at)}${result.spokenText.slice(at + cue.text.length)}`.replace(/\s{2,}/g, ' ').trim()
  }
  return result.heard
    .filter((_, i) => i !== cue.index)
    .map((h) => (h.fraction >= 1 ? h.text : truncateToFraction(h.text, h.fraction)))
    .filter(Boolean)
    .join(' ')
}

/** The calls of a turn cut short: those still running or waiting for a yes are stopped. */
export function stopCalls(calls: ToolCallView[] | undefined): { toolCalls?: ToolCallView[] } {
  if (!calls) return {}
  return { toolCalls: calls.map((c) => (c.status === 'running' || c.status === 'confirm' ? { ...c, status: 'stopped' as const } : c)) }
}
