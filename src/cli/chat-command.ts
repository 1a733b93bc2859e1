/** `mimo-voice chat --mic`: the hands-free conversation in a terminal. */
import type { TurnView } from '../shared/assistant'
import { isSettled } from '../shared/assistant'
import type { ConversationState } from '../shared/modes'
import { createAssistant } from '../core/assistant/assistant'
import { Microphone } from '../core/audio/microphone'
import { Recorder } from '../core/audio/recorder'
import { ConversationMode } from '../core/modes/conversation-mode'
import type { CliOptions } from './args'
import { openCommandHistory } from './command-history'
import { assistantFlags, chooseSink, chooseVoice, createClient, loadSettings, requireKey, type CliIo } from './cli-context'
import { onEnter } from './enter-key'
import { describeError, EXIT, exitCodeFor } from './exit-codes'
import { exitCodeForSignal, onStopSignal } from './stop-signals'
import { cliTools, reportToolCalls } from './tools-command'
import { attachImageFiles, contextRequestOf, createCliContext } from './context-adapters'

const PHASE_LINE: Record<ConversationState['phase'], string> = {
  off: '',
  listening: '(listening…)',
  hearing: '(hearing you…)',
  answering: '(answering…)'
}

export async function runChat(options: CliOptions, io: CliIo): Promise<number> {
  const say = (s: string): void => void io.stderr.write(`${s}\n`)
  const settings = loadSettings(options, io.env, say)
  const key = await requireKey(options, io, settings)
  const voice = options.speak ? await chooseVoice(options, settings, io.env) : undefined
  const sink = chooseSink(options, settings, io)
  const tools = await cliTools(options, settings, io, { askOnTerminal: false })
  // The flags' context goes with every turn, gathered when the turn is asked; image files with the first.
  const context = createCliContext(settings, io.env)
  await attachImageFiles(context, options.images ?? [])
  const everyTurn = contextRequestOf(options)
  const client = createClient(settings, key)
  const microphone = new Microphone()
  // The turns are kept in the history like ask's (unless --no-history or incognito).
  const history = openCommandHistory({ options, settings, io, voiceLabel: voice?.label ?? null, createSink: sink.create, warn: say })
  const { assistant } = history.connect(
    createAssistant({
      context: {
        take: (extra) => context.take({ ...everyTurn, ...extra }),
        wantsImages: (extra) => context.wantsImages({ ...everyTurn, ...extra })
      },
      client,
      recorder: history.tap.recorder(new Recorder({ device: settings.inputDevice, env: io.env })),
      microphone,
      createSink: history.tap.sink(sink.create),
      ...assistantFlags(options, settings, voice, tools)
    })
  )
  if (!options.json) reportToolCalls(assistant, say)
  const conversation = new ConversationMode({
    assistant,
    recorder: new Recorder({ device: settings.inputDevice, env: io.env, lowLatency: true }),
    microphone,
    settings: () => settings
  })

  // Each turn once it is over: what was heard and what was answered (the transcript may come a little later).
  const printed = new Set<string>()
  const heardLater = new Set<string>()
  const print = (t: TurnView): void => {
    if (options.json) {
      if (isSettled(t) && !t.transcribing && !printed.has(t.id)) {
        printed.add(t.id)
        io.stdout.write(`${JSON.stringify({ status: t.status, transcript: t.question ?? null, reply: t.reply, spoken: t.spoken, timings: t.timings, ...(t.status === 'error' ? { error: t.error } : {}) })}\n`)
      }
      return
    }
    if (isSettled(t) && !printed.has(t.id)) {
      printed.add(t.id)
      if (t.question) io.stdout.write(`you:  ${t.question}\n`)
      else heardLater.add(t.id)
      if (t.status === 'error') say(describeError(t.error))
      else io.stdout.write(`mimo: ${t.status === 'stopped' ? `${t.spoken} …` : t.reply}\n`)
    } else if (heardLater.has(t.id) && t.question) {
      heardLater.delete(t.id)
      io.stdout.write(`(you said: ${t.question})\n`)
    }
  }
  assistant.on('turn', print)

  const ended = new Promise<ConversationState>((resolve) => {
    conversation.on('state', (s) => {
      if (s.phase === 'off') resolve(s)
      else if (!options.json) say(PHASE_LINE[s.phase])
    })
  })
  const offEnter = onEnter(io.stdin, () => conversation.stop())
  // Ctrl+C or SIGTERM ends the conversation: the answer falls silent, what is being heard is dropped.
  const signals = onStopSignal(() => conversation.stop())
  try {
    say(`Talk, then pause: MiMo answers and listens again. Say "goodbye" to end${io.stdin.isTTY ? ', or press Enter' : ''}.`)
    conversation.start()
    const end = await ended
    if (end.error) {
      say(describeError(end.error))
      return exitCodeFor(end.error)
    }
    if (end.ended === 'silence') say('(the conversation ended after a long silence)')
    const signal = signals.received()
    return signal ? exitCodeForSignal(signal) : EXIT.ok
  } finally {
    offEnter()
    signals.off()
    conversation.dispose()
    assistant.dispose()
    await history.recorder.flush()
    await history.close()
    await tools?.close()
    await client.close().catch(() => {})
  }
}
