/**
 * The product's services, built from plain ports: the same for the Electron app (src/main/index.ts)
 * and the browser test host. No Electron here: the caller passes the settings and key services and
 * where the app keeps its data.
 */
import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { createAssistant, type Assistant } from './assistant/assistant'
import type { ConversationsService } from './conversations/conversations-service'
import { modelOfTurn, openHistory } from './conversations/open-history'
import { createVoiceResolver } from './assistant/voice-resolver'
import { micTest, runAudioChecks } from './audio/doctor'
import { Microphone } from './audio/microphone'
import { listInputDevices, listOutputDevices } from './audio/devices'
import { playerFactory, type PcmSink, type PlayerOptions } from './audio/player'
import { Recorder } from './audio/recorder'
import { runApiChecks } from './doctor/api-checks'
import { ClientForSettings } from './mimo/client-for-settings'
import { JsonFileVoiceMetadataStore } from './voices/voice-metadata-store'
import { VOICES_DIR_NAME, voicesMetadataPath } from './voices/voice-paths'
import { createSampleRecorder, type SampleRecorder } from './voices/sample-recorder'
import { createVoiceService, type VoiceService } from './voices/voice-service'
import { VoiceStore } from './voices/voice-store'
import { ContextService, type ContextSources } from './context/context-service'
import { commandDesktop } from './dictation/command-desktop'
import { DictationService } from './dictation/dictation'
import { ReadyMicrophone } from './dictation/ready-microphone'
import { TextInserter, type DictationDesktop } from './dictation/text-inserter'
import { ConversationMode } from './modes/conversation-mode'
import { Announcements } from './announcements'
import { dictationKeeper } from './conversations/dictation-keeper'
import type { ClipboardWriter, Clock, MicrophonePermission, Notifier, Scheduler, UrlOpener } from './ports'
import type { DoctorService, KeyService, MainServices, SettingsService } from './services'
import { speakText } from './assistant/speak-text'
import { ToolError } from './tools/tool'
import { createToolService, type ToolServiceParts } from './tools/tool-service'
import { assistantActivity, conversationActivity, untilQuiet } from './tools/timer-alerts'

export interface CoreServiceDeps {
  settings: SettingsService
  key: KeyService
  /** The app's data folder (Electron's userData): saved voices live in `voices/` inside it. */
  dataDir: string
  env?: NodeJS.ProcessEnv
  /** macOS asks once before the microphone is used (Electron's systemPreferences in the app). */
  microphonePermission?: MicrophonePermission
  /** Test hosts pin the player (e.g. pacat on a test sink). */
  player?: Pick<PlayerOptions, 'program' | 'latencyMs'>
  /** Where screen captures and selected text come from (Electron's in the app, the X server's in tests). */
  context?: ContextSources & { captureUnavailable?: string }
  /** Test hosts without a sound card: where speech goes instead of a player. */
  createSink?: () => Promise<PcmSink>
  /** Timer alerts and MCP server problems (desktop notifications in the app). */
  notifier?: Notifier
  /** The open_url tool's way to the browser (Electron's shell in the app). */
  openUrl?: UrlOpener
  /** The copy_to_clipboard tool's clipboard (Electron's in the app). */
  clipboard?: ClipboardWriter
  /** Wall-clock time and timers for the tools (tests turn them by hand). */
  clock?: Clock
  scheduler?: Scheduler
  version?: string
  log?: (message: string) => void
  /** Where history exports are written (the app: the Downloads folder); default ~/Downloads, else the data folder. */
  exportDir?: string
  /** The app passes its own clipboard and key library; default: the desktop's tools (xclip, xdotool, wtype...). */
  dictationDesktop?: DictationDesktop
  platform?: NodeJS.Platform
}

const unavailable = (what: string): never => {
  throw new ToolError(`${what} is not available here.`, 'not-available')
}

export interface CoreServices {
  assistant: Assistant
  /** Built-in tools, MCP servers, timers, calls waiting for a yes. */
  tools: ToolServiceParts
  /** The voices, with `samples`: recording a clone sample from the microphone. */
  voices: VoiceService & { samples: SampleRecorder }
  doctor: DoctorService
  context: ContextService
  client: ClientForSettings
  /** The kept conversations (src/core/conversations). */
  conversations: ConversationsService
  conversation: ConversationMode
  dictation: DictationService
  close(): Promise<void>
}

const RETENTION_CHECK_MS = 60 * 60 * 1000

/** What the shell serves, from the core and the shell's own settings and key: one list for the app and its test host. */
export function mainServicesOf(core: CoreServices, own: Pick<MainServices, 'settings' | 'key'>): MainServices {
  return {
    assistant: core.assistant,
    voices: core.voices,
    doctor: core.doctor,
    settings: own.settings,
    key: own.key,
    conversations: core.conversations,
    tools: core.tools,
    context: core.context,
    connections: core.client,
    conversation: core.conversation,
    dictation: core.dictation
  }
}


export function createCoreServices(deps: CoreServiceDeps): CoreServices {
  const env = deps.env ?? process.env
  const settings = () => deps.settings.get()
  const client = new ClientForSettings({ settings, apiKey: (baseUrl) => deps.key.keyFor(baseUrl) })

  // Push-to-talk, voice samples and the microphone test share it: one permission, one user at a time.
  const microphone = new Microphone(deps.microphonePermission)
  // One recorder per input device: each looks its program up once.
  const recorders = new Map<string, Recorder>()
  const recorder = (): Recorder => {
    const device = settings().inputDevice
    const id = device ?? ''
    let r = recorders.get(id)
    if (!r) recorders.set(id, (r = new Recorder({ device, env })))
    return r
  }
  // The listening modes promise reaction times: parecord where PulseAudio answers (see audio/parecord.ts).
  const listeners = new Map<string, Recorder>()
  const listeningRecorder = (): Recorder => {
    const device = settings().inputDevice
    let r = listeners.get(device ?? '')
    if (!r) listeners.set(device ?? '', (r = new Recorder({ device, env, lowLatency: true })))
    return r
  }
  const playerFor = playerFactory(settings, { env, ...deps.player })
  const createSink = deps.createSink ?? (() => playerFor())

  const dir = join(deps.dataDir, VOICES_DIR_NAME)
  const store = new VoiceStore({ dir, metadata: new JsonFileVoiceMetadataStore(voicesMetadataPath(dir)) })
  const voiceService = createVoiceService({ store, client, createSink, settings })
  const samples = createSampleRecorder({ recorder, check: (wav) => voiceService.checkSample(wav), microphone })
  const voices = { ...voiceService, samples }

  const context = new ContextService({ ...deps.context, settings })
  const announcements = new Announcements()
  const voiceResolver = createVoiceResolver(voices)
  const tools = createToolService({
    settings: deps.settings,
    dataDir: deps.dataDir,
    notifier: deps.notifier,
    openUrl: deps.openUrl ?? { open: async () => unavailable('Opening web addresses') },
    clipboard: deps.clipboard ?? { writeText: async () => unavailable('The clipboard') },
    clock: deps.clock,
    scheduler: deps.scheduler,
    version: deps.version,
    log: deps.log,
    // A timer's alert, in the voice and style of the settings.
    speak: (text) => {
      const s = settings()
      return announcements.say(() =>
        speakText({ client, text, voice: voiceResolver.resolve(s.voice), sink: createSink(), style: s.speakingStyle, builtinModel: s.ttsModel })
      )
    },
    // Called when a timer fires, once tools.start() has run (below), when both exist.
    quiet: () => untilQuiet([assistantActivity(assistant), conversationActivity(conversation)])
  })

  const history = openHistory({
    dataDir: deps.dataDir,
    settings,
    describe: (view) => {
      const voice = settings().voice
      const name = voice.kind === 'builtin' ? voice.id : (store.get(voice.id)?.name ?? `${voice.kind} ${voice.id}`)
      return { voice: name, model: modelOfTurn(settings(), view) }
    },
    exportDir: () => deps.exportDir ?? defaultExportDir(deps.dataDir),
    createSink
  })
  const { assistant, conversations } = history.connect(
    createAssistant({
      context,
      client,
      recorder: history.tap.recorder({ start: (o) => recorder().start(o) }),
      createSink: history.tap.sink(createSink),
      settings,
      voices: voiceResolver,
      microphone,
      tools: tools.source,
      confirmations: tools.broker,
      connections: client
    })
  )
  // Retention: at start, when the setting changes, and every hour while running.
  const applyRetention = (): void => {
    try {
      conversations.applyRetention()
    } catch {
      // reported once through the history's problem event
    }
  }
  applyRetention()
  let retention = settings().historyRetention
  const offSettings = deps.settings.on('change', (s) => {
    if (s.historyRetention === retention) return
    retention = s.historyRetention
    applyRetention()
  })
  const retentionTimer = setInterval(applyRetention, RETENTION_CHECK_MS)
  retentionTimer.unref()
  const conversation = new ConversationMode({
    assistant,
    recorder: { start: (o) => listeningRecorder().start(o) },
    microphone,
    settings,
    announcements
  })
  // Timers fire from here on (one overdue fires at once): their alerts watch the assistant and the conversation.
  tools.start()

  const platform = deps.platform ?? process.platform
  const desktop = deps.dictationDesktop ?? commandDesktop({ env, platform })
  const readyMicrophone = new ReadyMicrophone({
    recorder: { start: (o) => listeningRecorder().start(o) },
    microphone,
    // Without a working microphone it stays closed; a dictation then says why.
    enabled: () => settings().dictationKeepMicOpen && settings().dictationHotkey !== null
  })
  const dictation = new DictationService({
    client,
    recorder: { start: (o) => listeningRecorder().start(o) },
    microphone,
    settings,
    inserter: new TextInserter({ ...desktop, pasteKey: () => settings().dictationPasteKey, platform }),
    readyMicrophone,
    // Each dictation is kept in the history (a conversation of its own, titled "Dictation").
    keep: dictationKeeper({
      database: history.database,
      enabled: () => !settings().incognito,
      model: () => modelOfTurn(settings(), { input: 'voice' }),
      onChange: history.events.change
    })
  })
  readyMicrophone.update()
  const offReadyMicrophone = deps.settings.on('change', () => readyMicrophone.update())

  const doctor: DoctorService = {
    async run() {
      const status = deps.key.status()
      const api = await runApiChecks({
        key: { value: deps.key.get(), from: status.storage === 'environment' ? 'MIMO_API_KEY' : 'settings' },
        settings: settings(),
        client,
        noKeyHint: 'Enter your MiMo API key (create one at platform.xiaomimimo.com, under API keys).'
      })
      const audio = await runAudioChecks({ recorder: recorder(), createPlayer: playerFor, microphone })
      return { checks: [...api, ...audio] }
    },
    micTest: () => micTest(recorder(), microphone, 1000),
    async devices() {
      const [inputs, outputs] = await Promise.all([listInputDevices({ env }), listOutputDevices({ env })])
      return { inputs, outputs }
    }
  }

  return {
    assistant,
    tools,
    voices,
    doctor,
    context,
    client,
    conversations,
    conversation,
    dictation,
    async close() {
      offReadyMicrophone()
      conversation.dispose()
      dictation.dispose()
      readyMicrophone.dispose()
      assistant.stop()
      await tools.close()
      samples.cancel()
      voices.stopPreview()
      conversations.stopReplay()
      clearInterval(retentionTimer)
      offSettings()
      await history.close()
      await client.close()
    }
  }
}

function defaultExportDir(dataDir: string): string {
  const downloads = join(homedir(), 'Downloads')
  return existsSync(downloads) ? downloads : join(dataDir, 'exports')
}
