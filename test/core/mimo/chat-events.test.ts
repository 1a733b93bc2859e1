import { describe, expect, it } from 'vitest'
import { ChatEventAssembler } from '../../../src/core/mimo/chat-events'
import { MimoError } from '../../../src/core/mimo/errors'
import type { ChatEvent, ChunkDelta, FinishReason, Usage } from '../../../src/core/mimo/types'

const usage: Usage = { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 }
const chunk = (delta: ChunkDelta, finish: FinishReason | null = null, u: Usage | null = null, index = 0): string =>
  JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index, delta, finish_reason: finish }], usage: u })

function run(datas: string[]): ChatEvent[] {
  const a = new ChatEventAssembler()
  const out: ChatEvent[] = []
  for (const d of datas) out.push(...a.push(d))
  out.push(...a.end())
  return out
}

describe('ChatEventAssembler', () => {
  it('holds finish and usage until the end, after every other event', () => {
    const events = run([chunk({ role: 'assistant', content: 'Hi' }), chunk({ content: '!' }, 'stop', usage), '[DONE]'])
    expect(events).toEqual([
      { type: 'text', text: 'Hi' },
      { type: 'text', text: '!' },
      { type: 'finish', reason: 'stop' },
      { type: 'usage', usage }
    ])
  })

  it('reads usage sent on a chunk with no choices', () => {
    const events = run([chunk({ content: 'Hi' }, 'stop'), JSON.stringify({ id: 'c', choices: [], usage }), '[DONE]'])
    expect(events.at(-1)).toEqual({ type: 'usage', usage })
  })

  it('never reports reasoning as text while there is an answer', () => {
    const events = run([chunk({ reasoning_content: 'Thinking...' }), chunk({ content: 'Answer.' }, 'stop'), '[DONE]'])
    expect(events.filter((e) => e.type === 'text')).toEqual([{ type: 'text', text: 'Answer.' }])
  })

  it('falls back to the reasoning when the answer is empty (whitespace counts as empty)', () => {
    const events = run([chunk({ reasoning_content: ' The answer ' }), chunk({ reasoning_content: 'is 42. ' }), chunk({ content: '\n' }, 'stop'), '[DONE]'])
    expect(events.filter((e) => e.type === 'text')).toEqual([
      { type: 'text', text: '\n' },
      { type: 'text', text: 'The answer is 42.', fromReasoning: true }
    ])
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop' })
  })

  it('does not fall back to the reasoning when the model called a tool', () => {
    const events = run([
      chunk({ reasoning_content: 'I need the weather.' }),
      chunk({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{}' } }] }, 'tool_calls'),
      '[DONE]'
    ])
    expect(events.filter((e) => e.type === 'text')).toEqual([])
    expect(events.filter((e) => e.type === 'tool-call')).toEqual([
      { type: 'tool-call', index: 0, id: 'call_1', name: 'get_weather' },
      { type: 'tool-call', index: 0, argumentsDelta: '{}' }
    ])
  })

  it('cuts audio at whole 16-bit samples, carrying an odd byte to the next chunk', () => {
    const bytes = Buffer.from([1, 2, 3, 4, 5, 6, 7, 8])
    const events = run([
      chunk({ audio: { data: bytes.subarray(0, 3).toString('base64') } }),
      chunk({ audio: { data: bytes.subarray(3, 4).toString('base64') } }),
      chunk({ audio: { data: bytes.subarray(4, 7).toString('base64') } }),
      chunk({ audio: { data: bytes.subarray(7).toString('base64') } }, 'stop'),
      '[DONE]'
    ])
    const audio = events.filter((e) => e.type === 'audio') as Array<{ data: Buffer }>
    expect(audio.map((a) => [...a.data])).toEqual([[1, 2], [3, 4], [5, 6], [7, 8]])
  })

  it('reports annotations, search errors and the text preview', () => {
    const events = run([
      chunk({ final_text_preview: 'Polished.' }),
      chunk({ annotations: [{ url: 'https://a', title: 'A' }] }),
      chunk({ error_message: 'search failed' }, 'stop'),
      '[DONE]'
    ])
    expect(events.slice(0, 3)).toEqual([
      { type: 'text-preview', text: 'Polished.' },
      { type: 'annotations', annotations: [{ url: 'https://a', title: 'A' }] },
      { type: 'search-error', message: 'search failed' }
    ])
  })

  it('ignores choices other than the first, and anything after [DONE]', () => {
    const events = run([chunk({ content: 'other' }, null, null, 1), chunk({ content: 'mine' }, 'stop'), '[DONE]', chunk({ content: 'late' })])
    expect(events.filter((e) => e.type === 'text')).toEqual([{ type: 'text', text: 'mine' }])
  })

  it('refuses malformed JSON and unknown finish reasons, keeping the partial text', () => {
    const a = new ChatEventAssembler()
    a.push(chunk({ content: 'Part' }))
    expect(() => a.push('{"id": "c", "choices": [')).toThrow(MimoError)
    expect(() => a.push('not json')).toThrow(expect.objectContaining({ code: 'malformed_stream', partialText: 'Part' }))
    expect(() => new ChatEventAssembler().push(chunk({}, 'exploded' as FinishReason))).toThrow(/Unknown finish_reason/)
    expect(() => new ChatEventAssembler().push('[1,2]')).toThrow(MimoError)
  })

  it('an error object in the stream becomes a MimoError with its status', () => {
    const a = new ChatEventAssembler()
    a.push(chunk({ content: 'So far' }))
    let caught: unknown
    try {
      a.push('{"error":{"code":"421","message":"Content Filtered","param":"","type":"content_filter"}}')
    } catch (err) {
      caught = err
    }
    expect(caught).toMatchObject({ status: 421, code: '421', type: 'content_filter', partialText: 'So far', userMessage: expect.stringMatching(/content filter/) })
  })

  it('a stream with neither a finish reason nor [DONE] is incomplete', () => {
    const a = new ChatEventAssembler()
    a.push(chunk({ content: 'Half' }))
    expect(() => a.end()).toThrow(expect.objectContaining({ code: 'stream_cut', partialText: 'Half' }))
  })
})

describe('ChatEventAssembler: tool calls', () => {
  it('puts streamed calls back together by index, whole, once at the end before finish', () => {
    const events = run([
      chunk({ role: 'assistant', content: null, tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"ci' } }] }),
      chunk({ tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '{}' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: 'ty":"Beijing"}' } }] }, 'tool_calls', usage),
      '[DONE]'
    ])
    const tail = events.slice(-3)
    expect(tail).toEqual([
      {
        type: 'tool-calls',
        calls: [
          { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Beijing"}' } },
          { id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '{}' } }
        ]
      },
      { type: 'finish', reason: 'tool_calls' },
      { type: 'usage', usage }
    ])
  })

  it('a call without an id gets one; a name repeated in a later piece is not doubled', () => {
    const events = run([
      chunk({ tool_calls: [{ index: 0, function: { name: 'get_time', arguments: '' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { name: 'get_time', arguments: '{}' } }] }, 'tool_calls'),
      '[DONE]'
    ])
    expect(events.find((e) => e.type === 'tool-calls')).toEqual({
      type: 'tool-calls',
      calls: [{ id: 'call_0', type: 'function', function: { name: 'get_time', arguments: '{}' } }]
    })
  })

  it('an answer without tool calls has no tool-calls event', () => {
    expect(run([chunk({ content: 'Hi.' }, 'stop'), '[DONE]']).some((e) => e.type === 'tool-calls')).toBe(false)
  })
})
