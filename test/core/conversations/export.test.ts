import { describe, expect, it } from 'vitest'
import { toMarkdown } from '../../../src/core/conversations/export'
import type { ConversationDetail } from '../../../src/shared/history'

describe('export', () => {
  it('a turn that called tools lists them under its answer: tool, arguments, outcome', () => {
    const conversation: ConversationDetail = {
      id: 1,
      title: 'Timers',
      renamed: false,
      startedAt: Date.UTC(2026, 11, 1, 6, 0),
      updatedAt: Date.UTC(2026, 11, 1, 6, 1),
      turnCount: 1,
      turns: [
        {
          id: 1, conversationId: 1, startedAt: Date.UTC(2026, 11, 1, 6, 0), input: 'text', question: 'Set a timer and save a note.', fileName: null,
          reply: 'The timer is set; the note was not saved.', spoken: 'The timer is set; the note was not saved.', status: 'done', voice: 'Mia', model: 'mimo-v2.5',
          timings: {}, usage: null, sources: [], searchError: null, error: null, audio: { question: false, answer: false },
          toolCalls: [
            { id: 'c1', round: 1, tool: 'set_timer', arguments: '{"seconds":600}', status: 'done', result: 'Timer set\\nfor 10 minutes', durationMs: 2 },
            { id: 'c2', round: 1, tool: 'write_file', server: 'files', arguments: '{"path":"a"}', status: 'refused', error: 'The user did not allow it.' }
          ]
        }
      ]
    }
    const md = toMarkdown([conversation])
    expect(md).toContain(['Tools:', '- `set_timer` `{"seconds":600}` → Timer set\\nfor 10 minutes', '- `files/write_file` `{"path":"a"}` → refused: The user did not allow it.'].join('\n'))
  })
})
