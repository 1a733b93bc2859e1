/**
 * Spoken turns over an emulated network: the fake MiMo service over HTTPS (a certificate made at
 * run time, trusted through the client's `ca` option) behind the loopback link emulator
 * (test/fake-mimo/link-emulator.ts): one-way delay, bandwidth per direction shared by every
 * connection, the TCP handshake charged, idle connections closed after 5 s, bytes counted.
 *
 *   npx tsx bench/network.ts                 every profile, scenario and question length, 5 runs each
 *   PROFILES=poor QUESTIONS=15 RUNS=1 IDLE_MS=6000 PROTOCOLS=h1,h2 SCENARIOS=idle npx tsx bench/network.ts   a quick look
 *
 * Service latencies as in bench/turn: first token 300 ms, 30 ms per token, TTS first byte 150 ms,
 * synthesis at 0.2 x real time. The question is "spoken" by a recorder that hands the assistant
 * 50 ms frames in real time for 3 s or 15 s (so warm-up, idle limits and encoding happen while
 * the key is held, as they would); the key is released when the last frame is out.
 *
 * Scenarios: the first turn after start (a new client; the app-start warm-up, then the key 1 s later),
 * a turn after 30 s idle (the link has closed every connection), back-to-back turns.
 *
 * Measures per cell (median of RUNS): time to first audio from the release; its floor = first token +
 * the tokens up to the end of the first spoken chunk + TTS first byte + two round trips (answer and
 * speech) + the answer request's upload at the uplink's bandwidth; bytes uploaded: the answer
 * request's body (audio, system prompt, history), its audio per second of speech (as sent, in
 * base64), and the whole turn on the wire (handshakes, speech requests, the transcript).
 *
 * Baseline: the official `openai` client the plain way: a new connection per request, the question
 * as WAV, the whole reply, then the whole speech as WAV. A new connection per request makes it the
 * same in every scenario, so it is measured once per profile and question length.
 */
import { Agent, fetch as undiciFetch } from 'undici'
import OpenAI from 'openai'
import { EventEmitter } from 'node:events'
import { startFakeMimo, type FakeLatency, type FakeMimo } from '../test/fake-mimo/server'
import { makeTestCertificate, type TestCertificate } from '../test/fake-mimo/certificate'
import { startLinkEmulator, LINK_PROFILES, type LinkEmulator, type LinkProfile } from '../test/fake-mimo/link-emulator'
import { tokenize } from '../test/fake-mimo/replies'
import { voicePcm } from '../test/core/assistant/fake-recorder'
import { MimoClient } from '../src/core/mimo/client'
import { createAssistant, type Assistant } from '../src/core/assistant/assistant'
import type { RecorderPort, Recording, RecordingSessionPort } from '../src/core/audio/recorder'
import { createVoiceResolver } from '../src/core/assistant/voice-resolver'
import type { SpeechSink } from '../src/core/assistant/speech-queue'
import { encodeWav } from '../src/core/audio/wav'
import { openaiBaselineTurn } from './openai-baseline'
import { DEFAULT_SETTINGS, type Settings } from '../src/shared/settings'
import type { LevelReading } from '../src/shared/assistant'
import { median } from './stats'

const LATENCY: FakeLatency = { firstTokenMs: 300, perTokenMs: 30, ttsFirstByteMs: 150, ttsRealtimeFactor: 0.2 }
const REPLY =
  'Beijing is clear and sunny today, with a light breeze from the north and almost no clouds. ' +
  'The temperature climbs to about twenty-five degrees by mid-afternoon, then drops to around twelve after sunset. ' +
  'If you go out this evening, take a light jacket and enjoy the calm, dry air while it lasts, because rain may arrive tomorrow.'
const RUNS = Math.max(1, Number(process.env.RUNS ?? 5))
const IDLE_MS = Number(process.env.IDLE_MS ?? 30_000)
const PROFILES = (process.env.PROFILES ?? 'good,far,poor').split(',').map((p) => LINK_PROFILES[p as keyof typeof LINK_PROFILES])
const QUESTIONS = (process.env.QUESTIONS ?? '3,15').split(',').map(Number)
/** h1: HTTP/1.1, the client's default; h2: HTTP/2 through ALPN (the client's `http2` option). */
const PROTOCOLS = (process.env.PROTOCOLS ?? 'h1').split(',') as Array<'h1' | 'h2'>
const SCENARIOS = (process.env.SCENARIOS ?? 'first,idle,back-to-back').split(',') as Scenario[]
const BASELINE = process.env.BASELINE !== '0'
type Scenario = 'first' | 'idle' | 'back-to-back'

const now = (): number => performance.now()
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** A microphone that "hears" `pcm`: 50 ms frames in real time, stopped by the release. */
class PacedRecorder implements RecorderPort {
  constructor(private readonly pcm: Int16Array) {}
  start(): RecordingSessionPort {
    const pcm = this.pcm
    const emitter = new EventEmitter()
    const frame = 800
    let at = 0
    const startedAt = now()
    const timer = setInterval(() => {
      // Frames due by now (the interval runs late under load; the audio does not).
      const due = Math.min(pcm.length, Math.floor(((now() - startedAt) / 1000) * 16000 / frame) * frame)
      while (at < due) {
        const piece = pcm.subarray(at, at + frame)
        at += piece.length
        emitter.emit('frame', piece)
        emitter.emit('level', { rmsDbfs: -20, peakDbfs: -6, speech: true, elapsedMs: Math.round((at / 16000) * 1000) } satisfies LevelReading)
      }
    }, 50)
    const session: RecordingSessionPort = {
      on: ((e: string, l: (...a: unknown[]) => void) => emitter.on(e, l)) as RecordingSessionPort['on'],
      async stop(): Promise<Recording> {
        clearInterval(timer)
        const got = pcm.subarray(0, at)
        return { pcm: got, sampleRate: 16000, durationMs: Math.round((got.length / 16000) * 1000), heardSpeech: true }
      },
      cancel: () => clearInterval(timer)
    }
    return session
  }
}

class NullSink extends EventEmitter implements SpeechSink {
  write(): void {}
  async end(): Promise<void> {}
  stop(): void {}
}

interface Stack {
  fake: FakeMimo
  link: LinkEmulator
  profile: LinkProfile
  tls: TestCertificate
}

interface TurnResult {
  firstAudio: number
  floor: number
  answerUpload: number
  /** The question's audio as sent (base64 characters). */
  audioUpload: number
  turnUpload: number
  connectMs: number
  uploadMs: number
}

const tokens = tokenize(REPLY)

/** When the token holding character `end` of the reply is due, from the request's arrival. */
function tokenArrival(end: number): number {
  let seen = 0
  for (let k = 0; k < tokens.length; k++) {
    seen += tokens[k].length
    if (seen >= end) return LATENCY.firstTokenMs + k * LATENCY.perTokenMs
  }
  return LATENCY.firstTokenMs + (tokens.length - 1) * LATENCY.perTokenMs
}

/** The first spoken chunk (what the speech queue sends first): the reply up to its first comma or full stop. */
const FIRST_CHUNK_END = REPLY.search(/[,.]/) + 1

function floorOf(profile: LinkProfile, answerBodyBytes: number): number {
  // Request line and headers, and TLS framing: a few hundred bytes beside the body.
  const uploadMs = (answerBodyBytes + 400) / (profile.upMbps * 125)
  return tokenArrival(FIRST_CHUNK_END) + LATENCY.ttsFirstByteMs + 2 * profile.rttMs + uploadMs
}

function newClient(stack: Stack, protocol: 'h1' | 'h2'): MimoClient {
  return new MimoClient({ baseUrl: stack.link.url('/v1'), apiKey: 'test-key', ca: stack.tls.cert, http2: protocol === 'h2' })
}

function newAssistant(client: MimoClient, stack: Stack, seconds: number): Assistant {
  const settings: Settings = { ...DEFAULT_SETTINGS, baseUrl: stack.link.url('/v1'), maxRecordingSec: 60, stopOnSilence: false }
  return createAssistant({
    client,
    connections: client,
    recorder: new PacedRecorder(voicePcm(seconds * 1000)),
    createSink: async () => new NullSink(),
    settings: () => settings,
    voices: createVoiceResolver(),
    realtimeSink: true
  })
}

async function spokenTurn(assistant: Assistant, stack: Stack, seconds: number): Promise<TurnResult> {
  const before = stack.fake.requests.length
  const upBefore = stack.link.counters().up
  assistant.press()
  await sleep(seconds * 1000 + 60)
  const releasedAt = now()
  const { turnId } = assistant.release()
  const view = await assistant.settled(turnId!)
  if (view.status !== 'done') throw new Error(`turn ended ${view.status}: ${view.status === 'error' ? view.error.message : ''}`)
  // The transcript follows the first audio: wait for it so the turn's bytes are all counted.
  const deadline = now() + 20_000
  while (assistant.snapshot().turns.find((t) => t.id === turnId)?.transcribing && now() < deadline) await sleep(20)
  const answer = stack.fake.requests.slice(before).find((r) => r.stream && r.model === 'mimo-v2.5')!
  // TRACE=1: each turn's stages, when the service had the whole question, and which connection carried each request.
  if (process.env.TRACE)
    console.error(JSON.stringify(view.timings), `question received at +${Math.round(answer.receivedAt - releasedAt)} ms`, stack.fake.requests.slice(before).map((r) => `${r.model}#${r.connection}`).join(' '))
  return {
    firstAudio: view.timings.firstAudio!,
    floor: floorOf(stack.profile, answer.bodyBytes),
    answerUpload: answer.bodyBytes,
    audioUpload: 4 * Math.ceil((answer.audio?.[0]?.bytes ?? 0) / 3),
    turnUpload: stack.link.counters().up - upBefore,
    connectMs: view.timings.connectMs ?? 0,
    uploadMs: view.timings.uploadMs ?? 0
  }
}

async function pipelineCell(stack: Stack, protocol: 'h1' | 'h2', scenario: Scenario, seconds: number): Promise<TurnResult[]> {
  const results: TurnResult[] = []
  if (scenario === 'first') {
    for (let i = 0; i < RUNS; i++) {
      const client = newClient(stack, protocol)
      const assistant = newAssistant(client, stack, seconds)
      await client.warm(0) // the app starts
      await sleep(1000)
      results.push(await spokenTurn(assistant, stack, seconds))
      assistant.dispose()
      await client.close()
      await sleep(200)
    }
    return results
  }
  const client = newClient(stack, protocol)
  const assistant = newAssistant(client, stack, seconds)
  await spokenTurn(assistant, stack, seconds) // a turn before, as the scenario says
  for (let i = 0; i < RUNS; i++) {
    if (scenario === 'idle') await sleep(IDLE_MS)
    results.push(await spokenTurn(assistant, stack, seconds))
  }
  assistant.dispose()
  await client.close()
  return results
}

/** The plain way with the official client: a connection per request, WAV up, the whole reply, then the whole speech. */
async function baselineCell(stack: Stack, seconds: number): Promise<Array<{ firstAudio: number; upload: number }>> {
  const agent = new Agent({ connect: { ca: stack.tls.cert }, pipelining: 0 })
  const openai = new OpenAI({
    baseURL: stack.link.url('/v1'),
    apiKey: 'test-key',
    maxRetries: 0,
    fetch: ((url: string, init: RequestInit) => undiciFetch(url, { ...(init as object), dispatcher: agent })) as unknown as typeof fetch
  })
  const wav = encodeWav(voicePcm(seconds * 1000), 16000)
  const out: Array<{ firstAudio: number; upload: number }> = []
  for (let i = 0; i < RUNS; i++) {
    await sleep(seconds * 1000) // the question is spoken
    const upBefore = stack.link.counters().up
    const t0 = now()
    await openaiBaselineTurn(openai, {
      systemPrompt: DEFAULT_SETTINGS.systemPrompt,
      question: [{ type: 'input_audio', input_audio: { data: `data:audio/wav;base64,${wav.toString('base64')}` } }, { type: 'text', text: 'Answer the spoken question.' }]
    })
    out.push({ firstAudio: now() - t0, upload: stack.link.counters().up - upBefore })
  }
  await agent.close()
  return out
}

const ms = (x: number): string => `${Math.round(x)}`
const kb = (x: number): string => (x / 1000).toFixed(1)

async function main(): Promise<void> {
  const tls = await makeTestCertificate()
  const rows: string[] = []
  const checks: string[] = []
  for (const profile of PROFILES) {
    for (const protocol of PROTOCOLS) {
      const fake = await startFakeMimo({ tls, http2: protocol === 'h2', reply: REPLY, latency: { firstTokenMs: 0, perTokenMs: 0, ttsFirstByteMs: 0, ttsRealtimeFactor: 0 } })
      const link = await startLinkEmulator({ target: { host: '127.0.0.1', port: fake.port }, profile })
      const stack: Stack = { fake, link, profile, tls }
      // The fake's speech is made once per sentence and cached: make it before measuring.
      {
        const client = newClient(stack, protocol)
        const a = newAssistant(client, stack, 1)
        await a.settled(a.ask('Warm the speech cache.').turnId)
        // And the service's decoder (compiled at its first MP3).
        await a.settled(a.askAudio(encodeWav(voicePcm(1000), 16000)).turnId)
        a.dispose()
        await client.close()
      }
      fake.setLatency(LATENCY)
      const baselines = new Map<number, Array<{ firstAudio: number; upload: number }>>()
      if (BASELINE && protocol === PROTOCOLS[0]) for (const s of QUESTIONS) baselines.set(s, await baselineCell(stack, s))
      for (const scenario of SCENARIOS) {
        for (const seconds of QUESTIONS) {
          const r = await pipelineCell(stack, protocol, scenario, seconds)
          const over = r.map((x) => x.firstAudio - x.floor)
          const fa = median(r.map((x) => x.firstAudio))
          const base = baselines.get(seconds)
          const baseFa = base ? median(base.map((b) => b.firstAudio)) : undefined
          const perSecond = median(r.map((x) => x.audioUpload)) / seconds
          const row = [
            profile.name, protocol, scenario, `${seconds} s`,
            ms(fa), ms(median(r.map((x) => x.floor))), `${ms(median(over))} (${ms(Math.min(...over))}–${ms(Math.max(...over))})`,
            ms(median(r.map((x) => x.connectMs))), ms(median(r.map((x) => x.uploadMs))),
            kb(median(r.map((x) => x.answerUpload))), kb(perSecond), kb(median(r.map((x) => x.turnUpload))),
            baseFa !== undefined ? ms(baseFa) : '', baseFa !== undefined ? (fa / baseFa).toFixed(2) : '',
            base ? kb(median(base.map((b) => b.upload))) : ''
          ]
          rows.push(`| ${row.join(' | ')} |`)
          console.error(rows.at(-1))
          if (median(over) > 60) checks.push(`FAIL ${profile.name} ${protocol} ${scenario} ${seconds} s: first audio ${ms(median(over))} ms over its floor (target <= 60)`)
          if (perSecond > 6000) checks.push(`FAIL ${profile.name} ${protocol} ${scenario} ${seconds} s: ${kb(perSecond)} kB uploaded per second of speech (target <= 6)`)
          if (profile.name === 'poor' && seconds === 15 && baseFa !== undefined && fa / baseFa > 0.2)
            checks.push(`FAIL poor ${protocol} ${scenario} 15 s: ratio to baseline ${(fa / baseFa).toFixed(2)} (target <= 0.2)`)
        }
      }
      await link.close()
      await fake.close()
    }
  }
  const out = [
    `Network benchmark: median of ${RUNS} runs per cell; idle ${IDLE_MS / 1000} s; service latencies: first token ${LATENCY.firstTokenMs} ms, ` +
      `${LATENCY.perTokenMs} ms per token, TTS first byte ${LATENCY.ttsFirstByteMs} ms, synthesis ${LATENCY.ttsRealtimeFactor} x real time.`,
    '',
    '| link | protocol | scenario | question | first audio (ms) | floor (ms) | over floor (ms, range) | connectMs | uploadMs | answer request (kB) | audio kB per s of speech | turn upload (kB) | baseline first audio (ms) | ratio | baseline upload (kB) |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    checks.length ? checks.join('\n') : 'Every cell meets its targets.'
  ]
  console.log(out.join('\n'))
}

main().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})
