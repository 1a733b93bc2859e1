import { describe, expect, it } from 'vitest'
import { ConversationHistory, UNTRANSCRIBED_QUESTION } from '../../../src/core/assistant/history'

describe('ConversationHistory', () => {
  it('keeps the last N turns as user/assistant pairs, N read at each use', () => {
    let max = 2
    const h = new ConversationHistory(() => max)
    h.add('t1', 'one?', 'One.')
    h.add('t2', 'two?', 'Two.')
    h.add('t3', 'three?', 'Three.')
    expect(h.messages()).toEqual([
      { role: 'user', content: 'two?' },
      { role: 'assistant', content: 'Two.' },
      { role: 'user', content: 'three?' },
      { role: 'assistant', content: 'Three.' }
    ])
    max = 0
    expect(h.messages()).toEqual([])
  })

  it('fills in a spoken question when its transcript lands, and stands in for it until then', () => {
    const h = new ConversationHistory(() => 10)
    h.add('t1', null, 'It is sunny.')
    expect(h.messages()[0]).toEqual({ role: 'user', content: UNTRANSCRIBED_QUESTION })
    h.setQuestion('t1', 'What is the weather like?')
    expect(h.messages()[0]).toEqual({ role: 'user', content: 'What is the weather like?' })
  })

  it('drops turns with nothing answered and replaces a turn recorded twice', () => {
    const h = new ConversationHistory(() => 10)
    h.add('t1', 'q', '   ')
    expect(h.size).toBe(0)
    h.add('t2', 'q', 'first')
    h.add('t2', 'q', 'second')
    expect(h.size).toBe(1)
    expect(h.messages()[1]).toEqual({ role: 'assistant', content: 'second' })
    h.clear()
    expect(h.size).toBe(0)
  })
})
