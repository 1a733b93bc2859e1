/**
 * The published segmentation cases (sentence-splitter.golden.ts says where each set comes from),
 * scored over the whole set, and each one fed whole and in seeded random deltas.
 */
import { describe, expect, it } from 'vitest'
import { SentenceSplitter, type SentenceSplitterOptions } from '../../../src/core/assistant/sentence-splitter'
import { GOLDEN_EN, GOLDEN_EN_ALL_IN_ONE, GOLDEN_JA, GOLDEN_ZH, type GoldenCase } from './sentence-splitter.golden'
import { SENTENCES_ONLY, precision, randomDeltas, recall, score, seeded, splitDeltas, splitWhole, squeeze } from './sentence-splitter.harness'

const whole = (text: string): string[] => splitWhole(text, SENTENCES_ONLY)

function report(name: string, s: ReturnType<typeof score>): string {
  return (
    `${name}: ${s.exact}/${s.cases} exact (${((100 * s.exact) / s.cases).toFixed(1)} %), ` +
    `boundary precision ${precision(s).toFixed(3)}, recall ${recall(s).toFixed(3)}` +
    (s.failed.length ? `; not exact: ${s.failed.map((f) => f.rule).join(', ')}` : '')
  )
}

describe('SentenceSplitter on the Golden Rules', () => {
  it('English: at least 90 % of the 52 rules exactly, and boundary precision at least 0.95', () => {
    const s = score(GOLDEN_EN, whole)
    console.log(report('English Golden Rules', s))
    expect(s.cases).toBe(52)
    expect(s.exact / s.cases).toBeGreaterThanOrEqual(0.9)
    expect(precision(s)).toBeGreaterThanOrEqual(0.95)
  })

  it('English: all the rules in one text keep boundary precision at least 0.95', () => {
    const s = score([GOLDEN_EN_ALL_IN_ONE], whole)
    console.log(report('English Golden Rules in one text', s))
    expect(precision(s)).toBeGreaterThanOrEqual(0.95)
    expect(recall(s)).toBeGreaterThanOrEqual(0.9)
  })

  it('Chinese: every case exactly', () => {
    for (const c of GOLDEN_ZH) expect(whole(c.text).map(squeeze), c.name).toEqual(c.sentences.map(squeeze))
  })

  it('Japanese: every case exactly', () => {
    for (const c of GOLDEN_JA) expect(whole(c.text).map(squeeze), c.name).toEqual(c.sentences.map(squeeze))
  })

  it('breaks no sentence that the rules keep whole', () => {
    // The rules whose one sentence must stay one: a false break in any is heard.
    const single = GOLDEN_EN.filter((c) => c.sentences.length === 1 && c.rule !== 40)
    for (const c of single) expect(whole(c.text).map(squeeze), `rule ${c.rule}: ${c.name}`).toEqual(c.sentences.map(squeeze))
  })
})

describe('SentenceSplitter streams the Golden Rules exactly', () => {
  const all: Array<[string, GoldenCase]> = [
    ...GOLDEN_EN.map((c): [string, GoldenCase] => [`en ${c.rule}`, c]),
    ['en 74', GOLDEN_EN_ALL_IN_ONE],
    ...GOLDEN_ZH.map((c): [string, GoldenCase] => [`zh ${c.rule}`, c]),
    ...GOLDEN_JA.map((c): [string, GoldenCase] => [`ja ${c.rule}`, c])
  ]
  const optionSets: Array<[string, SentenceSplitterOptions]> = [
    ['sentences only', SENTENCES_ONLY],
    ['the defaults', {}],
    ['maxChars 60', { maxChars: 60 }]
  ]
  for (const [label, options] of optionSets) {
    it(`any cutting into deltas gives the chunks of the whole text (${label})`, () => {
      const random = seeded(17)
      for (const [name, c] of all) {
        const expected = splitWhole(c.text, options)
        expect(splitDeltas(Array.from(c.text), options), `${name}, one character at a time`).toEqual(expected)
        for (let trial = 0; trial < 25; trial++) {
          const deltas = randomDeltas(c.text, random, trial % 2 ? 3 : 16)
          expect(splitDeltas(deltas, options), `${name}, deltas ${JSON.stringify(deltas)}`).toEqual(expected)
        }
      }
    })
  }

  it('a tentative sentence is the one the text gives if it ends there', () => {
    // The speech queue starts synthesising tentative() early: it must be what flush() would return.
    for (const c of [...GOLDEN_EN, GOLDEN_EN_ALL_IN_ONE, ...GOLDEN_ZH, ...GOLDEN_JA]) {
      const chars = Array.from(c.text)
      for (let k = 1; k <= chars.length; k++) {
        const s = new SentenceSplitter(SENTENCES_ONLY)
        s.push(chars.slice(0, k).join(''))
        const t = s.tentative()
        if (t !== null) expect(s.flush(), `rule ${c.rule} at ${k}`).toEqual([t])
      }
    }
  })
})
