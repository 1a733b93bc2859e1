/** `mimo-voice ask` and `mimo-voice say`: the assistant's turn and its speech, from a terminal. */
import type { TurnView } from '../shared/assistant'
import type { UserError } from '../shared/errors'
import { basename } from 'node:path'
import { Recorder } from '../core/audio/recorder'
import { createAssistant, type Assistant } from '../core/assistant/assistant'
import { speakText } from '../core/assistant/speak-text'
import { toUserError } from '../core/user-error'
import { UsageError, type CliOptions } from './args'
import { openCommandHistory } from './command-history'
import { assistantFlags, chooseSink, chooseVoice, createClient, loadSettings, readQuestionAudio, requireKey, type CliIo } from './cli-context'
import { describeError, EXIT, exitCodeFor } from './exit-codes'
import { exitCodeForSignal, onStopSignal } from './stop-signals'
import { attachImageFiles, contextRequestOf, createCliContext } from './context-adapters'
import { cliTools, reportToolCalls } from './tools-command'

const TRANSCRIPT_WAIT_MS = 15_000

function line(stream: NodeJS.WritableStream, text: string): void {
  stream.write(text.endsWith('\n') ? text : `${text}\n`)
}

async function readStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  const parts: Buffer[] = []
  for await (const chunk of stdin) parts.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)))
  return Buffer.concat(parts).toString('utf8')
}

/**
 * Resolves on the next line typed (Enter). Input that ends first (stdin closed, /dev/null) never resolves
 * it, and `onEnd` says so: the recording then stops on silence or at its length limit.
 */
function nextLine(stdin: NodeJS.ReadableStream, onEnd: () => void): { promise: Promise<void>; cancel: () => void } {
  let cancel = (): void => {}
  const promise = new Promise<void>((resolve) => {
    const onData = (d: Buffer | string): void => {
      if (!String(d).includes('\n')) return
      cancel()
      resolve()
    }
    const ended = (): void => {
      cancel()
      onEnd()
    }
    cancel = () => {
      stdin.off('data', onData)
      stdin.off('end', ended)
      ;(stdin as NodeJS.ReadStream).pause?.()
    }
    stdin.on('data', onData)
    stdin.on('end', ended)
    ;(stdin as NodeJS.ReadStream).resume?.()
  })
  return { promise, cancel }
}

/**
 * Once the work is done, stdin must not hold the process: a paused pipe or terminal that was read once
 * (Enter, a tool's question) keeps reading underneath, so it is also unreferenced.
 */
function releaseStdin(stdin: NodeJS.ReadableStream): void {
  ;(stdin as NodeJS.ReadStream).pause?.()
  ;(stdin as Partial<NodeJS.ReadStream>).unref?.()
}

function jsonOf(view: TurnView, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    status: view.status,
    input: view.input,
    question: view.question ?? null,
    transcript: view.input === 'text' ? null : (view.question ?? null),
    reply: view.reply,
    spoken: view.spoken,
    sources: view.sources,
    toolCalls: view.toolCalls ?? [],
    ...(view.searchError ? { searchError: view.searchError } : {}),
    timings: view.timings,
    usage: view.usage ?? null,
    // What was sent with the question (the thumbnail stays in the window).
    ...(view.attachments?.length ? { attachments: view.attachments.map(({ thumbnail: _t, ...a }) => a) } : {}),
    ...(view.status === 'error' ? { error: view.error } : {}),
    ...extra
  }
}

export async function runAsk(options: CliOptions, io: CliIo): Promise<number> {
  const warn = (s: string): void => line(io.stderr, s)
  const settings = loadSettings(options, io.env, warn)
  if (options.quick === 'list') {
    settings.quickQuestions.forEach((q, i) => line(io.stdout, `${i + 1}. ${q}`))
    return EXIT.ok
  }
  // Everything that can be refused is refused before a request goes out.
  let text = options.text.join(' ').trim()
  let audio: Buffer | undefined
  if (options.quick !== undefined) {
    const question = settings.quickQuestions[options.quick - 1]
    if (!question) throw new UsageError(`There are ${settings.quickQuestions.length} quick questions; see mimo-voice ask --quick list.`)
    text = question
  }
  const key = await requireKey(options, io, settings)
  // Decoded and resampled in a worker thread with a time limit; a hostile header is refused at once.
  if (options.audio !== undefined) {
    audio = await readQuestionAudio(options.audio)
  }
  else if (!options.mic && !text) {
    if (io.stdin.isTTY) throw new UsageError('ask needs a question: TEXT, --audio FILE or --mic.')
    text = (await readStdin(io.stdin)).trim()
    if (!text) throw new UsageError('ask got no question on stdin.')
  }
  const context = createCliContext(settings, io.env)
  await attachImageFiles(context, options.images ?? [])
  const asked = { context: contextRequestOf(options) }
  const voice = options.speak ? await chooseVoice(options, settings, io.env) : undefined
  const tools = await cliTools(options, settings, io)
  const sink = chooseSink(options, settings, io)
  const client = createClient(settings, key)
  const recorder = new Recorder({ device: settings.inputDevice, env: io.env })
  const history = openCommandHistory({ options, settings, io, voiceLabel: voice?.label ?? null, createSink: sink.create, warn })
  let bytesWritten = 0
  const { assistant, conversations } = history.connect(createAssistant({
    context,
    client,
    connections: client,
    recorder: history.tap.recorder(recorder),
    createSink: history.tap.sink(sink.create),
    ...assistantFlags(options, settings, voice, tools),
    realtimeSink: sink.realtime,
    onSpeechEvent: (_id, e) => {
      if (e.type === 'write') bytesWritten += e.bytes
    }
  }))
  const textOut = options.json ? null : sink.text
  let printed = 0
  // The first words come with a whole turn, the rest as deltas: print what has not been printed.
  assistant.on('turn', (view) => {
    if (!textOut || view.reply.length <= printed) return
    textOut.write(view.reply.slice(printed))
    printed = view.reply.length
  })
  // Each tool call once it has an outcome, on stderr (the answer keeps stdout).
  if (!options.json) reportToolCalls(assistant, warn)
  assistant.on('reply', ({ text }) => {
    if (!textOut) return
    textOut.write(text)
    printed += text.length
  })
  // A signal stops the turn: silence at once, a recording in progress is dropped and never sent.
  const signals = onStopSignal(() => assistant.stop())

  try {
    if (options.continue !== undefined) {
      const id = options.continue === 'latest' ? conversations.latestId() : options.continue
      if (id === null) throw new UsageError('There is no kept conversation to continue yet: ask without --continue first.')
      conversations.continue(id)
    }
    let turnId: string
    if (options.mic) {
      const started = assistant.press(asked)
      warn('Recording… press Enter to stop.')
      const enter = nextLine(io.stdin, () =>
        warn(`(No more input: the recording stops after ${settings.silenceMs / 1000} s of silence, or at ${settings.maxRecordingSec} s.)`)
      )
      const ended = new Promise<void>((resolve) => {
        const off = assistant.on('state', (s) => {
          if (s.phase !== 'recording') {
            off()
            resolve()
          }
        })
      })
      await Promise.race([enter.promise, ended])
      enter.cancel()
      assistant.release()
      turnId = started.turnId!
    } else if (audio) {
      turnId = assistant.askAudio(audio, asked).turnId
      history.recorder.noteFileName(turnId, basename(options.audio!))
      history.tap.questionFile(turnId, audio)
    } else {
      turnId = assistant.ask(text, asked).turnId
    }

    let view = await assistant.settled(turnId)
    if (textOut && printed > 0) textOut.write('\n')
    // A spoken question's transcript may land just after the answer: wait for it, briefly.
    if (view.input !== 'text' && view.status === 'done') view = await transcriptOf(assistant, turnId, view)
    await history.recorder.flush()
    if (textOut) {
      if (view.sources.length) line(textOut, ['Sources:', ...view.sources.map((s, i) => `  ${i + 1}. ${s.title ? `${s.title} — ` : ''}${s.url}`)].join('\n'))
      if (view.searchError) warn(`Web search failed: ${view.searchError}`)
      if (view.input !== 'text' && view.question) warn(`(heard: "${view.question}")`)
    }
    return finish(view, view.status === 'error' ? view.error : undefined)
  } finally {
    signals.off()
    releaseStdin(io.stdin)
    assistant.dispose()
    await tools?.close()
    await history.close()
    await client.close().catch(() => {})
  }

  function finish(view: TurnView | undefined, error: UserError | undefined): number {
    const signal = signals.received()
    const stopped = view?.status === 'stopped' ? (signal ? exitCodeForSignal(signal) : EXIT.interrupted) : undefined
    const code = stopped ?? (error ? exitCodeFor(error) : EXIT.ok)
    if (options.json) {
      const out = options.out === '-' ? io.stderr : io.stdout
      const body = view
        ? jsonOf(view, { voice: voice?.label ?? null, audio: audioInfo(options, bytesWritten), conversation: history.recorder.conversationId, exitCode: code })
        : { status: 'error', error, exitCode: code }
      line(out, JSON.stringify(body))
    } else if (error) {
      line(io.stderr, describeError(error))
    }
    return code
  }
}

async function transcriptOf(assistant: Assistant, turnId: string, view: TurnView): Promise<TurnView> {
  const find = (): TurnView | undefined => assistant.snapshot().turns.find((t) => t.id === turnId)
  const deadline = Date.now() + TRANSCRIPT_WAIT_MS
  let current = find() ?? view
  while (current.transcribing && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20))
    current = find() ?? current
  }
  return current
}

function audioInfo(options: CliOptions, bytes: number): Record<string, unknown> | null {
  if (!options.speak) return null
  return { out: options.out ?? 'speaker', bytes, durationMs: Math.round(bytes / 48) }
}

export async function runSay(options: CliOptions, io: CliIo): Promise<number> {
  const warn = (s: string): void => line(io.stderr, s)
  const settings = loadSettings(options, io.env, warn)
  const key = await requireKey(options, io, settings)
  const text = options.text.join(' ').trim()
  const voice = await chooseVoice(options, settings, io.env)
  const sink = chooseSink(options, settings, io)
  const client = createClient(settings, key)
  const controller = new AbortController()
  const signals = onStopSignal(() => controller.abort())
  try {
    const result = await speakText({
      client,
      text,
      voice: voice.resolver.resolve(voice.ref),
      sink: sink.create(),
      style: settings.speakingStyle,
      builtinModel: settings.ttsModel,
      realtime: sink.realtime,
      signal: controller.signal
    })
    const signal = signals.received()
    const code = result.stopped ? (signal ? exitCodeForSignal(signal) : EXIT.interrupted) : EXIT.ok
    if (options.json) {
      line(options.out === '-' ? io.stderr : io.stdout, JSON.stringify({
        status: result.stopped ? 'stopped' : 'done',
        text,
        sentences: result.sentences,
        spoken: result.spokenText,
        voice: voice.label,
        timings: result.timings,
        audio: audioInfo(options, result.bytesWritten),
        exitCode: code
      }))
    }
    return code
  } catch (err) {
    const error = toUserError(err)
    if (options.json) line(options.out === '-' ? io.stderr : io.stdout, JSON.stringify({ status: 'error', text, error, exitCode: exitCodeFor(error) }))
    else line(io.stderr, describeError(error))
    return exitCodeFor(error)
  } finally {
    signals.off()
    await client.close().catch(() => {})
  }
}
