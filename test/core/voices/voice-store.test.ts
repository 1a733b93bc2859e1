import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { decodeWav } from '../../../src/core/audio/wav'
import {
  ConsentRequiredError,
  SampleRefusedError,
  VoiceNameError,
  VoiceSampleError
} from '../../../src/core/voices/errors'
import { JsonFileVoiceMetadataStore, MemoryVoiceMetadataStore } from '../../../src/core/voices/voice-metadata-store'
import { VoiceStore } from '../../../src/core/voices/voice-store'
import { makeSampleFiles, type SampleFiles } from './sample-files'

let files: SampleFiles
let dir: string
beforeAll(() => {
  files = makeSampleFiles()
})
afterAll(() => files.cleanup())
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mimo-voice-store-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const jsonStore = (): VoiceStore => new VoiceStore({ dir, metadata: new JsonFileVoiceMetadataStore(join(dir, 'voices.json')) })
const wavFiles = (): string[] => readdirSync(dir).filter((f) => f.endsWith('.wav'))

describe('VoiceStore', () => {
  it('saves a clone as mono PCM16 WAV and a design, and a new store over the same folder reads them back', async () => {
    const store = jsonStore()
    const { record, quality } = await store.addClone(files.bytes('stereo48k'), '  My   voice ', true, { fileName: 'me.wav' })
    expect(record.name).toBe('My voice')
    expect(record.id).toMatch(/^[A-Za-z0-9_-]+$/)
    expect(quality.channelsIn).toBe(2)
    const sample = readFileSync(join(dir, `${record.id}.wav`))
    const decoded = decodeWav(sample)
    expect([decoded.channels, decoded.bitsPerSample, decoded.sampleRate]).toEqual([1, 16, 48000])
    expect(record.sampleBytes).toBe(sample.length)
    const design = store.addDesign('Narrator', 'A calm, low male voice, speaking slowly.')

    const restarted = jsonStore()
    const voices = await restarted.list()
    expect(voices.map((v) => [v.ref.kind, v.ref.id, v.name, v.problem])).toEqual([
      ['clone', record.id, 'My voice', undefined],
      ['design', design.id, 'Narrator', undefined]
    ])
    expect(voices[0].durationSec).toBeCloseTo(quality.durationSec, 3)
    expect(voices[0].quality?.channelsIn).toBe(2)
    expect(voices[1].description).toBe('A calm, low male voice, speaking slowly.')
    expect((await restarted.readSample(record.id)).equals(sample)).toBe(true)
  })

  it('keeps names unique ignoring case, 1 to 40 characters, and not a built-in voice', async () => {
    const store = new VoiceStore({ dir, metadata: new MemoryVoiceMetadataStore() })
    store.addDesign('Storyteller', 'A warm voice.')
    expect(() => store.addDesign('storyTELLER ', 'Another.')).toThrow(VoiceNameError)
    expect(() => store.addDesign('   ', 'Another.')).toThrow(/Give the voice a name/)
    expect(() => store.addDesign('x'.repeat(41), 'Another.')).toThrow(/at most 40/)
    expect(store.addDesign('x'.repeat(40), 'Another.').name).toHaveLength(40)
    expect(() => store.addDesign('mia', 'Another.')).toThrow(/built-in/)
    await expect(store.addClone(files.bytes('speech'), 'STORYTELLER', true)).rejects.toThrow(VoiceNameError)
    expect(wavFiles()).toEqual([])
  })

  it('needs consent, and refuses a bad sample, saving nothing', async () => {
    const store = jsonStore()
    await expect(store.addClone(files.bytes('speech'), 'Me', false)).rejects.toBeInstanceOf(ConsentRequiredError)
    const refused = await store.addClone(files.bytes('short'), 'Me', true).catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(SampleRefusedError)
    expect((refused as SampleRefusedError).toUserError().message).toMatch(/at least 3 s/)
    expect(wavFiles()).toEqual([])
    expect(await store.list()).toEqual([])
  })

  it('renames and deletes; deleting a clone deletes its file', async () => {
    const store = jsonStore()
    const { record } = await store.addClone(files.bytes('speech'), 'First', true)
    const other = store.addDesign('Second', 'A bright voice.')
    expect(() => store.rename(record.id, 'second')).toThrow(/already a voice named 'Second'/)
    expect(store.rename(record.id, 'first').name).toBe('first') // its own name in another case is fine
    expect(jsonStore().get(record.id)?.name).toBe('first')
    expect(wavFiles()).toEqual([`${record.id}.wav`])
    await store.remove(record.id)
    expect(wavFiles()).toEqual([])
    expect((await jsonStore().list()).map((v) => v.ref.id)).toEqual([other.id])
    await store.remove(other.id)
    expect(await jsonStore().list()).toEqual([])
  })

  it('replaces a sample (re-record) under the same id and name', async () => {
    const store = jsonStore()
    const { record } = await store.addClone(files.bytes('speech'), 'Me', true)
    const { record: replaced, quality } = await store.replaceSample(record.id, files.bytes('stereo48k'), true)
    expect(replaced.id).toBe(record.id)
    expect(replaced.name).toBe('Me')
    expect(quality.sampleRate).toBe(48000)
    expect(decodeWav(readFileSync(join(dir, `${record.id}.wav`))).sampleRate).toBe(48000)
    expect((await jsonStore().list())[0].problem).toBeUndefined()
    await expect(store.replaceSample(record.id, files.bytes('silence'), true)).rejects.toBeInstanceOf(SampleRefusedError)
    expect(decodeWav(readFileSync(join(dir, `${record.id}.wav`))).sampleRate).toBe(48000) // the old one stays
  })

  it('reports a missing, cut or damaged sample file in the list and refuses to read it', async () => {
    const store = jsonStore()
    const a = (await store.addClone(files.bytes('speech'), 'Missing', true)).record
    const b = (await store.addClone(files.bytes('speech'), 'Cut', true)).record
    const c = (await store.addClone(files.bytes('speech'), 'Garbled', true)).record
    rmSync(join(dir, `${a.id}.wav`))
    truncateSync(join(dir, `${b.id}.wav`), 1000)
    const garbled = readFileSync(join(dir, `${c.id}.wav`))
    garbled.write('JUNK', 8, 'ascii') // same size, no longer WAVE
    writeFileSync(join(dir, `${c.id}.wav`), garbled)

    const voices = await jsonStore().list()
    expect(voices.map((v) => [v.name, v.problem])).toEqual([
      ['Missing', 'The sample file is missing.'],
      ['Cut', expect.stringMatching(/is 1000 bytes, not the \d+ saved/)],
      ['Garbled', expect.stringMatching(/damaged/)]
    ])
    for (const record of [a, b, c]) {
      const err = await store.readSample(record.id).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(VoiceSampleError)
      expect((err as VoiceSampleError).toUserError().message).toBe(
        `The sample for '${record.name}' is missing or damaged: record or import it again.`
      )
    }
  })
})

describe('JsonFileVoiceMetadataStore', () => {
  it('reads a damaged file as no voices and moves it aside before writing', () => {
    const path = join(dir, 'voices.json')
    writeFileSync(path, '{ not json')
    const meta = new JsonFileVoiceMetadataStore(path)
    expect(meta.get()).toEqual([])
    expect(meta.lastReadProblem).toMatch(/damaged/)
    meta.set([{ id: 'abc', kind: 'design', name: 'A', createdAt: '2026-01-01T00:00:00.000Z', description: 'A voice.' }])
    expect(readdirSync(dir).filter((f) => f.startsWith('voices.json.damaged-'))).toHaveLength(1)
    expect(new JsonFileVoiceMetadataStore(path).get().map((r) => r.id)).toEqual(['abc'])
  })

  it('drops invalid records and keeps the valid ones', () => {
    const path = join(dir, 'voices.json')
    writeFileSync(
      path,
      JSON.stringify({
        version: 1,
        voices: [
          { id: '../../etc/passwd', kind: 'clone', name: 'Evil', createdAt: 'x' },
          { id: 'ok-1', kind: 'design', name: 'Good', createdAt: 'x', description: 'Fine.' },
          { id: 'ok-2', kind: 'other', name: 'Bad kind', createdAt: 'x' }
        ]
      })
    )
    expect(new JsonFileVoiceMetadataStore(path).get().map((r) => r.name)).toEqual(['Good'])
    expect(existsSync(path)).toBe(true)
  })
})
