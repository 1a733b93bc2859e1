/**
 * One turn, end to end, against the fake MiMo server with fixed latencies:
 * first token 300 ms, 30 ms per token, TTS first byte 150 ms, synthesis at 0.2 x real time,
 * and a three-sentence reply of about sixty words.
 *
 *   npm run bench:turn            (TURNS=7 by default; the median is reported)
 *
 * Measures
 * - time to first audio, against its floor: first token + the tokens up to the end of the first
 *   chunk sent to speech + TTS first byte (and against the first sentence's floor);
 * - the same against a baseline written with the official `openai` client that waits for the whole
 *   reply, synthesises it whole as WAV (not streamed), then plays it;
 * - gaps between sentences: when the player would run dry, from the sink's write times and the
 *   audio duration written (the server is faster than real time here);
 * - stop-to-silence with the real pacat player on the PulseAudio test stack, heard on the speaker's
 *   monitor (when the stack is up; `eval "$(bash scripts/audio-test-stack.sh start)"`).
 */
import { spawn, execFile } from 'node:child_process'
import { EventEmitter } from 'node:events'
import { promisify } from 'node:util'
import OpenAI from 'openai'
import { startFakeMimo, type FakeLatency } from '../test/fake-mimo/server'
import { tokenize } from '../test/fake-mimo/replies'
import { MimoClient } from '../src/core/mimo/client'
import { openaiBaselineTurn } from './openai-baseline'
import { measureLevel } from '../src/core/audio/level'
import { createPlayer } from '../src/core/audio/player'
import { createAssistant } from '../src/core/assistant/assistant'
import { createVoiceResolver } from '../src/core/assistant/voice-resolver'
import { BYTES_PER_SECOND, type SpeechSink } from '../src/core/assistant/speech-queue'
import type { RecorderPort } from '../src/core/audio/recorder'
import type { ChatClient } from '../src/core/assistant/synthesizer'
import { DEFAULT_SETTINGS, type Settings } from '../src/shared/settings'
import { median } from './stats'

const LATENCY: FakeLatency = { firstTokenMs: 300, perTokenMs: 30, ttsFirstByteMs: 150, ttsRealtimeFactor: 0.2 }
const REPLY =
  'Beijing is clear and sunny today, with a light breeze from the north and almost no clouds. ' +
  'The temperature climbs to about twenty-five degrees by mid-afternoon, then drops to around twelve after sunset. ' +
  'If you go out this evening, take a light jacket and enjoy the calm, dry air while it lasts, because rain may arrive tomorrow.'
const QUESTION = 'What is the weather like in Beijing today?'
const TURNS = Math.max(5, Number(process.env.TURNS ?? 7))
const STOP_TRIALS = Math.max(5, Number(process.env.STOP_TRIALS ?? 5))

const now = (): number => performance.now()
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
const fmt = (x: number): string => `${Math.round(x)} ms`

/** A sink that records when each piece was written; it "plays" in real time only in the model below. */
class TimedSink extends EventEmitter implements SpeechSink {
  writes: Array<{ at: number; bytes: number }> = []
  write(pcm: Buffer): void {
    this.writes.push({ at: now(), bytes: pcm.length })
  }
  async end(): Promise<void> {}
  stop(): void {}
}

/** Longest time a real-time player would have sat with nothing to play, between two writes. */
function gaps(writes: Array<{ at: number; bytes: number }>, boundaries: Set<number>): { between: number; within: number } {
  let playEnd = 0
  let between = 0
  let within = 0
  writes.forEach((w, i) => {
    if (playEnd > 0 && w.at > playEnd) {
      const gap = w.at - playEnd
      if (boundaries.has(i)) between = Math.max(between, gap)
      else within = Math.max(within, gap)
    }
    playEnd = Math.max(playEnd, w.at) + (w.bytes * 1000) / BYTES_PER_SECOND
  })
  return { between, within }
}

const noRecorder: RecorderPort = {
  start() {
    throw new Error('no microphone in this benchmark')
  }
}

async function main(): Promise<void> {
  const fake = await startFakeMimo({ reply: REPLY, latency: { firstTokenMs: 0, perTokenMs: 0, ttsFirstByteMs: 0, ttsRealtimeFactor: 0 } })
  const client = new MimoClient({ baseUrl: fake.url, apiKey: 'test-key' })
  const settings: Settings = { ...DEFAULT_SETTINGS, baseUrl: fake.url }
  // Stamps what the client hands over, to tell the pipeline's own time from the server's timer drift.
  let textSoFar = ''
  let chunkEndAt: number | null = null
  let ttsStartAt: number | null = null
  let ttsFirstAudioAt: number | null = null
  let firstWriteAt: number | null = null
  let chunkEndChar = Infinity
  const stamped: ChatClient = {
    complete: (req, o) => client.complete(req, o),
    chat(req, o) {
      const isTts = req.model.includes('tts')
      const startedAt = now()
      const events = client.chat(req, o)
      return (async function* () {
        for await (const e of events) {
          const at = now()
          if (!isTts && e.type === 'text') {
            textSoFar += e.text
            if (chunkEndAt === null && textSoFar.length >= chunkEndChar) chunkEndAt = at
          }
          if (isTts && e.type === 'audio' && ttsFirstAudioAt === null) {
            ttsStartAt = startedAt
            ttsFirstAudioAt = at
          }
          yield e
        }
      })()
    }
  }
  const tokens = tokenize(REPLY)
  /** When the token holding character `end` of the reply arrives, after the first token. */
  const tokenArrival = (end: number): number => {
    let seen = 0
    for (let k = 0; k < tokens.length; k++) {
      seen += tokens[k].length
      if (seen >= end) return LATENCY.firstTokenMs + k * LATENCY.perTokenMs
    }
    return LATENCY.firstTokenMs + (tokens.length - 1) * LATENCY.perTokenMs
  }
  const sentenceFloor = tokenArrival(REPLY.indexOf('.') + 1) + LATENCY.ttsFirstByteMs

  // ---------------------------------------------------------------- the pipeline
  let sink = new TimedSink()
  let boundaries = new Set<number>()
  let firstChunk = ''
  let ttsRequests = 0
  let sentences = 0
  const makeAssistant = (speculativeTts: boolean) => createAssistant({
    client: stamped,
    speculativeTts,
    recorder: noRecorder,
    createSink: async () => sink,
    settings: () => settings,
    voices: createVoiceResolver(),
    realtimeSink: true,
    clock: now,
    onSpeechEvent: (_id, e) => {
      if (e.type === 'tts-request') ttsRequests++
      if (e.type === 'sentence-start') {
        sentences++
        boundaries.add(sink.writes.length)
        if (e.index === 0) firstChunk = e.text
      }
    }
  })
  const assistant = makeAssistant(true)
  // Warm-up: connections open, every sentence's speech made once (the fake caches espeak-ng output).
  await assistant.settled(assistant.ask(QUESTION).turnId)
  fake.setLatency(LATENCY)
  const connectionsBefore = new Set(fake.requests.map((r) => r.connection))
  const requestsBefore = fake.requests.length

  const pipeline: Array<{ ttfa: number; chunkFloor: number; between: number; within: number; spec: number; own: number; drift: number }> = []
  chunkEndChar = REPLY.indexOf(firstChunk) + firstChunk.length
  for (let i = 0; i < TURNS; i++) {
    sink = new TimedSink()
    boundaries = new Set()
    ttsRequests = 0
    sentences = 0
    textSoFar = ''
    chunkEndAt = ttsStartAt = ttsFirstAudioAt = null
    const view = await assistant.settled(assistant.ask(QUESTION).turnId)
    firstWriteAt = sink.writes[0]?.at ?? null
    if (view.status !== 'done') throw new Error(`turn ${i} ended ${view.status}: ${view.status === 'error' ? view.error.message : ''}`)
    const chunkFloor = tokenArrival(REPLY.indexOf(firstChunk) + firstChunk.length) + LATENCY.ttsFirstByteMs
    const g = gaps(sink.writes, boundaries)
    // The pipeline's own share: from the chunk's last token to its TTS request, and from the first
    // audio event to the sink. The rest is the fake server's timers and the network.
    const own = ttsStartAt! - chunkEndAt! + (firstWriteAt! - ttsFirstAudioAt!)
    const drift = view.timings.firstAudio! - chunkFloor - own
    pipeline.push({ ttfa: view.timings.firstAudio!, chunkFloor, ...g, spec: ttsRequests - sentences, own, drift })
  }

  const measured = fake.requests.slice(requestsBefore)

  // The same turns without speculative TTS: the first chunk's speech waits for the token after it.
  const plain = makeAssistant(false)
  const withoutSpeculation: number[] = []
  for (let i = 0; i < TURNS; i++) {
    sink = new TimedSink()
    const view = await plain.settled(plain.ask(QUESTION).turnId)
    withoutSpeculation.push(view.timings.firstAudio! - tokenArrival(chunkEndChar) - LATENCY.ttsFirstByteMs)
  }
  plain.dispose()
  const newConnections = new Set(measured.map((r) => r.connection).filter((c) => !connectionsBefore.has(c))).size

  // ---------------------------------------------------------------- the baseline
  const openai = new OpenAI({ baseURL: fake.url, apiKey: 'test-key', maxRetries: 0 })
  const baseline: number[] = []
  for (let i = 0; i < TURNS; i++) {
    const t0 = now()
    const pcm = await openaiBaselineTurn(openai, { systemPrompt: settings.systemPrompt, question: QUESTION })
    const player = new TimedSink()
    player.write(Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength))
    baseline.push(player.writes[0].at - t0)
  }

  // ---------------------------------------------------------------- stop to silence
  const stop = await stopToSilence(client, fake.url)

  assistant.dispose()
  await client.close()
  await fake.close()

  const overChunk = pipeline.map((p) => p.ttfa - p.chunkFloor)
  const overSentence = pipeline.map((p) => p.ttfa - sentenceFloor)
  const ttfa = median(pipeline.map((p) => p.ttfa))
  const base = median(baseline)
  const maxBetween = Math.max(...pipeline.map((p) => p.between))
  const maxWithin = Math.max(...pipeline.map((p) => p.within))
  const rows: string[][] = [
    ['Time to first audio (pipeline)', '', fmt(ttfa), `${fmt(Math.min(...pipeline.map((p) => p.ttfa)))} – ${fmt(Math.max(...pipeline.map((p) => p.ttfa)))}`, ''],
    [
      `… minus its floor (first token + tokens to the end of the first chunk "${firstChunk}" + TTS first byte = ${fmt(pipeline[0].chunkFloor)})`,
      '≤ 10 ms',
      fmt(median(overChunk)),
      `${fmt(Math.min(...overChunk))} – ${fmt(Math.max(...overChunk))}`,
      median(overChunk) <= 10 ? 'pass' : 'FAIL'
    ],
    [
      '… minus the floor as measured (the chunk\'s last token as it arrived + the TTS first byte as it arrived): the pipeline\'s own time',
      '≤ 10 ms',
      `${median(pipeline.map((p) => p.own)).toFixed(1)} ms`,
      `${Math.min(...pipeline.map((p) => p.own)).toFixed(1)} – ${Math.max(...pipeline.map((p) => p.own)).toFixed(1)} ms`,
      median(pipeline.map((p) => p.own)) <= 10 ? 'pass' : 'FAIL'
    ],
    [
      "… the rest: the fake server's timers and HTTP (tokens and TTS first byte later than nominal)",
      '',
      fmt(median(pipeline.map((p) => p.drift))),
      `${fmt(Math.min(...pipeline.map((p) => p.drift)))} – ${fmt(Math.max(...pipeline.map((p) => p.drift)))}`,
      ''
    ],
    [
      '… minus its floor, without speculative TTS (speech waits for the token after the chunk)',
      '',
      fmt(median(withoutSpeculation)),
      `${fmt(Math.min(...withoutSpeculation))} – ${fmt(Math.max(...withoutSpeculation))}`,
      ''
    ],
    [`… minus the first sentence's floor (${fmt(sentenceFloor)})`, '', fmt(median(overSentence)), `${fmt(Math.min(...overSentence))} – ${fmt(Math.max(...overSentence))}`, 'negative: the first chunk ends at a comma'],
    ['Time to first audio, baseline (openai client, whole reply, whole WAV)', '', fmt(base), `${fmt(Math.min(...baseline))} – ${fmt(Math.max(...baseline))}`, ''],
    ['Ratio pipeline / baseline', '≤ 0.25', (ttfa / base).toFixed(3), '', ttfa / base <= 0.25 ? 'pass' : 'FAIL'],
    ['Longest gap between sentences (player would run dry)', '≤ 30 ms', fmt(maxBetween), `inside sentences: ${fmt(maxWithin)}`, maxBetween <= 30 ? 'pass' : 'FAIL'],
    [stop.label, '≤ 50 ms', stop.median === null ? 'n/a' : fmt(stop.median), stop.range, stop.median === null ? 'not measured' : stop.median <= 50 ? 'pass' : 'FAIL']
  ]
  const out = [
    `Turn benchmark: ${TURNS} turns (median), fake server latencies: first token ${LATENCY.firstTokenMs} ms, ${LATENCY.perTokenMs} ms per token, ` +
      `TTS first byte ${LATENCY.ttsFirstByteMs} ms, synthesis ${LATENCY.ttsRealtimeFactor} x real time; reply ${REPLY.split(/\s+/).length} words in 3 sentences.`,
    '',
    '| measure | target | median | range | result |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
    `Speculative TTS requests dropped per turn (median): ${median(pipeline.map((p) => p.spec))}. ` +
      `${measured.length} requests in the measured turns used ${newConnections} new connection(s) (keep-alive). ${stop.note}`
  ]
  console.log(out.join('\n'))
}

interface StopResult {
  label: string
  median: number | null
  range: string
  note: string
}

/**
 * Speaks through pacat into the test stack's speaker, listens on its monitor, calls stop() while a
 * word is sounding, and measures how long until the monitor goes quiet.
 */
async function stopToSilence(client: MimoClient, baseUrl: string): Promise<StopResult> {
  const label = 'Stop to silence (pacat, heard on the speaker monitor)'
  const speaker = process.env.MIMO_TEST_SPEAKER
  const up =
    !!process.env.PULSE_SERVER &&
    !!speaker &&
    (await promisify(execFile)('pactl', ['info'], { timeout: 3000 }).then(
      () => true,
      () => false
    ))
  if (!up) {
    return {
      label,
      median: null,
      range: '',
      note: 'Stop to silence was not measured: the PulseAudio test stack is not up (eval "$(bash scripts/audio-test-stack.sh start)").'
    }
  }
  // The monitor, read in 10 ms pieces, each stamped on arrival.
  const monitor = spawn('parecord', ['--raw', '--format=s16le', '--rate=24000', '--channels=1', '--latency-msec=10', '-d', `${speaker}.monitor`], {
    stdio: ['ignore', 'pipe', 'ignore']
  })
  const heard: Array<{ at: number; loud: boolean }> = []
  let carry = Buffer.alloc(0)
  monitor.stdout.on('data', (d: Buffer) => {
    const at = now()
    let data = Buffer.concat([carry, d])
    const whole = data.length - (data.length % 480) // 10 ms pieces
    carry = data.subarray(whole)
    data = data.subarray(0, whole)
    for (let o = 0; o < data.length; o += 480) {
      const piece = new Int16Array(data.buffer.slice(data.byteOffset + o, data.byteOffset + o + 480))
      heard.push({ at, loud: measureLevel(piece).rmsDbfs > -45 })
    }
  })
  await sleep(300)

  const settings: Settings = { ...DEFAULT_SETTINGS, baseUrl }
  const assistant = createAssistant({
    client,
    recorder: noRecorder,
    createSink: () => createPlayer({ program: 'pacat' }),
    settings: () => settings,
    voices: createVoiceResolver(),
    realtimeSink: true
  })
  const results: number[] = []
  for (let i = 0; i < STOP_TRIALS; i++) {
    const { turnId } = assistant.ask(QUESTION)
    const deadline = now() + 15_000
    while (assistant.snapshot().state.phase !== 'speaking' && now() < deadline) await sleep(10)
    await sleep(1200 + i * 137)
    // Stop while a word is sounding, so the silence after it is the stop's doing.
    while (!(heard.length > 3 && heard.slice(-3).every((h) => h.loud)) && now() < deadline) await sleep(2)
    const stopAt = now()
    assistant.stop()
    await assistant.settled(turnId)
    await sleep(400)
    const after = heard.filter((h) => h.at >= stopAt)
    const lastLoud = [...after].reverse().find((h) => h.loud)
    results.push(lastLoud ? lastLoud.at - stopAt : 0)
    await sleep(300)
  }
  assistant.dispose()
  monitor.kill()
  return {
    label,
    median: median(results),
    range: `${fmt(Math.min(...results))} – ${fmt(Math.max(...results))}`,
    note: `Stop to silence: stop() to the arrival of the last loud 10 ms piece on ${speaker}.monitor (includes the monitor's own ~10 ms capture latency), ${STOP_TRIALS} trials.`
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})
