/**
 * The real audio stack for tests: PulseAudio with a null-sink speaker (`spk`, 24 kHz mono) and a
 * virtual microphone (`micsink`, 16 kHz mono, whose monitor is the default source). Started by
 * scripts/audio-test-stack.sh, here on demand so `npx vitest run --project audio-stack` works alone.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const exec = promisify(execFile)
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const script = path.join(root, 'scripts/audio-test-stack.sh')

export const SPEAKER_RATE = 24000
export const MIC_RATE = 16000

export interface AudioStack {
  speaker: string
  micSink: string
  micSource: string
}

async function pactlInfoOk(): Promise<boolean> {
  try {
    await exec('pactl', ['info'], { env: process.env, timeout: 5000 })
    return true
  } catch {
    return false
  }
}

let stack: AudioStack | undefined

/**
 * Makes sure the stack answers and the test env (PULSE_SERVER, MIMO_TEST_*) is set in process.env:
 * starts it, or starts it again when its daemon died. Tests never stop it: files of two projects
 * use it at once, so a file that stopped "its" stack would cut off another file's sound. Whoever
 * runs the tests stops it (scripts/test-all.sh at exit; by hand, `audio-test-stack.sh stop`).
 */
export async function ensureAudioStack(): Promise<AudioStack> {
  if (!(process.env.PULSE_SERVER && process.env.MIMO_TEST_SPEAKER && (await pactlInfoOk()))) {
    const { stdout } = await exec('bash', [script, 'start'], { timeout: 60_000 })
    for (const line of stdout.split('\n')) {
      const m = /^export ([A-Z_]+)=(.*)$/.exec(line.trim())
      if (m) process.env[m[1]] = m[2]
    }
  }
  stack = {
    speaker: process.env.MIMO_TEST_SPEAKER ?? 'spk',
    micSink: process.env.MIMO_TEST_MIC_SINK ?? 'micsink',
    micSource: process.env.MIMO_TEST_MIC_SOURCE ?? 'micsink.monitor'
  }
  return stack
}

/** Plays 16 kHz mono PCM16 into the virtual microphone; resolves when it has all been played. */
export function speakIntoMic(pcm: Buffer, sink = stack?.micSink ?? 'micsink'): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('pacat', ['--playback', '--raw', '--format=s16le', `--rate=${MIC_RATE}`, '--channels=1', '-d', sink], {
      stdio: ['pipe', 'ignore', 'pipe']
    })
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.stdin.on('error', () => undefined)
    child.on('error', reject)
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`pacat into ${sink} exited ${code}: ${stderr}`))))
    child.stdin.end(pcm)
  })
}

export interface Capture {
  /** Wall-clock time (performance.now()) of each chunk's arrival and its end offset in samples. */
  readonly arrivals: Array<{ at: number; endSample: number }>
  /** Samples captured so far. */
  samples(): Int16Array
  stop(): Promise<Int16Array>
  readonly process: ChildProcess
}

/** Records a monitor source (default: the speaker's) with a low-latency parecord. Resolves once it delivers audio. */
export async function captureMonitor(source = `${stack?.speaker ?? 'spk'}.monitor`, rate = SPEAKER_RATE): Promise<Capture> {
  const child = spawn('parecord', ['--raw', '--format=s16le', `--rate=${rate}`, '--channels=1', '--latency-msec=10', '-d', source], {
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const chunks: Buffer[] = []
  const arrivals: Array<{ at: number; endSample: number }> = []
  let bytes = 0
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const firstData = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      chunks.push(d)
      bytes += d.length
      arrivals.push({ at: performance.now(), endSample: Math.floor(bytes / 2) })
      resolve()
    })
    child.on('error', reject)
    child.on('close', (code) => reject(new Error(`parecord on ${source} exited ${code} before any audio: ${stderr}`)))
  })
  const collect = () => {
    const all = Buffer.concat(chunks)
    const even = all.subarray(0, all.length - (all.length % 2))
    return new Int16Array(even.buffer.slice(even.byteOffset, even.byteOffset + even.length))
  }
  await firstData
  return {
    arrivals,
    process: child,
    samples: collect,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(collect())
        child.once('close', () => resolve(collect()))
        child.kill('SIGTERM')
      })
  }
}

const speechCache = new Map<string, Buffer>()

/** Speech from espeak-ng as mono PCM16 at `rate` (sox does the conversion). */
export async function makeSpeech(text: string, rate = MIC_RATE): Promise<Buffer> {
  const key = `${rate}:${text}`
  const cached = speechCache.get(key)
  if (cached) return cached
  const dir = await mkdtemp(path.join(tmpdir(), 'mimo-speech-'))
  try {
    const wav = path.join(dir, 'speech.wav')
    const raw = path.join(dir, 'speech.raw')
    await exec('espeak-ng', ['-w', wav, text], { timeout: 20_000 })
    await exec('sox', [wav, '-r', String(rate), '-c', '1', '-e', 'signed', '-b', '16', '-t', 'raw', raw], { timeout: 20_000 })
    const pcm = await readFile(raw)
    speechCache.set(key, pcm)
    return pcm
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

export function pcmFromBuffer(buf: Buffer): Int16Array {
  return new Int16Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length - (buf.length % 2)))
}

export function silence(ms: number, rate: number): Buffer {
  return Buffer.alloc(Math.round((ms * rate) / 1000) * 2)
}

function fft(re: Float64Array, im: Float64Array, inverse: boolean): void {
  const n = re.length
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1
    for (; j & bit; bit >>= 1) j ^= bit
    j ^= bit
    if (i < j) {
      ;[re[i], re[j]] = [re[j], re[i]]
      ;[im[i], im[j]] = [im[j], im[i]]
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const angle = ((inverse ? 2 : -2) * Math.PI) / len
    const wr = Math.cos(angle)
    const wi = Math.sin(angle)
    for (let i = 0; i < n; i += len) {
      let cr = 1
      let ci = 0
      for (let k = 0; k < len / 2; k++) {
        const ar = re[i + k + len / 2] * cr - im[i + k + len / 2] * ci
        const ai = re[i + k + len / 2] * ci + im[i + k + len / 2] * cr
        re[i + k + len / 2] = re[i + k] - ar
        im[i + k + len / 2] = im[i + k] - ai
        re[i + k] += ar
        im[i + k] += ai
        const nr = cr * wr - ci * wi
        ci = cr * wi + ci * wr
        cr = nr
      }
    }
  }
}

/**
 * How well `reference` appears inside `recording`: the normalised cross-correlation at the best lag
 * (0..1; 1 = the same waveform, only shifted). The lag is found with an FFT, then the score is
 * computed exactly over the reference's span at that lag.
 */
export function bestCorrelation(reference: Int16Array, recording: Int16Array): { correlation: number; lag: number } {
  let n = 1
  while (n < reference.length + recording.length) n <<= 1
  const ar = new Float64Array(n)
  const ai = new Float64Array(n)
  const br = new Float64Array(n)
  const bi = new Float64Array(n)
  for (let i = 0; i < recording.length; i++) ar[i] = recording[i]
  for (let i = 0; i < reference.length; i++) br[i] = reference[i]
  fft(ar, ai, false)
  fft(br, bi, false)
  // recording x conj(reference): peaks at the lag where the reference starts inside the recording.
  for (let i = 0; i < n; i++) {
    const r = ar[i] * br[i] + ai[i] * bi[i]
    const im = ai[i] * br[i] - ar[i] * bi[i]
    ar[i] = r
    ai[i] = im
  }
  fft(ar, ai, true)
  let lag = 0
  let best = -Infinity
  for (let l = 0; l < n; l++) {
    const signedLag = l < n - reference.length ? l : l - n
    if (signedLag > recording.length) continue
    if (ar[l] > best) {
      best = ar[l]
      lag = signedLag
    }
  }
  let dot = 0
  let ee = 0
  let rr = 0
  for (let i = 0; i < reference.length; i++) {
    const j = i + lag
    const x = reference[i]
    const y = j >= 0 && j < recording.length ? recording[j] : 0
    dot += x * y
    ee += x * x
    rr += y * y
  }
  return { correlation: ee > 0 && rr > 0 ? dot / Math.sqrt(ee * rr) : 0, lag }
}

/** Index ranges where the absolute level of 10 ms windows exceeds `threshold` (PCM16 units). */
export function soundSpan(pcm: Int16Array, rate: number, threshold = 300): { first: number; last: number } | null {
  const win = Math.round(rate / 100)
  let first = -1
  let last = -1
  for (let at = 0; at < pcm.length; at += win) {
    let peak = 0
    for (let i = at; i < Math.min(pcm.length, at + win); i++) peak = Math.max(peak, Math.abs(pcm[i]))
    if (peak > threshold) {
      if (first < 0) first = at
      last = Math.min(pcm.length, at + win)
    }
  }
  return first < 0 ? null : { first, last }
}

/** A sine tone as PCM16LE mono. */
export function tone(ms: number, rate: number, frequency = 440, amplitude = 0.5): Buffer {
  const n = Math.round((ms * rate) / 1000)
  const out = Buffer.alloc(n * 2)
  for (let i = 0; i < n; i++) out.writeInt16LE(Math.round(Math.sin((2 * Math.PI * frequency * i) / rate) * amplitude * 32767), i * 2)
  return out
}

/**
 * Drops runs of exact digital silence longer than `minMs`. A player starved of CPU on a loaded
 * machine underruns: the sink inserts silence, then plays on from where it stopped. Without those
 * gaps the heard audio must still be the whole input, in order. `gaps` counts the ones inside the
 * audio (not the silence before or after it).
 */
export function withoutSilentGaps(pcm: Int16Array, rate: number, minMs = 5): { pcm: Int16Array; gaps: number } {
  const minRun = Math.max(1, Math.round((minMs * rate) / 1000))
  const out = new Int16Array(pcm.length)
  let n = 0
  let gaps = 0
  for (let i = 0; i < pcm.length; ) {
    if (pcm[i] !== 0) {
      out[n++] = pcm[i++]
      continue
    }
    let j = i
    while (j < pcm.length && pcm[j] === 0) j++
    if (j - i >= minRun) {
      if (i > 0 && j < pcm.length) gaps++
    } else for (let k = i; k < j; k++) out[n++] = 0
    i = j
  }
  return { pcm: out.slice(0, n), gaps }
}

/**
 * "Complete and in order", tolerant of the odd underrun: the reference is cut in `segmentMs` pieces,
 * each is looked for in the recording. Returns each piece's correlation and where it was found.
 */
export function segmentsInOrder(
  reference: Int16Array,
  recording: Int16Array,
  rate: number,
  segmentMs = 250
): { found: Array<{ correlation: number; lag: number }>; share: number; ordered: boolean } {
  const size = Math.round((segmentMs * rate) / 1000)
  const found: Array<{ correlation: number; lag: number }> = []
  const whole = bestCorrelation(reference, recording)
  for (let at = 0; at + size <= reference.length; at += size) {
    const piece = reference.subarray(at, at + size)
    // Look near where the whole reference sits, so a silent or repeated piece does not match elsewhere.
    const from = Math.max(0, whole.lag + at - rate)
    const window = recording.subarray(from, Math.min(recording.length, whole.lag + at + size + rate))
    const best = bestCorrelation(piece, window)
    found.push({ correlation: best.correlation, lag: from + best.lag - at })
  }
  const good = found.map((f, i) => ({ ...f, start: f.lag + i * size })).filter((f) => f.correlation > 0.9)
  const ordered = good.every((f, i) => i === 0 || f.start > good[i - 1].start)
  return { found, share: found.length ? good.length / found.length : 0, ordered }
}
