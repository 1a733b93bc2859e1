/**
 * The product's services, built from plain ports: the same for the Electron app (src/main/index.ts)
 * and the browser test host. No Electron here: the caller passes the settings and key services and
 * where the app keeps its data.
 */
import { join } from 'node:path'
import { createAssistant, type Assistant } from './assistant/assistant'
import { createVoiceResolver } from './assistant/voice-resolver'
import { micTest, runAudioChecks } from './audio/doctor'
import { Microphone } from './audio/microphone'
import { listInputDevices, listOutputDevices } from './audio/devices'
import { playerFactory, type PlayerOptions } from './audio/player'
import { Recorder } from './audio/recorder'
import { runApiChecks } from './doctor/api-checks'
import { ClientForSettings } from './mimo/client-for-settings'
import { JsonFileVoiceMetadataStore } from './voices/voice-metadata-store'
import { VOICES_DIR_NAME, voicesMetadataPath } from './voices/voice-paths'
import { createSampleRecorder, type SampleRecorder } from './voices/sample-recorder'
import { createVoiceService, type VoiceService } from './voices/voice-service'
import { VoiceStore } from './voices/voice-store'
import type { MicrophonePermission } from './ports'
import type { DoctorService, KeyService, SettingsService } from './services'

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
}

export interface CoreServices {
  assistant: Assistant
  /** The voices, with `samples`: recording a clone sample from the microphone. */
  voices: VoiceService & { samples: SampleRecorder }
  doctor: DoctorService
  client: ClientForSettings
  close(): Promise<void>
}

export function createCoreServices(deps: CoreServiceDeps): CoreServices {
  const env = deps.env ?? process.env
  const settings = () => deps.settings.get()
  const client = new ClientForSettings({ settings, apiKey: () => deps.key.get() })

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
  const playerFor = playerFactory(settings, { env, ...deps.player })
  const createSink = () => playerFor()

  const dir = join(deps.dataDir, VOICES_DIR_NAME)
  const store = new VoiceStore({ dir, metadata: new JsonFileVoiceMetadataStore(voicesMetadataPath(dir)) })
  const voiceService = createVoiceService({ store, client, createSink, settings })
  const samples = createSampleRecorder({ recorder, check: (wav) => voiceService.checkSample(wav), microphone })
  const voices = { ...voiceService, samples }

  const assistant = createAssistant({
    client,
    recorder: { start: (o) => recorder().start(o) },
    createSink,
    settings,
    voices: createVoiceResolver(voices),
    microphone,
    connections: client
  })

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
    voices,
    doctor,
    client,
    async close() {
      assistant.stop()
      samples.cancel()
      voices.stopPreview()
      await client.close()
    }
  }
}
