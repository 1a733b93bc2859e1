import { describe, expect, it } from 'vitest'
import { AudioFormatError } from '../../../src/core/audio/errors'
import { decodeWav, encodeWav, floatToPcm16, prepareForUpload, resample, sniffAudioFile, toMono } from '../../../src/core/audio/wav'

// ---- building test files in code ------------------------------------------------------------

type Encoding = { tag: 'pcm' | 'float'; bits: number }

function chunk(id: string, body: Buffer, o: { declaredSize?: number; pad?: boolean } = {}): Buffer {
  const head = Buffer.alloc(8)
  head.write(id, 0, 'ascii')
  head.writeUInt32LE(o.declaredSize ?? body.length, 4)
  const pad = body.length % 2 === 1 && o.pad !== false ? Buffer.alloc(1) : Buffer.alloc(0)
  return Buffer.concat([head, body, pad])
}

function fmtBody(enc: Encoding, channels: number, rate: number, extensible = false, validBits = enc.bits): Buffer {
  const blockAlign = (enc.bits / 8) * channels
  const body = Buffer.alloc(extensible ? 40 : 16)
  body.writeUInt16LE(extensible ? 0xfffe : enc.tag === 'pcm' ? 1 : 3, 0)
  body.writeUInt16LE(channels, 2)
  body.writeUInt32LE(rate, 4)
  body.writeUInt32LE(rate * blockAlign, 8)
  body.writeUInt16LE(blockAlign, 12)
  body.writeUInt16LE(enc.bits, 14)
  if (extensible) {
    body.writeUInt16LE(22, 16) // cbSize
    body.writeUInt16LE(validBits, 18)
    body.writeUInt32LE(channels === 2 ? 3 : 4, 20) // channel mask
    // SubFormat GUID: {0000000X-0000-0010-8000-00aa00389b71}
    Buffer.from([enc.tag === 'pcm' ? 1 : 3, 0, 0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xaa, 0, 0x38, 0x9b, 0x71]).copy(body, 24)
  }
  return body
}

/** Interleaved samples (-1..1) encoded as `enc`. */
function sampleBytes(channels: Float32Array[], enc: Encoding): Buffer {
  const frames = channels[0].length
  const size = enc.bits / 8
  const out = Buffer.alloc(frames * channels.length * size)
  let at = 0
  for (let f = 0; f < frames; f++) {
    for (const ch of channels) {
      const x = ch[f]
      if (enc.tag === 'float') {
        if (enc.bits === 32) out.writeFloatLE(x, at)
        else out.writeDoubleLE(x, at)
      } else if (enc.bits === 8) out.writeUInt8(Math.max(0, Math.min(255, Math.round(x * 128) + 128)), at)
      else if (enc.bits === 16) out.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(x * 32768))), at)
      else if (enc.bits === 24) out.writeIntLE(Math.max(-8388608, Math.min(8388607, Math.round(x * 8388608))), at, 3)
      else out.writeInt32LE(Math.max(-2147483648, Math.min(2147483647, Math.round(x * 2147483648))), at)
      at += size
    }
  }
  return out
}

function riff(chunks: Buffer[], form = 'RIFF'): Buffer {
  const body = Buffer.concat([Buffer.from('WAVE', 'ascii'), ...chunks])
  const head = Buffer.alloc(8)
  head.write(form, 0, 'ascii')
  head.writeUInt32LE(form === 'RF64' ? 0xffffffff : body.length, 4)
  return Buffer.concat([head, body])
}

function sine(frames: number, rate: number, freq: number, amp = 0.5): Float32Array {
  const out = new Float32Array(frames)
  for (let i = 0; i < frames; i++) out[i] = amp * Math.sin((2 * Math.PI * freq * i) / rate)
  return out
}

function maxError(a: Float32Array, b: Float32Array): number {
  let m = 0
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]))
  return m
}

/** Power of one frequency (Goertzel), normalised so a full sine of amplitude A gives A^2/4. */
function goertzel(x: Float32Array, rate: number, freq: number): number {
  const k = (2 * Math.cos((2 * Math.PI * freq) / rate))
  let s1 = 0
  let s2 = 0
  for (let i = 0; i < x.length; i++) {
    const s = x[i] + k * s1 - s2
    s2 = s1
    s1 = s
  }
  return (s1 * s1 + s2 * s2 - k * s1 * s2) / (x.length * x.length)
}

function rms(x: Float32Array, from = 0, to = x.length): number {
  let s = 0
  for (let i = from; i < to; i++) s += x[i] * x[i]
  return Math.sqrt(s / (to - from))
}

// ---- tests ------------------------------------------------------------------------------------

describe('encodeWav / decodeWav round trips', () => {
  it('PCM16 mono written by encodeWav reads back sample for sample', () => {
    const pcm = new Int16Array([0, 1, -1, 32767, -32768, 1234, -4321])
    const wav = encodeWav(pcm, 16000)
    expect(wav.length).toBe(44 + pcm.length * 2)
    expect(wav.toString('ascii', 0, 4)).toBe('RIFF')
    expect(wav.readUInt32LE(4)).toBe(wav.length - 8)
    expect(wav.readUInt32LE(40)).toBe(pcm.length * 2)
    const decoded = decodeWav(wav)
    expect(decoded).toMatchObject({ sampleRate: 16000, channels: 1, frames: pcm.length, bitsPerSample: 16, format: 'pcm' })
    expect(Array.from(floatToPcm16(decoded.samples[0]))).toEqual(Array.from(pcm))
  })

  it('interleaved stereo from encodeWav keeps its channels apart', () => {
    const pcm = new Int16Array([100, -100, 200, -200, 300, -300])
    const decoded = decodeWav(encodeWav(pcm, 44100, 2))
    expect(decoded.channels).toBe(2)
    expect(Array.from(floatToPcm16(decoded.samples[0]))).toEqual([100, 200, 300])
    expect(Array.from(floatToPcm16(decoded.samples[1]))).toEqual([-100, -200, -300])
  })

  const encodings: Array<[Encoding, number]> = [
    [{ tag: 'pcm', bits: 8 }, 1 / 128],
    [{ tag: 'pcm', bits: 16 }, 1 / 32768],
    [{ tag: 'pcm', bits: 24 }, 1 / 8388608],
    [{ tag: 'pcm', bits: 32 }, 1e-6],
    [{ tag: 'float', bits: 32 }, 1e-7],
    [{ tag: 'float', bits: 64 }, 1e-7]
  ]
  const layouts: Array<[number, number]> = [
    [8000, 1],
    [22050, 2],
    [48000, 6]
  ]
  for (const [enc, tolerance] of encodings) {
    for (const [rate, channels] of layouts) {
      it(`${enc.tag} ${enc.bits}-bit, ${rate} Hz, ${channels} ch`, () => {
        const signal = Array.from({ length: channels }, (_, c) => sine(257, rate, 300 + 200 * c, 0.9 - 0.1 * c))
        const decoded = decodeWav(riff([chunk('fmt ', fmtBody(enc, channels, rate)), chunk('data', sampleBytes(signal, enc))]))
        expect(decoded).toMatchObject({ sampleRate: rate, channels, frames: 257, bitsPerSample: enc.bits, format: enc.tag })
        for (let c = 0; c < channels; c++) expect(maxError(decoded.samples[c], signal[c])).toBeLessThanOrEqual(tolerance * 1.01)
      })
    }
  }

  it('WAVE_FORMAT_EXTENSIBLE: 24-bit PCM and 32-bit float', () => {
    const signal = [sine(100, 48000, 1000), sine(100, 48000, 2000)]
    for (const enc of [{ tag: 'pcm', bits: 24 }, { tag: 'float', bits: 32 }] as Encoding[]) {
      const decoded = decodeWav(riff([chunk('fmt ', fmtBody(enc, 2, 48000, true)), chunk('data', sampleBytes(signal, enc))]))
      expect(decoded.format).toBe(enc.tag)
      expect(maxError(decoded.samples[1], signal[1])).toBeLessThan(1e-6)
    }
  })

  it('WAVE_FORMAT_EXTENSIBLE: 24 valid bits in a 32-bit container', () => {
    const signal = [sine(64, 16000, 500)]
    const decoded = decodeWav(riff([chunk('fmt ', fmtBody({ tag: 'pcm', bits: 32 }, 1, 16000, true, 24)), chunk('data', sampleBytes(signal, { tag: 'pcm', bits: 32 }))]))
    expect(decoded.bitsPerSample).toBe(32)
    expect(maxError(decoded.samples[0], signal[0])).toBeLessThan(1e-6)
  })
})

describe('decodeWav on files real writers produce', () => {
  const enc: Encoding = { tag: 'pcm', bits: 16 }
  const signal = [sine(100, 16000, 440)]
  const fmt = chunk('fmt ', fmtBody(enc, 1, 16000))
  const data = sampleBytes(signal, enc)

  it('LIST and other chunks before and after data', () => {
    const list = chunk('LIST', Buffer.from('INFOISFT\u0006\u0000\u0000\u0000Lavf\u0000\u0000', 'binary'))
    const decoded = decodeWav(riff([chunk('JUNK', Buffer.alloc(28)), fmt, list, chunk('fact', Buffer.alloc(4)), chunk('data', data), list, chunk('id3 ', Buffer.alloc(10))]))
    expect(decoded.frames).toBe(100)
    expect(maxError(decoded.samples[0], signal[0])).toBeLessThan(1e-4)
  })

  it('odd-size chunks with their pad byte, and without it (a writer that forgot)', () => {
    const odd = Buffer.from('abc')
    for (const pad of [true, false]) {
      const decoded = decodeWav(riff([fmt, chunk('note', odd, { pad }), chunk('data', data)]))
      expect(decoded.frames).toBe(100)
      expect(maxError(decoded.samples[0], signal[0])).toBeLessThan(1e-4)
    }
  })

  it('an odd-size data chunk followed by its pad byte and a LIST chunk', () => {
    const oddData = Buffer.concat([data, Buffer.from([0x7f])])
    const decoded = decodeWav(riff([fmt, chunk('data', oddData), chunk('LIST', Buffer.from('INFO'))]))
    expect(decoded.frames).toBe(100) // the half sample is dropped
  })

  it('data cut short (declared longer than the file): uses what is there, whole frames only', () => {
    const file = riff([fmt, chunk('data', data, { declaredSize: data.length * 10 })])
    const decoded = decodeWav(file.subarray(0, file.length - 3))
    expect(decoded.frames).toBe(98)
    expect(maxError(decoded.samples[0], signal[0].subarray(0, 98))).toBeLessThan(1e-4)
  })

  it('data size 0 or 0xFFFFFFFF (a streaming writer never fixed the header): reads to the end', () => {
    for (const declaredSize of [0, 0xffffffff]) {
      const decoded = decodeWav(riff([fmt, chunk('data', data, { declaredSize })]))
      expect(decoded.frames).toBe(100)
    }
  })

  it('RF64 with its ds64 size', () => {
    const ds64 = Buffer.alloc(28)
    ds64.writeUInt32LE(data.length + 36, 0)
    ds64.writeUInt32LE(data.length, 8)
    ds64.writeUInt32LE(100, 16)
    const decoded = decodeWav(riff([chunk('ds64', ds64), fmt, chunk('data', data, { declaredSize: 0xffffffff }), chunk('LIST', Buffer.from('INFO'))], 'RF64'))
    expect(decoded.frames).toBe(100)
  })

  it('no data chunk, no fmt chunk, an encoding it cannot read: AudioFormatError', () => {
    expect(() => decodeWav(riff([fmt]))).toThrow(/no audio/)
    expect(() => decodeWav(riff([chunk('data', data)]))).toThrow(/format description/)
    const alaw = fmtBody(enc, 1, 8000)
    alaw.writeUInt16LE(6, 0)
    alaw.writeUInt16LE(8, 14)
    const err = (() => {
      try {
        decodeWav(riff([chunk('fmt ', alaw), chunk('data', Buffer.alloc(10))]))
      } catch (e) {
        return e
      }
    })()
    expect(err).toBeInstanceOf(AudioFormatError)
    expect((err as AudioFormatError).toUserError()).toMatchObject({ kind: 'input', code: 'audio-format' })
  })

  it('refuses bytes that are not audio with a clear message', () => {
    for (const bytes of [Buffer.alloc(0), Buffer.from('hello, this is a text file\n'), Buffer.from('RIFF\u0010\u0000\u0000\u0000AVI LIST'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0])]) {
      expect(() => decodeWav(bytes)).toThrow('This file is not a WAV or MP3 recording.')
      expect(() => prepareForUpload(bytes)).toThrow(AudioFormatError)
    }
  })
})

describe('sniffAudioFile', () => {
  /** Two MPEG-1 Layer III frames, 128 kbit/s at 44.1 kHz: 417 bytes each. */
  function mp3Frames(count: number): Buffer {
    const frame = Buffer.alloc(417)
    frame.set([0xff, 0xfb, 0x90, 0x64])
    return Buffer.concat(Array.from({ length: count }, () => frame))
  }

  it('recognises WAV (RIFF and RF64)', () => {
    expect(sniffAudioFile(encodeWav(new Int16Array(4), 16000))).toBe('wav')
    const rf64 = encodeWav(new Int16Array(4), 16000)
    rf64.write('RF64', 0, 'ascii')
    expect(sniffAudioFile(rf64)).toBe('wav')
  })

  it('recognises MP3 by an ID3 tag or by consecutive frame headers', () => {
    expect(sniffAudioFile(Buffer.concat([Buffer.from('ID3\u0004\u0000\u0000\u0000\u0000\u0000\u0000', 'binary'), mp3Frames(2)]))).toBe('mp3')
    expect(sniffAudioFile(mp3Frames(3))).toBe('mp3')
    expect(sniffAudioFile(mp3Frames(1).subarray(0, 100))).toBe('mp3') // too short to check a second frame
  })

  it('does not take look-alikes for MP3', () => {
    const fake = Buffer.alloc(1000)
    fake.set([0xff, 0xfb, 0x90, 0x64]) // a frame header, then no second frame where it must be
    expect(sniffAudioFile(fake)).toBeNull()
    expect(sniffAudioFile(Buffer.from([0xff, 0xf1, 0x50, 0x80, 0, 0, 0, 0]))).toBeNull() // AAC ADTS
    expect(sniffAudioFile(Buffer.from([0xff, 0xfb, 0xf0, 0x64]))).toBeNull() // bad bitrate index
    expect(sniffAudioFile(Buffer.from('ID'))).toBeNull()
    expect(sniffAudioFile(Buffer.from('fLaC\u0000\u0000\u0000\u0022'))).toBeNull()
  })

  it('prepareForUpload passes MP3 through untouched', () => {
    const mp3 = mp3Frames(4)
    const out = prepareForUpload(mp3)
    expect(out.container).toBe('mp3')
    expect(out.bytes.equals(mp3)).toBe(true)
  })
})

describe('toMono, resample, floatToPcm16', () => {
  it('toMono averages the channels', () => {
    const mono = toMono({ sampleRate: 8000, channels: 2, frames: 3, bitsPerSample: 16, format: 'pcm', samples: [new Float32Array([1, 0.5, -1]), new Float32Array([0, 0.5, 1])] })
    expect(Array.from(mono)).toEqual([0.5, 0.5, 0])
  })

  it('a 1 kHz sine at 48 kHz resampled to 16 kHz is still 1 kHz (Goertzel and zero crossings)', () => {
    const input = sine(48000, 48000, 1000, 0.5) // one second
    const out = resample(input, 48000, 16000)
    expect(out.length).toBe(16000)
    const at1k = goertzel(out, 16000, 1000)
    expect(at1k).toBeGreaterThan(0.05) // 0.5^2/4 = 0.0625 for a pure tone
    for (const other of [500, 900, 1100, 2000, 3000]) expect(goertzel(out, 16000, other)).toBeLessThan(at1k / 1000)
    let crossings = 0
    for (let i = 1; i < out.length; i++) if ((out[i - 1] < 0) !== (out[i] < 0)) crossings++
    expect(crossings).toBeGreaterThanOrEqual(1998)
    expect(crossings).toBeLessThanOrEqual(2002)
    // Level kept (away from the edges where the filter runs out of input).
    expect(rms(out, 200, 15800)).toBeCloseTo(0.5 / Math.SQRT2, 2)
  })

  it('filters what the lower rate cannot hold: a 10 kHz tone does not alias into 16 kHz audio', () => {
    const out = resample(sine(48000, 48000, 10_000, 0.5), 48000, 16000)
    // A naive decimator would fold it to 6 kHz at full level.
    expect(rms(out, 200, 15800)).toBeLessThan(0.5 / Math.SQRT2 / 1000)
  })

  it('upsamples 8 kHz to 16 kHz and keeps 44.1 kHz -> 16 kHz lengths right', () => {
    const up = resample(sine(8000, 8000, 440, 0.5), 8000, 16000)
    expect(up.length).toBe(16000)
    expect(goertzel(up, 16000, 440)).toBeGreaterThan(0.05)
    expect(resample(new Float32Array(44100), 44100, 16000).length).toBe(16000)
    const same = new Float32Array([0.1, 0.2])
    expect(resample(same, 16000, 16000)).not.toBe(same)
  })

  it('floatToPcm16 clips and rounds', () => {
    expect(Array.from(floatToPcm16(new Float32Array([0, 1, -1, 2, -2, 0.5, -0.5])))).toEqual([0, 32767, -32768, 32767, -32768, 16384, -16384])
  })
})

describe('prepareForUpload', () => {
  it('a 44.1 kHz stereo float WAV becomes 16 kHz mono PCM16 WAV of the same length', () => {
    const left = sine(44100, 44100, 1000, 0.5)
    const right = sine(44100, 44100, 1000, 0.5)
    const file = riff([chunk('fmt ', fmtBody({ tag: 'float', bits: 32 }, 2, 44100)), chunk('LIST', Buffer.from('INFO')), chunk('data', sampleBytes([left, right], { tag: 'float', bits: 32 }))])
    const out = prepareForUpload(file)
    expect(out.container).toBe('wav')
    expect(out.durationSec).toBeCloseTo(1, 5)
    const back = decodeWav(out.bytes)
    expect(back).toMatchObject({ sampleRate: 16000, channels: 1, bitsPerSample: 16, format: 'pcm', frames: 16000 })
    expect(out.bytes.length).toBe(44 + 32000)
    expect(goertzel(back.samples[0], 16000, 1000)).toBeGreaterThan(0.05)
  })

  it('refuses a WAV with no audio in it', () => {
    expect(() => prepareForUpload(encodeWav(new Int16Array(0), 16000))).toThrow(AudioFormatError)
  })
})
