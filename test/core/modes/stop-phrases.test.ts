import { describe, expect, it } from 'vitest'
import { isStopPhrase } from '../../../src/core/modes/stop-phrases'

describe('stop phrases', () => {
  it.each(['stop', 'Stop.', 'Goodbye!', 'good bye', 'Okay, goodbye.', 'Thanks, bye bye!', 'Bye, MiMo.', '再见', '再见。', '好的，再见！', '拜拜', '停吧', "That's all, thanks."])(
    '"%s" ends the conversation',
    (t) => expect(isStopPhrase(t)).toBe(true)
  )

  it.each(['How do I stop a process in Linux?', 'Say goodbye in French.', 'stop signs are red', '不要停', '怎么说再见', '', 'bye the way, what time is it'])(
    '"%s" is a question, not a stop phrase',
    (t) => expect(isStopPhrase(t)).toBe(false)
  )
})
