import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { PassThrough, Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AudioOutputError, PlayerMissingError } from '../../../src/core/audio/errors'
import { createPlayer, playerCandidates, playerCommand, RawStreamSink, scalePcm16, WavFileSink } from '../../../src/core/audio/player'
import { decodeWav, floatToPcm16 } from '../../../src/core/audio/wav'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mimo-sinks-'))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

const pcm = (...samples: number[]) => Buffer.from(new Int16Array(samples).buffer)
const samplesOf = (buf: Buffer) => Array.from({ length: buf.length >> 1 }, (_, i) => buf.readInt16LE(i * 2))

describe('player commands', () => {
  it('pacat first on Linux (lowest latency), play on macOS and Windows', () => {
    expect(playerCandidates('linux')).toEqual(['pacat', 'aplay', 'play'])
    expect(playerCandidates('darwin')).toEqual(['play'])
    expect(playerCandidates('win32')).toEqual(['play'])
  })

  it('24 kHz mono s16le for each player, pacat with a 50 ms latency target', () => {
    const env = { PATH: '/usr/bin' }
    expect(playerCommand('pacat', { platform: 'linux', env }).args).toEqual([
      '--playback', '--raw', '--format=s16le', '--rate=24000', '--channels=1', '--latency-msec=50', '--client-name=MiMo Voice'
    ])
    expect(playerCommand('aplay', { platform: 'linux', env }).args).toEqual(['-q', '-t', 'raw', '-f', 'S16_LE', '-r', '24000', '-c', '1'])
    expect(playerCommand('play', { platform: 'darwin', env }).args).toEqual(['-q', '-t', 'raw', '-r', '24000', '-e', 'signed', '-b', '16', '-c', '1', '-'])
    expect(playerCommand('play', { platform: 'win32', env }).args.slice(-3)).toEqual(['-', '-t', 'waveaudio', 'default'].slice(-3))
  })

  it('an output device: -d for pacat, -D pulse + PULSE_SINK for aplay, AUDIODEV for play', () => {
    const env = {}
    expect(playerCommand('pacat', { platform: 'linux', env, device: 'headset' }).args.slice(-2)).toEqual(['-d', 'headset'])
    const aplay = playerCommand('aplay', { platform: 'linux', env, device: 'headset' })
    expect(aplay.args.slice(-2)).toEqual(['-D', 'pulse'])
    expect(aplay.env.PULSE_SINK).toBe('headset')
    expect(playerCommand('aplay', { platform: 'linux', env, device: 'hw:1,0' }).args.slice(-2)).toEqual(['-D', 'hw:1,0'])
    expect(playerCommand('play', { platform: 'linux', env, device: 'headset' }).env).toMatchObject({ AUDIODEV: 'headset', AUDIODRIVER: 'pulseaudio' })
    expect(playerCommand('play', { platform: 'win32', env, device: 'Speakers (USB)' }).args.at(-1)).toBe('Speakers (USB)')
  })

  it('no player anywhere: PlayerMissingError naming sox.exe on Windows', async () => {
    const err = await createPlayer({ platform: 'win32', findProgram: async () => null }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(PlayerMissingError)
    expect((err as PlayerMissingError).tried).toEqual(['sox'])
    expect((err as PlayerMissingError).installHint).toContain('PATH')
    const mac = await createPlayer({ platform: 'darwin', findProgram: async () => null }).catch((e: unknown) => e)
    expect((mac as PlayerMissingError).installHint).toContain('brew install sox')
  })
})

describe('scalePcm16', () => {
  it('multiplies samples and leaves full volume untouched', () => {
    const input = pcm(1000, -1000, 32767, -32768)
    expect(scalePcm16(input, 1)).toBe(input)
    expect(samplesOf(scalePcm16(input, 0.5))).toEqual([500, -500, 16384, -16384])
    expect(samplesOf(scalePcm16(input, 0))).toEqual([0, 0, 0, 0])
  })
})

describe('WavFileSink', () => {
  it('writes a WAV whose header holds the real sizes, split samples rejoined', async () => {
    const file = path.join(dir, 'answer.wav')
    const sink = new WavFileSink(file)
    const all = pcm(1, 2, 3, -4, 5000, -6000)
    sink.write(all.subarray(0, 3)) // half a sample
    sink.write(all.subarray(3))
    expect(sink.bytesWritten).toBe(all.length)
    await sink.end()
    const bytes = await readFile(file)
    expect(bytes.length).toBe(44 + all.length)
    expect(bytes.readUInt32LE(4)).toBe(36 + all.length)
    expect(bytes.readUInt32LE(40)).toBe(all.length)
    const decoded = decodeWav(bytes)
    expect(decoded.sampleRate).toBe(24000)
    expect(Array.from(floatToPcm16(decoded.samples[0]))).toEqual([1, 2, 3, -4, 5000, -6000])
    await sink.end() // idempotent
    sink.stop()
  })

  it('stop keeps what was written, with a correct header; volume applies', async () => {
    const file = path.join(dir, 'stopped.wav')
    const sink = new WavFileSink(file)
    sink.setVolume(0.5)
    sink.write(pcm(1000, 2000))
    sink.stop()
    sink.write(pcm(3000)) // after stop: dropped
    const decoded = decodeWav(await readFile(file))
    expect(Array.from(floatToPcm16(decoded.samples[0]))).toEqual([500, 1000])
  })

  it('a path it cannot write: an error event and end() rejects, no throw', async () => {
    const sink = new WavFileSink(path.join(dir, 'no-such-folder', 'x.wav'))
    const event = new Promise((resolve) => sink.on('error', resolve))
    sink.write(pcm(1, 2))
    expect(await event).toBeInstanceOf(AudioOutputError)
    await expect(sink.end()).rejects.toBeInstanceOf(AudioOutputError)
  })
})

describe('RawStreamSink', () => {
  it('passes PCM through and end() waits for the flush without ending the stream', async () => {
    const out = new PassThrough()
    const chunks: Buffer[] = []
    out.on('data', (c: Buffer) => chunks.push(c))
    const sink = new RawStreamSink(out)
    sink.write(pcm(1, 2, 3))
    await sink.end()
    expect(Buffer.concat(chunks).equals(pcm(1, 2, 3))).toBe(true)
    expect(out.writableEnded).toBe(false)
    sink.write(pcm(4)) // after end: dropped
    expect(sink.bytesWritten).toBe(6)
  })

  it('ends the stream when asked to', async () => {
    const out = new PassThrough()
    out.resume()
    const sink = new RawStreamSink(out, { endStream: true })
    sink.write(pcm(1))
    await sink.end()
    expect(out.writableEnded).toBe(true)
  })

  it('a stream that fails: an error event and end() rejects', async () => {
    const broken = new Writable({ write: (_c, _e, cb) => cb(new Error('EPIPE')) })
    const sink = new RawStreamSink(broken)
    const event = new Promise((resolve) => sink.on('error', resolve))
    sink.write(pcm(1))
    expect(await event).toBeInstanceOf(AudioOutputError)
    await expect(sink.end()).rejects.toBeInstanceOf(AudioOutputError)
  })
})
