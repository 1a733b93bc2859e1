import { describe, expect, it } from 'vitest'
import { SentenceSplitter, countWords } from '../../../src/core/assistant/sentence-splitter'
import { SENTENCES_ONLY, randomDeltas, seeded, splitDeltas, splitWhole, tokenDeltas } from './sentence-splitter.harness'

const whole = splitWhole
const byChars = (text: string, o?: ConstructorParameters<typeof SentenceSplitter>[0]): string[] => splitDeltas(Array.from(text), o)
const byTokens = (text: string): string[] => splitDeltas(tokenDeltas(text))

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

/** The false breaks the splitter used to make, each with the sentences a reader makes. */
const FALSE_BREAKS: Array<[string, string[]]> = [
  ['I work for the U.S. Government in Virginia.', ['I work for the U.S. Government in Virginia.']],
  ['At 5 a.m. Mr. Smith went to the bank.', ['At 5 a.m. Mr. Smith went to the bank.']],
  ['Please turn to p. 55.', ['Please turn to p. 55.']],
  ["'This is great.' she said.", ["'This is great.' she said."]],
  ['He teaches science (He is an engineer.) at the local University.', ['He teaches science (He is an engineer.) at the local University.']],
  ['She works at Yahoo! in the evenings.', ['She works at Yahoo! in the evenings.']],
  ["I wasn't really ... well, what I mean...see . . . what I'm saying.", ["I wasn't really ... well, what I mean...see . . . what I'm saying."]],
  ['. . .', ['. . .']],
  ['我最喜欢的电影是《摔跤吧！爸爸》。', ['我最喜欢的电影是《摔跤吧！爸爸》。']],
  ['It was Tuesday.Mr. Smith came.', ['It was Tuesday.', 'Mr. Smith came.']]
]

/** Answers as an assistant writes them: markdown, numbers and units, code names, links, quotes. */
const ANSWERS: Array<[string, string, string[]]> = [
  [
    'a markdown list with bold labels and code',
    "Here are three ways to speed it up:\n\n1. **Cache the results.** It saves about 40 ms per call.\n2. Use `Array.prototype.map()` instead of a loop.\n3. Upgrade to Node.js 20.x. It ships a faster V8.\n\nThat's it!",
    [
      'Here are three ways to speed it up:',
      '1. **Cache the results.**',
      'It saves about 40 ms per call.',
      '2. Use `Array.prototype.map()` instead of a loop.',
      '3. Upgrade to Node.js 20.x.',
      'It ships a faster V8.',
      "That's it!"
    ]
  ],
  ['bullets with units', '- Flour: 500 g.\n- Sugar: 2 tbsp. of brown sugar.\n- Eggs: 3.', ['- Flour: 500 g.', '- Sugar: 2 tbsp. of brown sugar.', '- Eggs: 3.']],
  [
    'units that are also abbreviations',
    'It saves about 40 ms. That is fast. Bake it for 20 min. Then let it cool. The box is 5 ft. tall. She is 6 ft. Bob is shorter. Meet Ms. Lee at 5 p.m. tomorrow.',
    ['It saves about 40 ms.', 'That is fast.', 'Bake it for 20 min.', 'Then let it cool.', 'The box is 5 ft. tall.', 'She is 6 ft.', 'Bob is shorter.', 'Meet Ms. Lee at 5 p.m. tomorrow.']
  ],
  [
    'numbers, money and units',
    'The file is 2.5 MB and downloads in 0.8 s. It costs $1,299.99 in the U.S. and €1.199,00 in Germany. Prices rose 3.5% in 2023. Today it is 72°F. Tomorrow it drops to 15 °C.',
    [
      'The file is 2.5 MB and downloads in 0.8 s.',
      'It costs $1,299.99 in the U.S. and €1.199,00 in Germany.',
      'Prices rose 3.5% in 2023.',
      'Today it is 72°F.',
      'Tomorrow it drops to 15 °C.'
    ]
  ],
  [
    'times',
    "The meeting is at 10:30 a.m. tomorrow. Call me at 3 p.m. If I don't answer, text me. It ends at 5 P.M. Friday. At 9 a.m. Dr. Lee opens the lab.",
    ['The meeting is at 10:30 a.m. tomorrow.', 'Call me at 3 p.m.', "If I don't answer, text me.", 'It ends at 5 P.M. Friday.', 'At 9 a.m. Dr. Lee opens the lab.']
  ],
  [
    'titles, e.g. forms and number abbreviations',
    "Dr. Smith and Prof. Lee met Mr. Brown at St. Mary's, i.e. the hospital. They talked about Fig. 3 and pp. 10–12 of Vol. 2. The rest was misc. stuff, etc. Then they left.",
    [
      "Dr. Smith and Prof. Lee met Mr. Brown at St. Mary's, i.e. the hospital.",
      'They talked about Fig. 3 and pp. 10–12 of Vol. 2.',
      'The rest was misc. stuff, etc.',
      'Then they left.'
    ]
  ],
  [
    'code names',
    'Call fmt.Println to print, or os.Getenv for settings. In Python, str.split() does it. The React.Component class still works. Set NODE_ENV=production. Then run `npm start`.',
    [
      'Call fmt.Println to print, or os.Getenv for settings.',
      'In Python, str.split() does it.',
      'The React.Component class still works.',
      'Set NODE_ENV=production.',
      'Then run `npm start`.'
    ]
  ],
  [
    'links and e-mail addresses',
    'Docs are at https://docs.example.com/v2/intro.html. Write to help@example.com. We answer within a day. Or visit www.example.org/faq?q=1&lang=en. Thanks!',
    ['Docs are at https://docs.example.com/v2/intro.html.', 'Write to help@example.com.', 'We answer within a day.', 'Or visit www.example.org/faq?q=1&lang=en.', 'Thanks!']
  ],
  [
    'quotes and brackets',
    'He said "Stop. Now." and left. She asked, "Why?" He shrugged. (The reason is in Sec. 2.) Then they went home.',
    ['He said "Stop. Now." and left.', 'She asked, "Why?"', 'He shrugged.', '(The reason is in Sec. 2.)', 'Then they went home.']
  ],
  [
    'names and titles with ! and ?',
    'I use Yahoo! Mail and watch Jeopardy! on weekends. I love Jeopardy! It is fun. Who Wants to Be a Millionaire? is older.',
    ['I use Yahoo! Mail and watch Jeopardy! on weekends.', 'I love Jeopardy!', 'It is fun.', 'Who Wants to Be a Millionaire? is older.']
  ],
  [
    'ellipses',
    "Hmm… let me think. Well... OK, here it is. The rest is . . . complicated. I wasn't sure... but it works.",
    ['Hmm… let me think.', 'Well...', 'OK, here it is.', 'The rest is . . . complicated.', "I wasn't sure... but it works."]
  ],
  [
    'decimals and versions',
    "Python 3.12 is faster than 3.8. Version 2.0.1 fixed it. Pi is about 3.14159. The answer is 42. That's all.",
    ['Python 3.12 is faster than 3.8.', 'Version 2.0.1 fixed it.', 'Pi is about 3.14159.', 'The answer is 42.', "That's all."]
  ],
  [
    'initials',
    'J. R. R. Tolkien wrote it in the U.K. The book came out in 1954. George W. Bush read it too.',
    ['J. R. R. Tolkien wrote it in the U.K.', 'The book came out in 1954.', 'George W. Bush read it too.']
  ],
  ['an inline numbered list', 'Do three things: 1) Back up your data 2) Update the app 3) Restart.', ['Do three things:', '1) Back up your data', '2) Update the app', '3) Restart.']],
  [
    'a heading and a table',
    '## Summary\nAll tests pass.\n\n| Name | Score |\n|---|---|\n| Ann | 9.5 |\n',
    ['## Summary', 'All tests pass.', '| Name | Score |', '|---|---|', '| Ann | 9.5 |']
  ],
  [
    'words that start with a small letter',
    'You can run `npm test`. It runs all 120 tests in about 3 sec. on a laptop. Open the app. iOS users tap Share. I bought it on eBay. The seller was nice.',
    ['You can run `npm test`.', 'It runs all 120 tests in about 3 sec. on a laptop.', 'Open the app.', 'iOS users tap Share.', 'I bought it on eBay.', 'The seller was nice.']
  ]
]

/** Chinese answers, and Chinese mixed with English. */
const CHINESE: Array<[string, string, string[]]> = [
  ['sentence ends', '北京今天晴，最高气温25℃。明天有雨！记得带伞。', ['北京今天晴，最高气温25℃。', '明天有雨！', '记得带伞。']],
  ['title marks', '我推荐《三体》和《流浪地球》。作者是刘慈欣！你读过吗？', ['我推荐《三体》和《流浪地球》。', '作者是刘慈欣！', '你读过吗？']],
  ['! and ? inside title marks', '我最喜欢的电影是《摔跤吧！爸爸》。你呢？我们明天一起去看《摔跤吧！爸爸》好吗？好！', ['我最喜欢的电影是《摔跤吧！爸爸》。', '你呢？', '我们明天一起去看《摔跤吧！爸爸》好吗？', '好！']],
  ['quotations', '他问：“你去吗？”我说：“去！”然后我们出发了。', ['他问：“你去吗？”', '我说：“去！”', '然后我们出发了。']],
  ['a quotation of two sentences', '他说：“今天很冷。明天更冷。”我们就没出门。', ['他说：“今天很冷。明天更冷。”', '我们就没出门。']],
  ['ellipses', '这个嘛……我觉得可以。不过……还要再想想。', ['这个嘛……我觉得可以。', '不过……还要再想想。']],
  ['a bracket the sentence goes on after', '请先备份数据（这一步很重要。）然后再升级。升级需要大约5分钟。', ['请先备份数据（这一步很重要。）然后再升级。', '升级需要大约5分钟。']],
  ['semicolons and prices', '第一，准备材料；第二，开始制作；第三，装盘。价格是￥99.5元。很便宜！', ['第一，准备材料；第二，开始制作；第三，装盘。', '价格是￥99.5元。', '很便宜！']],
  ['a numbered list', '步骤如下：\n1. 打开应用。\n2. 按住快捷键说话。\n3. 松开后就能听到回答！', ['步骤如下：', '1. 打开应用。', '2. 按住快捷键说话。', '3. 松开后就能听到回答！']],
  [
    'mixed with English',
    '你可以用 npm install 安装依赖。Then run npm start. 然后打开 http://localhost:3000 。',
    ['你可以用 npm install 安装依赖。', 'Then run npm start.', '然后打开 http://localhost:3000 。']
  ],
  ['English words and numbers inside', 'MiMo 是小米的大模型。它支持中文和English。Python 3.12 比 3.8 快很多。', ['MiMo 是小米的大模型。', '它支持中文和English。', 'Python 3.12 比 3.8 快很多。']],
  ['times and abbreviations', '时间是上午9:30。地点在U.S.大使馆。别迟到！', ['时间是上午9:30。', '地点在U.S.大使馆。', '别迟到！']],
  ['a link', '请访问https://mimo.xiaomi.com/docs。谢谢！', ['请访问https://mimo.xiaomi.com/docs。', '谢谢！']]
]

describe('SentenceSplitter breaks where a reader would', () => {
  for (const [text, expected] of FALSE_BREAKS) {
    it(`no false break: ${JSON.stringify(text)}`, () => {
      expect(splitWhole(text, SENTENCES_ONLY)).toEqual(expected)
      expect(byChars(text, SENTENCES_ONLY)).toEqual(expected)
    })
  }

  for (const [name, text, expected] of [...ANSWERS, ...CHINESE]) {
    it(`${name}: whole, one character at a time, by tokens and in random deltas`, () => {
      expect(splitWhole(text, SENTENCES_ONLY)).toEqual(expected)
      expect(byChars(text, SENTENCES_ONLY)).toEqual(expected)
      expect(splitDeltas(tokenDeltas(text), SENTENCES_ONLY)).toEqual(expected)
      const random = seeded(text.length)
      for (const options of [SENTENCES_ONLY, {}, { maxChars: 50 }]) {
        const whole = splitWhole(text, options)
        for (let trial = 0; trial < 30; trial++) {
          const deltas = randomDeltas(text, random, trial % 2 ? 4 : 15)
          expect(splitDeltas(deltas, options), JSON.stringify(deltas)).toEqual(whole)
        }
      }
    })
  }

  it('a long quotation is cut at a sentence end inside it, not at a comma', () => {
    const quote = 'He wrote: "' + 'This part is long, and it goes on. '.repeat(8) + 'The end." Then he left.'
    const parts = splitWhole(quote, { maxChars: 120, firstChunkMinWords: Infinity })
    expect(parts[0].endsWith('goes on.')).toBe(true)
    expect(parts.join(' ')).toBe(quote)
  })

  it('an unclosed quotation or bracket holds no break beyond the line', () => {
    expect(splitWhole('He said "hi. Then he left.\nNext.', SENTENCES_ONLY)).toEqual(['He said "hi.', 'Then he left.', 'Next.'])
    expect(splitWhole("The '80s were fun. I miss them.", SENTENCES_ONLY)).toEqual(["The '80s were fun.", 'I miss them.'])
    expect(splitWhole('The 27" screen is big. I like it.', SENTENCES_ONLY)).toEqual(['The 27" screen is big.', 'I like it.'])
  })
})

describe('SentenceSplitter.tentative() starts speech early only on a likely end', () => {
  const tentativeAfter = (text: string): string | null => {
    const s = new SentenceSplitter()
    s.push(text)
    return s.tentative()
  }

  it('a full stop, question or exclamation after a word, and the first chunk comma', () => {
    expect(tentativeAfter('Hello world.')).toBe('Hello world.')
    expect(tentativeAfter('Is it raining?')).toBe('Is it raining?')
    expect(tentativeAfter('She said "Hi."')).toBe('She said "Hi."')
    expect(tentativeAfter('Beijing is clear and sunny today,')).toBe('Beijing is clear and sunny today,')
    expect(tentativeAfter('北京今天晴。')).toBe('北京今天晴。')
  })

  it('not after an abbreviation, an initial, inside a quotation or title marks, nor at a spaced ellipsis', () => {
    expect(tentativeAfter('I work for the U.S.')).toBeNull()
    expect(tentativeAfter('Please turn to p.')).toBeNull()
    expect(tentativeAfter('My name is Jonas E.')).toBeNull()
    expect(tentativeAfter('He said "Stop.')).toBeNull()
    expect(tentativeAfter('我最喜欢的电影是《摔跤吧！')).toBeNull()
    expect(tentativeAfter('the thing is . . .')).toBeNull()
  })
})

describe('SentenceSplitter on random mixtures of the hard parts', () => {
  // Abbreviations, quotes, brackets, title marks, ellipses, list markers, code, CJK and line breaks,
  // strung together at random (seeded): the streaming and speculation promises hold on any text.
  const PARTS = [
    'Hello', ' world', '.', ' ', 'U.S.', ' The', ' the', ' Mr.', ' Smith', '"', "'", '(', ')', '“', '”', '《', '》', '！', '。',
    '？', '...', ' . . .', '…', '\n', ' \n', '1.', ' 2.', ' a.', ' b.', '1)', ' 2)', '•', ' 9.', ',', '，', ' e.g.', ' p.',
    ' 55', ' 3.14', ' fmt.Println', ' It', ' is', '你好', '《摔跤吧！爸爸》', '```js\ncode.\n```\n', '`x.y`', ' a.m.', ' P.M.',
    ' Yahoo!', ' in', '?', '!', ' iOS', ':(', ' 27"', " don't", ' 40 ms.', '.Today', ' I.', ' Did', '「', '」', '（', '）',
    ' \t', 'x'.repeat(30)
  ]
  const random = seeded(7)
  const texts = Array.from({ length: 400 }, () => Array.from({ length: 3 + Math.floor(random() * 40) }, () => PARTS[Math.floor(random() * PARTS.length)]).join(''))

  it('any cutting into deltas gives the chunks of the whole text, and loses no text', () => {
    for (const text of texts) {
      for (const options of [{}, SENTENCES_ONLY, { maxChars: 40 }]) {
        const whole = splitWhole(text, options)
        expect(whole.join('').replace(/\s+/g, '')).toBe(text.replace(/\s+/g, ''))
        const deltas = randomDeltas(text, random, 1 + Math.floor(random() * 10))
        expect(splitDeltas(deltas, options), JSON.stringify(deltas)).toEqual(whole)
      }
    }
  })

  it('a tentative sentence is the one the text gives if it ends there', () => {
    for (const text of texts) {
      const chars = Array.from(text)
      const s = new SentenceSplitter()
      s.push(chars.slice(0, 1 + Math.floor(random() * chars.length)).join(''))
      const t = s.tentative()
      if (t !== null) expect(s.flush()).toEqual([t])
    }
  })
})
