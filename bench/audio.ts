/**
 * Audio latencies on the PulseAudio test stack (started if needed):
 * - first byte written -> sound at the sink, per player (player started and idle, then a tone
 *   streamed in 100 ms chunks; onset found in spk.monitor read by a 10 ms parecord);
 * - stop() -> silence at the sink;
 * - underruns: gaps in 5 s of tone streamed in 100 ms chunks a little faster than real time (as
 *   TTS arrives), i.e. times the player was starved of CPU; counts depend on the machine's load;
 * - recorder start() -> first level reading (50 ms of audio in hand), per recorder;
 * - release -> upload-ready for 10 s of speech (trim + WAV encode + base64 data URI), and for the
 *   compact upload (MP3 encoded while recording: only the last frames and base64 are left).
 * Times at the sink are placed with the capture's chunk arrival times, so they include the
 * capture's own delay (up to ~10 ms): an upper bound.
 *
 *   npx tsx bench/audio.ts [--runs 9] [--latency 50]
 *   UPLOAD_ONLY=1 npx tsx bench/audio.ts     the upload rows alone (no audio stack)
 */
import { encodeWav } from '../src/core/audio/wav'
import { trimSilence } from '../src/core/audio/level'
import { startUploadEncoding } from '../src/core/audio/upload-encoding'
import { createPlayer, type PlayerProgram } from '../src/core/audio/player'
import { Recorder, type RecorderProgram } from '../src/core/audio/recorder'
import { captureMonitor, ensureAudioStack, makeSpeech, tone, withoutSilentGaps, type Capture } from '../test/audio-stack/pulse'

const args = process.argv.slice(2)
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? Number(args[i + 1]) : fallback
}
const RUNS = flag('runs', 9)
const LATENCY = flag('latency', 50)
const RATE = 24000
const THRESHOLD = 1000 // PCM16 units: the tone is at 0.5 full scale, silence is exact zero

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b)
  if (s.length === 0) return NaN
  const pos = (s.length - 1) * q
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  return s[lo] + (s[hi] - s[lo]) * (pos - lo)
}

/** When sample `index` of the capture sounded, by the arrival time of the chunk that carried it. */
function timeOfSample(capture: Capture, index: number): number | undefined {
  const chunk = capture.arrivals.find((a) => a.endSample > index)
  if (!chunk) return undefined
  return chunk.at - ((chunk.endSample - 1 - index) * 1000) / RATE
}

function sampleIndexAt(capture: Capture, time: number): number {
  // The newest sample captured by `time` (everything after it sounded later).
  let index = 0
  for (const a of capture.arrivals) if (a.at <= time) index = a.endSample
  return index
}

function firstLoud(pcm: Int16Array, from: number): number {
  for (let i = from; i < pcm.length; i++) if (Math.abs(pcm[i]) > THRESHOLD) return i
  return -1
}

function lastLoud(pcm: Int16Array): number {
  for (let i = pcm.length - 1; i >= 0; i--) if (Math.abs(pcm[i]) > THRESHOLD) return i
  return -1
}

async function firstByteToSound(program: PlayerProgram): Promise<number[]> {
  const results: number[] = []
  const capture = await captureMonitor()
  try {
    for (let run = 0; run < RUNS; run++) {
      const sink = await createPlayer({ program, latencyMs: LATENCY })
      await sleep(300) // started and idle, as when the first TTS chunk arrives
      const chunk = tone(100, RATE, 440, 0.5)
      const from = capture.samples().length
      const t0 = performance.now()
      for (let i = 0; i < 5; i++) {
        sink.write(chunk)
        await sleep(100)
      }
      await sleep(300)
      const pcm = capture.samples()
      // Samples captured before t0 cannot be the onset.
      const onset = firstLoud(pcm, Math.max(from, sampleIndexAt(capture, t0)))
      const at = onset >= 0 ? timeOfSample(capture, onset) : undefined
      if (at !== undefined) results.push(at - t0)
      sink.stop()
      await sleep(200)
    }
  } finally {
    await capture.stop()
  }
  return results
}

async function stopToSilence(program: PlayerProgram): Promise<number[]> {
  const results: number[] = []
  const capture = await captureMonitor()
  try {
    for (let run = 0; run < RUNS; run++) {
      const sink = await createPlayer({ program, latencyMs: LATENCY })
      sink.write(tone(3000, RATE, 440, 0.5))
      await sleep(700)
      const t0 = performance.now()
      sink.stop()
      await sleep(400)
      const pcm = capture.samples()
      const last = lastLoud(pcm)
      const at = last >= 0 ? timeOfSample(capture, last) : undefined
      if (at !== undefined) results.push(at - t0)
      await sleep(100)
    }
  } finally {
    await capture.stop()
  }
  return results
}

async function underruns(program: PlayerProgram, latencyMs: number): Promise<number[]> {
  const results: number[] = []
  for (let run = 0; run < 3; run++) {
    const capture = await captureMonitor()
    const sink = await createPlayer({ program, latencyMs })
    const chunk = tone(100, RATE, 440, 0.5)
    for (let i = 0; i < 50; i++) {
      sink.write(chunk)
      await sleep(80)
    }
    await sink.end()
    await sleep(100)
    results.push(withoutSilentGaps(await capture.stop(), RATE).gaps)
  }
  return results
}

async function recorderStart(program: RecorderProgram): Promise<number[]> {
  const results: number[] = []
  for (let run = 0; run < Math.min(RUNS, 5); run++) {
    const t0 = performance.now()
    const session = new Recorder({ program }).start()
    await new Promise<void>((resolve, reject) => {
      session.on('level', () => resolve())
      session.on('error', reject)
    })
    results.push(performance.now() - t0)
    await session.stop()
  }
  return results
}

/** 10 s of speech at 16 kHz with half a second of silence on each side, as a recording would be. */
async function tenSecondsOfSpeech(): Promise<Int16Array> {
  const phrase = await makeSpeech('What is the weather like in Beijing today, and should I take an umbrella when I go out this afternoon?', 16000)
  const total = 16000 * 11
  const pcm = new Int16Array(total)
  const speech = new Int16Array(phrase.buffer.slice(phrase.byteOffset, phrase.byteOffset + phrase.length))
  for (let at = 8000; at + speech.length <= total - 8000; at += speech.length + 1600) pcm.set(speech, at)
  return pcm
}

async function uploadReady(): Promise<number[]> {
  const pcm = await tenSecondsOfSpeech()
  const results: number[] = []
  for (let run = -3; run < Math.max(RUNS, 20); run++) {
    const t0 = performance.now()
    const trimmed = trimSilence(pcm, 16000)
    const uri = `data:audio/wav;base64,${encodeWav(trimmed.pcm, 16000).toString('base64')}`
    if (run >= 0) results.push(performance.now() - t0) // the first 3 warm the JIT up
    if (uri.length < 1000) throw new Error('nothing encoded')
  }
  return results
}

/**
 * The compact upload: 10 s of speech fed to the MP3 encoder in 50 ms frames as a recording would
 * (not timed), then what is left at the release: the last frames and the data URI.
 */
async function compactUploadReady(): Promise<{ times: number[]; ratio: number }> {
  const pcm = await tenSecondsOfSpeech()
  const times: number[] = []
  let ratio = 0
  for (let run = -3; run < Math.max(RUNS, 20); run++) {
    const encoder = startUploadEncoding('compact', 16000)
    for (let at = 0; at < pcm.length; at += 800) encoder.push(pcm.subarray(at, at + 800))
    await new Promise((r) => setTimeout(r, 20)) // the encoder keeps up while the key is held
    const t0 = performance.now()
    const mp3 = await encoder.finish({ pcm, sampleRate: 16000 })
    const uri = `data:audio/mpeg;base64,${mp3.toString('base64')}`
    if (run >= 0) times.push(performance.now() - t0)
    ratio = encodeWav(pcm, 16000).length / mp3.length
    if (uri.length < 1000) throw new Error('nothing encoded')
  }
  return { times, ratio }
}

async function main(): Promise<void> {
  const rows: string[][] = []
  const add = (measure: string, who: string, values: number[], target: string) =>
    rows.push([measure, who, String(values.length), quantile(values, 0.5).toFixed(1), quantile(values, 0.9).toFixed(1), target])
  const compact = async (): Promise<void> => {
    const { times, ratio } = await compactUploadReady()
    add(`release -> upload-ready, 10 s speech (ms); ${ratio.toFixed(1)} x smaller than WAV`, 'MP3 encoded while recording + base64', times, '<= 5')
  }
  // UPLOAD_ONLY=1: the upload rows alone, no audio stack needed.
  if (process.env.UPLOAD_ONLY) {
    add('release -> upload-ready, 10 s speech (ms)', 'trim + WAV + base64', await uploadReady(), '<= 10')
    await compact()
    printRows(rows)
    return
  }
  await ensureAudioStack()
  for (const program of ['pacat', 'aplay', 'play'] as const) {
    const label = program === 'pacat' ? `pacat --latency-msec=${LATENCY}` : program
    add('first byte -> sound (ms)', label, await firstByteToSound(program), program === 'pacat' ? '<= 60' : '')
    add('stop() -> silence (ms)', label, await stopToSilence(program), '<= 50')
  }
  for (const [program, latency] of [['pacat', LATENCY], ['pacat', 100], ['aplay', 0], ['play', 0]] as const) {
    add('underrun gaps in 5 s streamed (count)', program === 'pacat' ? `pacat --latency-msec=${latency}` : program, await underruns(program, latency), '0')
  }
  for (const program of ['sox', 'rec', 'arecord'] as const) add('start() -> first level (ms)', program, await recorderStart(program), '')
  add('release -> upload-ready, 10 s speech (ms)', 'trim + WAV + base64', await uploadReady(), '<= 10')
  await compact()
  printRows(rows)
}

function printRows(rows: string[][]): void {
  console.log('| measure | with | runs | median | p90 | target |')
  console.log('|---|---|---|---|---|---|')
  for (const r of rows) console.log(`| ${r.join(' | ')} |`)
}

main().catch((err) => {
  console.error(err)
  process.exitCode = 1
})
