// Turns the service's stream chunks into ChatEvents, and keeps what a broken stream leaves behind.
// Rules that matter for a voice assistant:
// - reasoning is reported as `reasoning`, never as `text`, except when the answer ends with empty
//   content and the reasoning is all there is: then it is sent once, at the end, with fromReasoning;
// - `finish` and `usage` are held until the stream ends, so that fallback text comes before them;
// - streamed audio is cut at whole PCM16 samples (an odd byte waits for the next chunk);
// - tool calls stream as `tool-call` deltas, and come once more, whole (assembled by index), as one
//   `tool-calls` event at the end, before `finish`.

import { MimoError, parseErrorBody, userMessageForStatus } from './errors'
import type { Annotation, ChatChunk, ChatCompletion, ChatEvent, FinishReason, ToolCall, Usage } from './types'
import { ToolCallAssembler } from './tool-call-assembler'
import { SampleAligner } from '../audio/sample-aligner'

const FINISH_REASONS: readonly string[] = ['stop', 'length', 'tool_calls', 'content_filter', 'repetition_truncation']

function streamError(code: string, userMessage: string, message: string, partialText: string): MimoError {
  return new MimoError({ status: 0, code, userMessage, message, partialText })
}

export class ChatEventAssembler {
  /** Answer text received so far. */
  text = ''
  reasoning = ''
  done = false
  finishReason: FinishReason | null = null
  usage: Usage | null = null
  private readonly toolCalls = new ToolCallAssembler()
  private readonly aligner = new SampleAligner()

  /** Parses one SSE `data` payload. Throws MimoError for malformed data or an error the service sent in the stream. */
  push(data: string): ChatEvent[] {
    if (this.done) return []
    if (data.trim() === '[DONE]') {
      this.done = true
      return []
    }
    let chunk: ChatChunk & { error?: unknown }
    try {
      chunk = JSON.parse(data)
    } catch {
      throw streamError(
        'malformed_stream',
        'MiMo sent a damaged answer. Try again.',
        `Malformed stream event: ${data.slice(0, 120)}`,
        this.text
      )
    }
    if (!chunk || typeof chunk !== 'object' || Array.isArray(chunk))
      throw streamError('malformed_stream', 'MiMo sent a damaged answer. Try again.', `Unexpected stream event: ${data.slice(0, 120)}`, this.text)
    if (chunk.error) {
      const body = parseErrorBody(data)
      const status = Number(body.code) || 0
      const err = new MimoError({
        status,
        code: body.code ?? 'stream_error',
        type: body.type,
        param: body.param || undefined,
        userMessage: status ? userMessageForStatus(status, body) : `MiMo stopped the answer: ${body.message ?? 'unknown error'}.`,
        message: `Error event in stream: ${data.slice(0, 200)}`,
        partialText: this.text
      })
      throw err
    }

    const events: ChatEvent[] = []
    const choices = Array.isArray(chunk.choices) ? chunk.choices : []
    for (const choice of choices) {
      if (!choice || (choice.index ?? 0) !== 0) continue
      const delta = choice.delta ?? {}
      if (typeof delta.reasoning_content === 'string' && delta.reasoning_content) {
        this.reasoning += delta.reasoning_content
        events.push({ type: 'reasoning', text: delta.reasoning_content })
      }
      if (Array.isArray(delta.annotations) && delta.annotations.length > 0)
        events.push({ type: 'annotations', annotations: delta.annotations as Annotation[] })
      if (typeof delta.error_message === 'string' && delta.error_message)
        events.push({ type: 'search-error', message: delta.error_message })
      if (typeof delta.final_text_preview === 'string' && delta.final_text_preview)
        events.push({ type: 'text-preview', text: delta.final_text_preview })
      if (typeof delta.content === 'string' && delta.content) {
        this.text += delta.content
        events.push({ type: 'text', text: delta.content })
      }
      if (Array.isArray(delta.tool_calls)) {
        for (const call of delta.tool_calls) {
          this.toolCalls.add(call)
          events.push({
            type: 'tool-call',
            index: typeof call.index === 'number' ? call.index : 0,
            ...(call.id ? { id: call.id } : {}),
            ...(call.function?.name ? { name: call.function.name } : {}),
            ...(typeof call.function?.arguments === 'string' && call.function.arguments
              ? { argumentsDelta: call.function.arguments }
              : {})
          })
        }
      }
      if (delta.audio && typeof delta.audio.data === 'string' && delta.audio.data) {
        const audio = this.aligner.align(Buffer.from(delta.audio.data, 'base64'))
        if (audio.length > 0) events.push({ type: 'audio', data: audio })
      }
      if (choice.finish_reason) {
        if (!FINISH_REASONS.includes(choice.finish_reason))
          throw streamError('malformed_stream', 'MiMo sent a damaged answer. Try again.', `Unknown finish_reason ${choice.finish_reason}`, this.text)
        this.finishReason = choice.finish_reason
      }
    }
    if (chunk.usage) this.usage = chunk.usage
    return events
  }

  /** Whether the stream reached its end: `[DONE]`, or at least a finish reason. */
  get complete(): boolean {
    return this.done || this.finishReason !== null
  }

  /** Events held back until the end. Throws MimoError when the stream ended before it was complete. */
  end(): ChatEvent[] {
    if (!this.complete)
      throw streamError(
        'stream_cut',
        'The connection to MiMo broke before the answer was complete. Try again.',
        'The stream ended without a finish reason or [DONE]',
        this.text
      )
    const events: ChatEvent[] = []
    this.aligner.reset()
    const calls: ToolCall[] = this.toolCalls.calls()
    if (this.text.trim() === '' && this.reasoning.trim() !== '' && calls.length === 0)
      events.push({ type: 'text', text: this.reasoning.trim(), fromReasoning: true })
    if (calls.length > 0) events.push({ type: 'tool-calls', calls })
    if (this.finishReason) events.push({ type: 'finish', reason: this.finishReason })
    if (this.usage) events.push({ type: 'usage', usage: this.usage })
    return events
  }
}

/** The answer text of a non-streamed completion, falling back to the reasoning when the content is empty. */
export function completionText(completion: ChatCompletion): { text: string; fromReasoning: boolean } {
  const message = completion.choices?.[0]?.message
  const content = typeof message?.content === 'string' ? message.content : ''
  const reasoning = typeof message?.reasoning_content === 'string' ? message.reasoning_content : ''
  if (content.trim() === '' && reasoning.trim() !== '' && !(message?.tool_calls && message.tool_calls.length > 0))
    return { text: reasoning.trim(), fromReasoning: true }
  return { text: content, fromReasoning: false }
}

/** The audio of a non-streamed TTS completion, decoded. */
export function completionAudio(completion: ChatCompletion): Buffer | null {
  const data = completion.choices?.[0]?.message?.audio?.data
  return typeof data === 'string' && data ? Buffer.from(data, 'base64') : null
}
