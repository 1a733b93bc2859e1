/**
 * Dictation, from the key's release to the text inserted into a real X application, against the fake
 * MiMo server (transcription answered after TRANSCRIBE_MS), the low-latency recorder on the PulseAudio
 * test stack, and xclip + xdotool pasting into an xterm under an Xvfb of its own.
 *
 *   eval "$(bash scripts/audio-test-stack.sh start)"; npm run bench:dictation   (RUNS=9 by default;
 *   UPLOAD_FORMAT=lossless sends WAV instead of MP3)
 *
 * Target: release -> text inserted <= transcription time + 100 ms, where the transcription time is the
 * request's own duration (sent to answered). Also measured: how long each recorder takes from start
 * to its first audio, which decides whether a first word spoken with the key can be cut off.
 */
import { execFile, spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { startFakeMimo } from '../test/fake-mimo/server'
import { startPrivateDisplay } from '../test/main/hotkey/private-display'
import { ensureAudioStack, makeSpeech, MIC_RATE, silence, speakIntoMic } from '../test/audio-stack/pulse'
import { MimoClient } from '../src/core/mimo/client'
import { Microphone } from '../src/core/audio/microphone'
import { Recorder, type RecorderProgram } from '../src/core/audio/recorder'
import { CommandClipboard } from '../src/core/dictation/command-clipboard'
import { commandFocusedWindow, commandKeySenders } from '../src/core/dictation/command-keys'
import { DictationService } from '../src/core/dictation/dictation'
import { ReadyMicrophone } from '../src/core/dictation/ready-microphone'
import { TextInserter } from '../src/core/dictation/text-inserter'
import { DEFAULT_SETTINGS, type Settings } from '../src/shared/settings'
import type { Dictation } from '../src/shared/modes'

const RUNS = Math.max(5, Number(process.env.RUNS ?? 9))
const TRANSCRIBE_MS = Number(process.env.TRANSCRIBE_MS ?? 400)
/** How the recording goes up: compact (MP3, the default) or lossless (WAV). */
const UPLOAD_FORMAT = process.env.UPLOAD_FORMAT === 'lossless' ? 'lossless' : 'compact'
const TEXT = 'Please send the quarterly report to the whole team before Friday.'
const run = promisify(execFile)

const now = (): number => performance.now()
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((s.length - 1) * p))]
}
const row = (cells: Array<string | number>): string => `| ${cells.join(' | ')} |`
const ms = (x: number): string => (Number.isFinite(x) ? x.toFixed(0) : '-')

/** Start -> first audio of each recorder, on the stack's virtual microphone. */
async function recorderStart(program: RecorderProgram | 'low-latency', trials = 7): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < trials; i++) {
    const recorder = program === 'low-latency' ? new Recorder({ lowLatency: true }) : new Recorder({ program })
    await recorder.findRecorder()
    const t0 = now()
    const session = recorder.start({ keepAudio: false })
    await new Promise<void>((resolve, reject) => {
      session.on('frame', () => resolve())
      session.on('error', reject)
    })
    out.push(now() - t0)
    session.cancel()
    await sleep(150)
  }
  return out
}

async function main(): Promise<void> {
  await ensureAudioStack()
  const { display } = await startPrivateDisplay()
  const env = { ...process.env, DISPLAY: display }
  const work = await mkdtemp(path.join(tmpdir(), 'mimo-bench-dictation-'))
  const file = path.join(work, 'typed.txt')
  const term = spawn('xterm', ['-geometry', '100x10+0+0', '-e', 'sh', '-c', `cat > ${file}`], { env, stdio: 'ignore' })
  const id = (await run('xdotool', ['search', '--sync', '--onlyvisible', '--class', 'xterm'], { env })).stdout.trim().split('\n')[0]
  await run('xdotool', ['windowfocus', '--sync', id], { env })

  const fake = await startFakeMimo({ transcript: TEXT, latency: { firstTokenMs: TRANSCRIBE_MS } })
  const client = new MimoClient({ baseUrl: fake.url, apiKey: 'test-key', retry: { maxAttempts: 1 } })
  const settings: Settings = { ...DEFAULT_SETTINGS, baseUrl: fake.url, uploadFormat: UPLOAD_FORMAT }
  const microphone = new Microphone()
  const recorder = new Recorder({ lowLatency: true })
  const ready = new ReadyMicrophone({ recorder, microphone, enabled: () => true })
  const dictation = new DictationService({
    client,
    recorder,
    microphone,
    settings: () => settings,
    readyMicrophone: ready,
    inserter: new TextInserter({
      clipboard: new CommandClipboard({ env, platform: 'linux' }),
      keySenders: () => commandKeySenders({ env, platform: 'linux' }),
      focusedWindow: commandFocusedWindow({ env, platform: 'linux' }),
      pasteKey: () => 'auto',
      platform: 'linux'
    })
  })
  ready.update()
  await sleep(800)
  const speech = await makeSpeech(TEXT)

  const results: Dictation[] = []
  for (let i = 0; i < RUNS; i++) {
    const done = new Promise<Dictation>((resolve) => {
      const off = dictation.on('done', (d) => {
        off()
        resolve(d)
      })
    })
    dictation.press()
    await speakIntoMic(Buffer.concat([speech, silence(300, MIC_RATE)]))
    dictation.release()
    const d = await done
    await dictation.settled()
    await run('xdotool', ['key', 'Return'], { env })
    results.push(d)
  }
  await sleep(300)
  const typed = (await readFile(file, 'utf8')).split('\n').filter(Boolean)

  const transcription = results.map((d) => d.timings.transcribed! - d.timings.recorded!)
  const total = results.map((d) => d.timings.inserted!)
  const overhead = results.map((d, i) => total[i] - transcription[i])
  const toRequest = results.map((d) => d.timings.recorded!)
  const toInsert = results.map((d) => d.timings.inserted! - d.timings.transcribed!)

  const starts = {
    parecord: await recorderStart('low-latency'),
    sox: await recorderStart('sox'),
    arecord: await recorderStart('arecord')
  }

  console.log(`\n## Dictation: release to text inserted (${RUNS} runs, ${UPLOAD_FORMAT} upload, transcription answered after ${TRANSCRIBE_MS} ms)\n`)
  console.log(row(['measure', 'median', 'p90', 'max', 'target']))
  console.log(row(['---', '---', '---', '---', '---']))
  console.log(row(['release -> text inserted (ms)', ms(pct(total, 0.5)), ms(pct(total, 0.9)), ms(Math.max(...total)), '']))
  console.log(row(['transcription request (ms)', ms(pct(transcription, 0.5)), ms(pct(transcription, 0.9)), ms(Math.max(...transcription)), '']))
  console.log(row(['**release -> inserted, minus transcription (ms)**', ms(pct(overhead, 0.5)), ms(pct(overhead, 0.9)), ms(Math.max(...overhead)), '<= 100']))
  console.log(row(['  release -> request sent (ms)', ms(pct(toRequest, 0.5)), ms(pct(toRequest, 0.9)), ms(Math.max(...toRequest)), '']))
  console.log(row(['  text back -> keystroke sent (ms)', ms(pct(toInsert, 0.5)), ms(pct(toInsert, 0.9)), ms(Math.max(...toInsert)), '']))
  console.log(`\nText arrived in the xterm ${typed.filter((l) => l === TEXT).length} times out of ${RUNS}; pasted ${results.map((d) => d.via).filter(Boolean)[0] ?? 'not at all'}.`)
  console.log('\n## Recorder start -> first audio (ms)\n')
  console.log(row(['recorder', 'median', 'p90', 'max']))
  console.log(row(['---', '---', '---', '---']))
  for (const [name, xs] of Object.entries(starts)) console.log(row([name, ms(pct(xs, 0.5)), ms(pct(xs, 0.9)), ms(Math.max(...xs))]))

  ready.dispose()
  dictation.dispose()
  await client.close()
  await fake.close()
  term.kill()
  await rm(work, { recursive: true, force: true })
  const worst = pct(overhead, 0.5)
  process.exitCode = worst <= 100 ? 0 : 1
}

void main().then(
  () => process.exit(process.exitCode ?? 0),
  (err: unknown) => {
    console.error(err)
    process.exit(1)
  }
)
