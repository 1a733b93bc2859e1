import { describe, expect, it } from 'vitest'
import { SentenceSplitter, countWords } from '../../../src/core/assistant/sentence-splitter'

function whole(text: string, o?: ConstructorParameters<typeof SentenceSplitter>[0]): string[] {
  const s = new SentenceSplitter(o)
  return [...s.push(text), ...s.flush()]
}

function byChars(text: string, o?: ConstructorParameters<typeof SentenceSplitter>[0]): string[] {
  const s = new SentenceSplitter(o)
  const out: string[] = []
  for (const ch of text) out.push(...s.push(ch))
  return [...out, ...s.flush()]
}

/** Deltas the way a tokenizer cuts text: words with their leading space, marks on their own. */
function byTokens(text: string): string[] {
  const s = new SentenceSplitter()
  const out: string[] = []
  for (const tok of text.match(/\s*[\p{L}\p{N}']+|\s*[^\s\p{L}\p{N}]/gu) ?? []) out.push(...s.push(tok))
  return [...out, ...s.flush()]
}

const CASES: Array<[string, string, string[]]> = [
  ['plain English', 'Hello there. How are you? I am fine! Thanks.', ['Hello there.', 'How are you?', 'I am fine!', 'Thanks.']],
  [
    'titles and e.g. never end a sentence',
    'Mr. Smith met Dr. Jones today. We talked, e.g. about tea. It was fun.',
    ['Mr. Smith met Dr. Jones today.', 'We talked, e.g. about tea.', 'It was fun.']
  ],
  [
    'U.S. ends a sentence only before a capital',
    'He moved to the U.S. The U.S. economy is large.',
    ['He moved to the U.S.', 'The U.S. economy is large.']
  ],
  ['decimals', 'Pi is about 3.14 and e is 2.718. Prices rose 2.5 percent in 2023. Next.', ['Pi is about 3.14 and e is 2.718.', 'Prices rose 2.5 percent in 2023.', 'Next.']],
  [
    'Chinese',
    '北京今天晴，最高气温二十五度。明天有雨！你要带伞吗？',
    ['北京今天晴，最高气温二十五度。', '明天有雨！', '你要带伞吗？']
  ],
  ['mixed Chinese and English', 'MiMo是小米的模型。It speaks English too. 也会说中文。', ['MiMo是小米的模型。', 'It speaks English too.', '也会说中文。']],
  ['closing quotes stay with their sentence', '他说：“你好。”然后走了。She said "Hi." Then left.', ['他说：“你好。”', '然后走了。', 'She said "Hi."', 'Then left.']],
  [
    'URLs and domains are not cut',
    'See https://example.com/docs.html for more. Or www.mimo.example.org today. Done.',
    ['See https://example.com/docs.html for more.', 'Or www.mimo.example.org today.', 'Done.']
  ],
  ['numbered list items', 'Two steps:\n1. Open the app.\n2. Hold the key.\nThat is all.', ['Two steps:', '1. Open the app.', '2. Hold the key.', 'That is all.']],
  ['initials', 'J. K. Rowling wrote it. Fine.', ['J. K. Rowling wrote it.', 'Fine.']],
  ['ellipsis and stacked marks', 'Wait... Really?! Yes.', ['Wait...', 'Really?!', 'Yes.']],
  [
    'a fenced code block is one chunk',
    'Try this:\n```js\nconst a = 1. b = 2.\n```\nThat was code.',
    ['Try this:', '```js\nconst a = 1. b = 2.\n```', 'That was code.']
  ],
  ['markdown emphasis', '**Bold text.** And `ls` works.', ['**Bold text.**', 'And `ls` works.']],
  ['thousands separators are not a clause break', 'There were 1,000 people at the event, and more came.', ['There were 1,000 people at the event,', 'and more came.']]
]

describe('SentenceSplitter', () => {
  for (const [name, text, expected] of CASES) {
    it(`${name}: whole text`, () => {
      expect(whole(text)).toEqual(expected)
    })
    it(`${name}: one character at a time gives the same sentences`, () => {
      expect(byChars(text)).toEqual(expected)
    })
    it(`${name}: token-sized deltas give the same sentences`, () => {
      expect(byTokens(text)).toEqual(expected)
    })
  }

  it('lets the first chunk end at a comma once it has about four words, and only the first', () => {
    const text = 'The weather in Beijing is sunny, with a high of twenty, and a low of ten. Later, it rains.'
    expect(whole(text)).toEqual(['The weather in Beijing is sunny,', 'with a high of twenty, and a low of ten.', 'Later, it rains.'])
    // Too few words before the comma: no early break.
    expect(whole('Yes, it is sunny today.')).toEqual(['Yes, it is sunny today.'])
    expect(whole('北京今天天气很好，最高二十五度。')).toEqual(['北京今天天气很好，', '最高二十五度。'])
    expect(whole('The weather in Beijing is sunny, warm.', { firstChunkMinWords: 100 })).toEqual(['The weather in Beijing is sunny, warm.'])
  })

  it('cuts long stretches without a sentence end near the maximum, at a comma or else a space', () => {
    const words = Array.from({ length: 80 }, (_, i) => `word${i}`).join(' ')
    const parts = whole(words + '.')
    expect(parts.length).toBeGreaterThan(1)
    for (const p of parts.slice(0, -1)) {
      expect(p.length).toBeLessThanOrEqual(200)
      expect(p.length).toBeGreaterThan(100)
    }
    expect(parts.join(' ')).toBe(words + '.')
    expect(byChars(words + '.')).toEqual(parts)

    const withComma = 'alpha '.repeat(25) + 'beta, ' + 'gamma '.repeat(20) + 'end.'
    const cut = whole(withComma, { firstChunkMinWords: 1000 })
    expect(cut[0].endsWith('beta,')).toBe(true)

    const cjk = '这是一段没有标点的很长的中文'.repeat(20)
    const cjkParts = whole(cjk)
    expect(cjkParts[0].length).toBe(200)
    expect(cjkParts.join('')).toBe(cjk)
  })

  it('flushes the rest at the end, and keeps a sentence end undecided until the next character arrives', () => {
    const s = new SentenceSplitter()
    expect(s.push('Hello world.')).toEqual([])
    expect(s.tentative()).toBe('Hello world.')
    expect(s.push(' How')).toEqual(['Hello world.'])
    expect(s.tentative()).toBeNull()
    expect(s.push(' are you')).toEqual([])
    expect(s.flush()).toEqual(['How are you'])
    expect(s.flush()).toEqual([])
  })

  it('tentative() is null where the next character could still change the break', () => {
    const s = new SentenceSplitter()
    s.push('Talk to Dr.')
    expect(s.tentative()).toBeNull()
    const t = new SentenceSplitter()
    t.push('Visit example.')
    expect(t.tentative()).toBe('Visit example.')
    expect(t.push('com now.')).toEqual([])
    expect(t.tentative()).toBe('Visit example.com now.')
  })

  it('never returns empty sentences', () => {
    expect(whole('   \n\n  ')).toEqual([])
    expect(whole('Hi.\n\n\nBye.')).toEqual(['Hi.', 'Bye.'])
  })

  it('counts CJK characters as half words', () => {
    expect(countWords('one two three')).toBe(3)
    expect(countWords('你好世界')).toBe(2)
  })
})
