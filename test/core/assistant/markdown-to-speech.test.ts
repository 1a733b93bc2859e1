import { describe, expect, it } from 'vitest'
import { toSpeechText } from '../../../src/core/assistant/markdown-to-speech'

describe('toSpeechText', () => {
  it('leaves plain sentences alone', () => {
    expect(toSpeechText('It is sunny in Beijing, twenty-five degrees.')).toBe('It is sunny in Beijing, twenty-five degrees.')
    expect(toSpeechText('北京今天晴，最高气温二十五度。')).toBe('北京今天晴，最高气温二十五度。')
  })

  it('strips markdown emphasis, headings, quotes and list markers', () => {
    expect(toSpeechText('**Bold** and *italic* and __under__ and ~~gone~~.')).toBe('Bold and italic and under and gone.')
    expect(toSpeechText('## The answer')).toBe('The answer')
    expect(toSpeechText('> quoted words')).toBe('quoted words')
    expect(toSpeechText('- first item')).toBe('first item')
    expect(toSpeechText('* second item')).toBe('second item')
    expect(toSpeechText('3. third item')).toBe('third item')
  })

  it('drops code blocks, keeps a short inline word, drops inline code', () => {
    expect(toSpeechText('```js\nconst a = 1\n```')).toBe('')
    expect(toSpeechText('Run this: ```sh\nrm -rf /tmp/x\n``` then wait.')).toBe('Run this: then wait.')
    expect(toSpeechText('Use the `ls` command.')).toBe('Use the ls command.')
    expect(toSpeechText('Call `fetch(url, { method: "POST" })` here.')).toBe('Call here.')
  })

  it('reads link text and drops URLs', () => {
    expect(toSpeechText('See [the docs](https://example.com/a_(b)) now.')).toBe('See the docs now.')
    expect(toSpeechText('Visit https://example.com/path?q=1, then rest.')).toBe('Visit, then rest.')
    expect(toSpeechText('Or www.example.com today.')).toBe('Or today.')
    expect(toSpeechText('https://example.com')).toBe('')
  })

  it('drops emoji, including joined and flagged ones', () => {
    expect(toSpeechText('Great job! 🎉👍🏽 Keep going 👨‍👩‍👧 🇨🇳')).toBe('Great job! Keep going')
    expect(toSpeechText('😀')).toBe('')
  })

  it('reads table rows as lists and drops the rule', () => {
    expect(toSpeechText('| City | Temp |')).toBe('City, Temp')
    expect(toSpeechText('|---|:---:|')).toBe('')
    expect(toSpeechText('| Beijing | 25 |\n| Shanghai | 28 |')).toBe('Beijing, 25 Shanghai, 28')
  })

  it('returns nothing for punctuation alone', () => {
    expect(toSpeechText('---')).toBe('')
    expect(toSpeechText('* * *')).toBe('')
  })
})
