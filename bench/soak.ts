/**
 * Soak: many turns through the real assistant (the app's core services: settings, key, voices, the
 * assistant, the MiMo client, the recorder and the player) against the fake MiMo server over HTTP.
 *
 *   npm run bench:soak            (TURNS=300 by default; WARMUP=100)
 *
 * The turns mix spoken questions (the real Recorder around a stand-in `arecord` that "hears" a
 * question), typed questions and questions in a WAV file; every third one is interrupted by a
 * barge-in (a press while the answer is spoken), some are stopped mid-speech, and faults are
 * injected at random (429 past the retries, a 500 that a retry gets past, a stream cut mid-answer).
 * The voice moves between a built-in voice, a saved clone and a saved design. The player is the real
 * player around a stand-in `pacat` (a child process per turn, draining what it is given).
 *
 * Every turn must end as done, stopped or error with the cause its plan expects. After the warm-up it
 * reports the growth of the heap (after a full collection), RSS, open file descriptors, child processes
 * and sockets; the run fails on any wrong ending, on any growth of descriptors, sockets or children,
 * and on 20 MB of heap or RSS (the mean of the last three samples against the first three, or the
 * least-squares trend). Linux: the counts come from /proc.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startFakeMimo, type Fault } from '../test/fake-mimo/server'
import { createCoreServices } from '../src/core/core-services'
import { encodeWav } from '../src/core/audio/wav'
import { MimoClient } from '../src/core/mimo/client'
import { createConfSettingsStore } from '../src/core/settings/conf-settings-store'
import { createEncryptedFileSecretStore } from '../src/core/settings/encrypted-file-secret-store'
import { StoredKeyService } from '../src/core/settings/key-service'
import { StoredSettingsService } from '../src/core/settings/settings-service'
import type { TurnView } from '../src/shared/assistant'
import type { VoiceRef } from '../src/shared/voices'

const TURNS = Math.max(30, Number(process.env.TURNS ?? 300))
// The assistant keeps its last 100 turns with what a retry needs (the recording, the file): until that
// list is full, memory grows by design. The warm-up is those 100 turns.
const WARMUP = Math.min(TURNS - 10, Math.max(10, Number(process.env.WARMUP ?? 100)))
const KEY = 'sk-soak-test-key-0001'
const SAMPLE_EVERY = 25
const MB = 1024 * 1024

type Kind = 'voice' | 'text' | 'file'
type Twist = 'none' | 'barge-in' | 'stop' | '429' | '500' | 'cut'
interface Plan {
  kind: Kind
  twist: Twist
  voice: 'builtin' | 'clone' | 'design'
}
interface Expected {
  status: TurnView['status']
  code?: string
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** A voiced tone with pauses: enough like speech for the level meter and the sample checks. */
function speechPcm(seconds: number, rate: number): Int16Array {
  const pcm = new Int16Array(Math.round(seconds * rate))
  for (let i = 0; i < pcm.length; i++) {
    const t = i / rate
    pcm[i] = Math.round(9000 * Math.sin(Math.PI * ((t % 0.35) / 0.35)) ** 2 * Math.sin(2 * Math.PI * (180 + 40 * Math.sin(t)) * t))
  }
  return pcm
}

/** Stand-ins for the sound programs, so every turn starts real child processes without a sound card. */
function standInPrograms(dir: string): string {
  const bin = join(dir, 'bin')
  mkdirSync(bin)
  writeFileSync(join(dir, 'question.raw'), Buffer.from(speechPcm(2.5, 16000).buffer))
  writeFileSync(join(bin, 'arecord'), `#!/bin/sh\n/bin/cat ${dir}/question.raw\nexec /bin/sleep 600\n`)
  writeFileSync(join(bin, 'pacat'), '#!/bin/sh\nexec /bin/cat > /dev/null\n')
  chmodSync(join(bin, 'arecord'), 0o755)
  chmodSync(join(bin, 'pacat'), 0o755)
  return bin
}

// ---- what the process holds --------------------------------------------------------------------

interface Holdings {
  heapMb: number
  /** Memory outside the JavaScript heap held by JavaScript objects (buffers of audio). */
  externalMb: number
  rssMb: number
  fds: number
  sockets: number
  children: number
}

function children(): number {
  let n = 0
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      // pid (comm) state ppid ...: the comm may hold spaces, so read after its closing parenthesis.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (ppid === process.pid) n++
    } catch {
      // gone meanwhile
    }
  }
  return n
}

function holdings(): Holdings {
  ;(globalThis as { gc?: () => void }).gc?.()
  const fds = readdirSync('/proc/self/fd')
  let sockets = 0
  for (const fd of fds) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`).startsWith('socket:')) sockets++
    } catch {
      // closed meanwhile
    }
  }
  const m = process.memoryUsage()
  return { heapMb: m.heapUsed / MB, externalMb: m.external / MB, rssMb: m.rss / MB, fds: fds.length, sockets, children: children() }
}

// ---- the plan ----------------------------------------------------------------------------------

function plan(i: number, random: () => number): Plan {
  const kind: Kind = (['voice', 'text', 'file'] as const)[i % 3]
  const voice = (['builtin', 'clone', 'design'] as const)[Math.floor(i / 3) % 3]
  let twist: Twist = 'none'
  if (i % 3 === 2) twist = 'barge-in'
  else if (i % 10 === 4) twist = 'stop'
  else {
    const r = random()
    if (r < 0.06) twist = '429'
    else if (r < 0.12) twist = '500'
    else if (r < 0.18) twist = 'cut'
  }
  return { kind, twist, voice }
}

function expected(p: Plan): Expected {
  switch (p.twist) {
    case 'barge-in':
    case 'stop':
      return { status: 'stopped' }
    case '429':
      return { status: 'error', code: '429' }
    case 'cut':
      return { status: 'error', code: 'stream_cut' }
    default:
      return { status: 'done' }
  }
}

/** The least-squares slope of a figure over the turn number. */
function slope(points: Array<{ turn: number }>, y: (p: { turn: number } & Holdings) => number): number {
  const ps = points as Array<{ turn: number } & Holdings>
  const mx = ps.reduce((a, p) => a + p.turn, 0) / ps.length
  const my = ps.reduce((a, p) => a + y(p), 0) / ps.length
  const sxy = ps.reduce((a, p) => a + (p.turn - mx) * (y(p) - my), 0)
  const sxx = ps.reduce((a, p) => a + (p.turn - mx) ** 2, 0)
  return sxx === 0 ? 0 : sxy / sxx
}

/** A small seeded generator: the same plan on every run. */
function seeded(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

async function main(): Promise<void> {
  if (process.platform !== 'linux') throw new Error('The soak counts file descriptors and children from /proc: run it on Linux.')
  if (!(globalThis as { gc?: unknown }).gc) console.log('(Run with --expose-gc for heap figures after a full collection: npm run bench:soak does.)')
  const dir = mkdtempSync(join(tmpdir(), 'mimo-soak-'))
  const fake = await startFakeMimo({
    apiKeys: [KEY],
    // Two short sentences: the answer is spoken (in real time, as the app waits for it) in about two seconds.
    reply: 'It is sunny and mild in Beijing today. Take a light jacket for the evening.',
    // Quick, but the answer is still spoken over a while: stops and barge-ins land mid-speech.
    latency: { firstTokenMs: 20, perTokenMs: 2, ttsFirstByteMs: 30, ttsRealtimeFactor: 0.08 }
  })
  const bin = standInPrograms(dir)
  const identity = { storage: () => 'os-keychain' as const, encrypt: (s: string) => Buffer.from(s), decrypt: (b: Buffer) => b.toString() }
  const settings = new StoredSettingsService(createConfSettingsStore({ cwd: dir }))
  settings.update({ baseUrl: fake.url, stopOnSilence: false, maxRecordingSec: 10 })
  const key = new StoredKeyService({
    secrets: createEncryptedFileSecretStore({ file: join(dir, 'api-key.bin'), cipher: identity }),
    settings: () => settings.get(),
    createClient: (s, k) => new MimoClient({ baseUrl: s.baseUrl, apiKey: k, retry: { maxAttempts: 1 } }),
    env: {}
  })
  key.set(KEY)
  const core = createCoreServices({ settings, key, dataDir: dir, env: { PATH: bin } })
  const { assistant, voices } = core

  // The saved voices the turns speak in.
  const recorded = encodeWav(speechPcm(8, 24000), 24000)
  const checked = await voices.checkSample(new Uint8Array(recorded), 'me.wav')
  if (!checked.draftId) throw new Error(`the clone sample was refused: ${checked.quality.refusals.join(' ')}`)
  const clone = await voices.saveDraft(checked.draftId, 'Soak clone', true)
  const design = await voices.saveDesign('Soak design', 'A calm, low voice that speaks slowly.')
  const refs: Record<Plan['voice'], VoiceRef> = { builtin: { kind: 'builtin', id: 'Mia' }, clone: clone.ref, design: design.ref }
  const questionFile = encodeWav(speechPcm(2, 44100), 44100)

  /** Resolves once the turn speaks (or has ended some other way). */
  const speaking = (turnId: string): Promise<void> =>
    new Promise((resolve) => {
      const past = (t: TurnView | undefined): boolean => !!t && t.status !== 'thinking' && t.status !== 'recording'
      if (past(assistant.snapshot().turns.find((t) => t.id === turnId))) return resolve()
      const off = assistant.on('turn', (t) => {
        if (t.id === turnId && past(t)) {
          off()
          resolve()
        }
      })
    })

  async function spokenQuestion(): Promise<string> {
    const started = assistant.press()
    await sleep(150)
    assistant.release()
    return started.turnId!
  }

  async function runTurn(p: Plan): Promise<Array<{ view: TurnView; want: Expected }>> {
    settings.update({ voice: refs[p.voice] })
    if (p.twist === '429') fake.injectFault({ kind: 'status', status: 429 }, 3)
    if (p.twist === '500') fake.injectFault({ kind: 'status', status: 500 }, 1)
    if (p.twist === 'cut') fake.injectFault({ kind: 'cut-mid-stream', afterChunks: 3 } satisfies Fault, 1)
    // 429 and 500 go through the client's retries (three attempts); the key test's client has one.
    const turnId =
      p.kind === 'voice' ? await spokenQuestion() : p.kind === 'text' ? assistant.ask('What is the weather like in Beijing today?').turnId : assistant.askAudio(questionFile).turnId
    if (p.twist === 'stop' || p.twist === 'barge-in') {
      await speaking(turnId)
      if (p.twist === 'stop') assistant.stop()
      else {
        // Barge-in: a press while the answer is spoken starts the next (spoken) question.
        const next = assistant.press()
        await sleep(150)
        assistant.release()
        const first = await assistant.settled(turnId)
        const second = await assistant.settled(next.turnId!)
        return [
          { view: first, want: { status: 'stopped' } },
          { view: second, want: { status: 'done' } }
        ]
      }
    }
    return [{ view: await assistant.settled(turnId), want: expected(p) }]
  }

  const random = seeded(11)
  const outcomes: Record<string, number> = {}
  const wrong: string[] = []
  const samples: Array<{ turn: number } & Holdings> = []
  let base: ({ turn: number } & Holdings) | undefined
  const started = performance.now()
  let turns = 0
  const sample = async (): Promise<{ turn: number } & Holdings> => {
    // Let the last turn's player and recorder end, and idle sockets settle, before counting.
    await sleep(500)
    const taken = { turn: turns, ...holdings() }
    samples.push(taken)
    return taken
  }
  for (let i = 0; turns < TURNS; i++) {
    const bucket = Math.floor(turns / SAMPLE_EVERY)
    // The fake server logs every request with its body (audio, clone samples) in this process: forgotten each turn.
    fake.clearRequests()
    const p = plan(i, random)
    const t0 = performance.now()
    const ran = await runTurn(p)
    if (process.env.SOAK_LOG) console.log(`${p.kind} ${p.twist} ${p.voice}: ${Math.round(performance.now() - t0)} ms -> ${ran.map((r) => r.view.status).join(', ')}`)
    for (const { view, want } of ran) {
      turns++
      const code = view.status === 'error' ? (view.error.status !== undefined ? String(view.error.status) : view.error.code) : undefined
      const label = `${view.status}${code ? ` (${code})` : ''}`
      outcomes[label] = (outcomes[label] ?? 0) + 1
      if (view.status !== want.status || (want.code !== undefined && code !== want.code)) {
        wrong.push(`turn ${turns} (${p.kind}, ${p.twist}, ${p.voice}): ${label}, expected ${want.status}${want.code ? ` (${want.code})` : ''}${view.status === 'error' ? `: ${view.error.message}` : ''}`)
      }
    }
    if (!base && turns >= WARMUP) base = await sample()
    else if (base && (Math.floor(turns / SAMPLE_EVERY) > bucket || turns >= TURNS)) await sample()
  }
  const seconds = (performance.now() - started) / 1000
  const end = samples.at(-1)!
  const growth = {
    heapMb: end.heapMb - base!.heapMb,
    rssMb: end.rssMb - base!.rssMb,
    fds: end.fds - base!.fds,
    sockets: end.sockets - base!.sockets,
    children: end.children - base!.children
  }

  console.log(`\n${turns} turns in ${seconds.toFixed(0)} s; outcomes: ${JSON.stringify(outcomes)}`)
  console.log('| after turn | heap (MB) | external (MB) | RSS (MB) | open fds | sockets | children |')
  console.log('|---:|---:|---:|---:|---:|---:|---:|')
  for (const s of samples) {
    console.log(`| ${s.turn} | ${s.heapMb.toFixed(1)} | ${s.externalMb.toFixed(1)} | ${s.rssMb.toFixed(1)} | ${s.fds} | ${s.sockets} | ${s.children} |`)
  }
  // One RSS sample is noisy (the young generation, and audio buffers on their way out, come and go by
  // 10 MB and more): memory is judged by the mean of the first and last three samples, and by the trend.
  const span = end.turn - base!.turn
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length
  const windowed = (f: (x: Holdings) => number): number => mean(samples.slice(-3).map(f)) - mean(samples.slice(0, 3).map(f))
  const settled = { heapMb: windowed((x) => x.heapMb), rssMb: windowed((x) => x.rssMb) }
  const trend = { heapMb: slope(samples, (x) => x.heapMb) * span, rssMb: slope(samples, (x) => x.rssMb) * span }
  console.log(
    `\nGrowth after the warm-up (${WARMUP} turns), last sample against the first: heap ${growth.heapMb.toFixed(1)} MB, RSS ${growth.rssMb.toFixed(1)} MB, ` +
      `fds ${growth.fds}, sockets ${growth.sockets}, children ${growth.children}\n` +
      `  mean of the last three samples against the first three: heap ${settled.heapMb.toFixed(1)} MB, RSS ${settled.rssMb.toFixed(1)} MB\n` +
      `  trend over those ${span} turns (least squares): heap ${trend.heapMb.toFixed(1)} MB, RSS ${trend.rssMb.toFixed(1)} MB`
  )
  const failures = [
    ...wrong,
    ...(growth.fds > 0 ? [`open file descriptors grew by ${growth.fds}`] : []),
    ...(growth.sockets > 0 ? [`sockets grew by ${growth.sockets}`] : []),
    ...(growth.children > 0 ? [`child processes grew by ${growth.children}`] : []),
    ...(settled.heapMb >= 20 || trend.heapMb >= 20 ? [`the heap grew by ${settled.heapMb.toFixed(1)} MB (trend ${trend.heapMb.toFixed(1)} MB)`] : []),
    ...(settled.rssMb >= 20 || trend.rssMb >= 20 ? [`RSS grew by ${settled.rssMb.toFixed(1)} MB (trend ${trend.rssMb.toFixed(1)} MB)`] : [])
  ]
  if (failures.length) console.log(`\nFAILED:\n- ${failures.join('\n- ')}`)
  else console.log('\nEvery turn ended as planned; nothing grew.')

  await core.close()
  await fake.close()
  rmSync(dir, { recursive: true, force: true })
  process.exitCode = failures.length ? 1 : 0
}

main().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})
