import { describe, expect, it } from 'vitest'
import { indexText, matchQuery, queryTerms, snippet } from '../../../src/core/conversations/search-text'

describe('search text', () => {
  it('indexes a run of Chinese as its character pairs and its last character; other words as they are', () => {
    expect(indexText('北京天气')).toBe(' 北京 京天 天气 气 ')
    expect(indexText('MiMo是小米的')).toBe('MiMo 是小 小米 米的 的 ')
    expect(indexText('Hello, world.')).toBe('Hello, world.')
  })

  it('asks for Chinese as a phrase of pairs, a single character and each word as a prefix', () => {
    expect(matchQuery('天气')).toBe('"天气"')
    expect(matchQuery('京天气')).toBe('"京天 天气"')
    expect(matchQuery('天')).toBe('"天"*')
    expect(matchQuery('Weather Beijing')).toBe('"weather"* AND "beijing"*')
    expect(matchQuery('MiMo是什么')).toBe('"mimo"* AND "是什 什么"')
  })

  it('keeps FTS syntax out of the query: quotes and operators are only text', () => {
    expect(matchQuery('say "hi" OR NOT x*')).toBe('"say"* AND "hi"* AND "or"* AND "not"* AND "x"*')
    expect(matchQuery('?!… ，。')).toBeNull()
  })

  it('cuts an excerpt around the first term found and says where it is', () => {
    const text = `${'a'.repeat(200)} the weather in Beijing ${'b'.repeat(200)}`
    const s = snippet(text, queryTerms('Weather'), 60)
    expect(s.text.startsWith('…')).toBe(true)
    expect(s.text.endsWith('…')).toBe(true)
    expect(s.text.slice(s.match!.start, s.match!.start + s.match!.length)).toBe('weather')
    expect(snippet('short text', ['absent'])).toEqual({ text: 'short text' })
  })
})
