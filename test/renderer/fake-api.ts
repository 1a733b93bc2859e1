/**
 * A hand-written `window.api` for component tests. It records every call, validates payloads with
 * the contract's own schemas (a payload the main side would refuse is refused here too), keeps a
 * little state (settings, key, voices) so flows behave like the app, lets a test replace any
 * channel's answer, hold an answer until the test releases it, and emit main-process events.
 */
import type { NextContext } from '../../src/shared/context'
import type { UserError } from '../../src/shared/errors'
import {
  INVOKE_CHANNELS,
  invokeSchemas,
  type Api,
  type AppInfo,
  type EventChannel,
  type Events,
  type InvokeChannel,
  type InvokeResult,
  type InvokeResults,
  type PublicSettings
} from '../../src/shared/ipc'
import { DEFAULT_SETTINGS, settingsPatchSchema, type KeyStatus, type Settings } from '../../src/shared/settings'
import { BUILTIN_VOICES, type SampleQuality, type VoiceInfo } from '../../src/shared/voices'
import { parseMcpServersDocument, type TimerView } from '../../src/shared/tools'

/** The figures of a good sample, as the checks would give them (about 9.5 s of clear speech). */
export const GOOD_SAMPLE: SampleQuality = {
  durationSec: 9.48,
  sampleRate: 16000,
  channelsIn: 1,
  clippingShare: 0,
  rmsDbfs: -19.6,
  peakDbfs: -3.2,
  noiseDbfs: -62.5,
  trimmedLeadingSec: 0.41,
  trimmedTrailingSec: 0.66,
  base64Bytes: 404_502,
  warnings: [],
  refusals: [],
  inputSampleRate: 16000,
  speechSec: 9.48
}

export interface RecordedCall {
  channel: InvokeChannel
  payload: unknown
}

type Answer<C extends InvokeChannel> = (payload: unknown) => InvokeResults[C] | Promise<InvokeResults[C]>

/** Thrown from an answer to make the call fail with this user error (a Result with ok: false). */
export class FakeFailure extends Error {
  constructor(readonly userError: UserError) {
    super(userError.message)
  }
}

export interface Deferred<T> {
  resolve(value: T): void
  fail(error: UserError): void
}

export class FakeApi {
  readonly calls: RecordedCall[] = []
  settings: Settings
  key: KeyStatus
  voices: VoiceInfo[]
  /** Timers not yet gone off; cancelling one announces 'tools:timers'. */
  timers: TimerView[] = []
  appInfo: AppInfo
  nextContext: NextContext = { screen: false, selection: false, images: [] }
  private readonly answers = new Map<InvokeChannel, Answer<InvokeChannel>>()
  private readonly listeners = new Map<EventChannel, Set<(payload: never) => void>>()

  constructor(o: { settings?: Partial<Settings>; key?: KeyStatus; voices?: VoiceInfo[] } = {}) {
    this.settings = { ...DEFAULT_SETTINGS, firstRunDone: true, ...o.settings }
    this.key = o.key ?? { set: true, last4: 'c0de', storage: 'os-keychain' }
    this.voices = o.voices ?? BUILTIN_VOICES.map((v) => ({ ref: { kind: 'builtin' as const, id: v.id }, name: v.name, language: v.language }))
    this.appInfo = {
      version: '0.1.0',
      platform: 'linux',
      hotkey: { accelerator: this.settings.hotkey, requestedMode: this.settings.hotkeyMode, activeMode: this.settings.hotkeyMode }
    }
  }

  private contextChanged(): NextContext {
    this.emit('context:next', structuredClone(this.nextContext))
    return structuredClone(this.nextContext)
  }

  /** Calls to one channel, in order. */
  callsTo(channel: InvokeChannel): RecordedCall[] {
    return this.calls.filter((c) => c.channel === channel)
  }

  channels(): InvokeChannel[] {
    return this.calls.map((c) => c.channel)
  }

  /** Replaces a channel's answer. Throw FakeFailure from it to make the call fail. */
  answer<C extends InvokeChannel>(channel: C, fn: (payload: unknown) => InvokeResults[C] | Promise<InvokeResults[C]>): void {
    this.answers.set(channel, fn as Answer<InvokeChannel>)
  }

  /** Makes every later call to the channel fail with this error. */
  fail(channel: InvokeChannel, error: UserError): void {
    this.answer(channel, () => {
      throw new FakeFailure(error)
    })
  }

  /** The next call to the channel waits until the test resolves or fails it. */
  hold<C extends InvokeChannel>(channel: C): Deferred<InvokeResults[C]> {
    let settle: Deferred<InvokeResults[C]> | null = null
    const waiting = new Promise<InvokeResults[C]>((resolve, reject) => {
      settle = { resolve, fail: (e) => reject(new FakeFailure(e)) }
    })
    const previous = this.answers.get(channel)
    this.answers.set(channel, () => {
      if (previous) this.answers.set(channel, previous)
      else this.answers.delete(channel)
      return waiting
    })
    return {
      resolve: (v) => settle!.resolve(v),
      fail: (e) => settle!.fail(e)
    }
  }

  /** Sends a main-process event to every subscriber. */
  emit<E extends EventChannel>(event: E, payload: Events[E]): void {
    for (const l of this.listeners.get(event) ?? []) (l as (p: Events[E]) => void)(payload)
  }

  listenerCount(event: EventChannel): number {
    return this.listeners.get(event)?.size ?? 0
  }

  /** A saved voice by id, or the failure the app gives for an unknown one. */
  savedVoice(id: string): VoiceInfo {
    const voice = this.voices.find((v) => v.ref.kind !== 'builtin' && v.ref.id === id)
    if (!voice) throw new FakeFailure({ kind: 'input', message: `There is no saved voice with id '${id}'. Choose another voice in Voices.` })
    return voice
  }

  /** Saves a voice as the app does: listed, and announced with 'voices:changed'. */
  addVoice(voice: VoiceInfo): VoiceInfo {
    this.voices = [...this.voices, voice]
    this.emit('voices:changed', structuredClone(this.voices))
    return structuredClone(voice)
  }

  publicSettings(): PublicSettings {
    return { settings: structuredClone(this.settings), key: { ...this.key } }
  }

  /** The object the window sees as `window.api`. */
  get api(): Api {
    const api: Record<string, unknown> = {
      on: (event: EventChannel, listener: (payload: never) => void) => {
        const set = this.listeners.get(event) ?? new Set()
        set.add(listener)
        this.listeners.set(event, set)
        return () => set.delete(listener)
      }
    }
    for (const channel of INVOKE_CHANNELS) api[channel] = (payload?: unknown) => this.invoke(channel, payload)
    return api as Api
  }

  private async invoke(channel: InvokeChannel, payload: unknown): Promise<InvokeResult<InvokeChannel>> {
    this.calls.push({ channel, payload })
    const parsed = invokeSchemas[channel].safeParse(payload)
    if (!parsed.success) {
      return { ok: false, error: { kind: 'input', message: `Refused ${channel}: ${parsed.error.issues[0]?.message}` } }
    }
    try {
      const answer = this.answers.get(channel) ?? this.defaults[channel]
      if (!answer) throw new Error(`The fake has no answer for ${channel}`)
      return { ok: true, value: await answer(parsed.data) }
    } catch (err) {
      if (err instanceof FakeFailure) return { ok: false, error: err.userError }
      throw err
    }
  }

  /** How the app would answer, in miniature. */
  private readonly defaults: { [C in InvokeChannel]?: Answer<C> } = {
    'app:info': () => this.appInfo,
    'settings:get': () => this.publicSettings(),
    'settings:update': (patch) => {
      Object.assign(this.settings, settingsPatchSchema.parse(patch))
      return this.publicSettings()
    },
    'key:set': (p) => {
      const key = (p as { key: string }).key
      this.key = { set: true, last4: key.slice(-4), storage: this.key.storage }
      return this.publicSettings()
    },
    'key:clear': () => {
      this.key = { set: false, storage: this.key.storage }
      return this.publicSettings()
    },
    'key:test': () => ({ latencyMs: 312, model: this.settings.chatModel }),
    'assistant:press': () => ({ phase: 'recording' }),
    'assistant:release': () => ({ phase: 'thinking' }),
    'assistant:toggle': () => ({ phase: 'recording' }),
    'assistant:ask': () => ({ turnId: `t${this.calls.length}` }),
    'assistant:stop': () => ({ phase: 'idle' }),
    'assistant:retry': (p) => ({ turnId: (p as { turnId: string }).turnId }),
    'assistant:new-conversation': () => ({ state: { phase: 'idle' }, turns: [] }),
    'history:status': () => ({ path: '/fake/history/history.db', available: true }),
    'history:list': () => ({ conversations: [], next: null }),
    'history:search': () => [],
    'assistant:snapshot': () => ({ state: { phase: 'idle' }, turns: [] }),
    'conversation:start': () => ({ phase: 'listening', interruptByVoice: false, turns: 0 }),
    'conversation:stop': () => ({ phase: 'off', interruptByVoice: false, turns: 0, ended: 'user' }),
    'dictation:cancel': () => ({ phase: 'idle' }),
    'modes:snapshot': () => ({
      conversation: { phase: 'off', interruptByVoice: false, turns: 0 },
      dictation: { phase: 'idle' },
      shortcuts: { conversation: null, dictation: { accelerator: this.settings.dictationHotkey ?? '', activeMode: 'hybrid' } }
    }),
    'voices:list': () => structuredClone(this.voices),
    'voices:select': (ref) => {
      this.settings.voice = ref as Settings['voice']
      return this.publicSettings()
    },
    'voices:preview': () => ({ durationMs: 1200 }),
    'voices:stop-preview': () => null,
    'samples:record-start': () => ({ maxDurationMs: 35_000 }),
    'samples:record-stop': () => ({ draftId: `draft-${this.calls.length}`, quality: { ...GOOD_SAMPLE } }),
    'samples:record-cancel': () => null,
    'samples:import': () => ({ draftId: `draft-${this.calls.length}`, quality: { ...GOOD_SAMPLE, inputFormat: 'wav' as const } }),
    'samples:preview-draft': () => ({ durationMs: 1300 }),
    'samples:save': (p) => {
      const { name } = p as { name: string }
      return this.addVoice({ ref: { kind: 'clone', id: `clone-${this.calls.length}` }, name, durationSec: GOOD_SAMPLE.durationSec, quality: { ...GOOD_SAMPLE } })
    },
    'samples:discard': () => null,
    'voices:rename': (p) => {
      const { id, name } = p as { id: string; name: string }
      const voice = { ...this.savedVoice(id), name }
      this.voices = this.voices.map((v) => (v.ref.kind === voice.ref.kind && v.ref.id === id ? voice : v))
      this.emit('voices:changed', structuredClone(this.voices))
      return structuredClone(voice)
    },
    'voices:delete': (p) => {
      const { id } = p as { id: string }
      this.savedVoice(id)
      this.voices = this.voices.filter((v) => v.ref.kind === 'builtin' || v.ref.id !== id)
      this.emit('voices:changed', structuredClone(this.voices))
      if (this.settings.voice.kind !== 'builtin' && this.settings.voice.id === id) {
        this.settings.voice = { kind: 'builtin', id: 'mimo_default' }
        this.emit('settings:changed', this.publicSettings())
      }
      return this.publicSettings()
    },
    'voices:replace-sample': (p) => structuredClone(this.savedVoice((p as { id: string }).id)),
    'voices:design-preview': (p) => {
      const { text } = p as { text?: string }
      return { durationMs: 2400, text: text ?? 'Good evening. Let me tell you a story about the sea.' }
    },
    'voices:design-save': (p) => {
      const { name, description } = p as { name: string; description: string }
      return this.addVoice({ ref: { kind: 'design', id: `design-${this.calls.length}` }, name, description })
    },
    'audio:devices': () => ({ inputs: [{ id: 'mic-usb', label: 'USB microphone' }], outputs: [{ id: 'spk-hdmi', label: 'HDMI speaker' }] }),
    'tools:timers': () => structuredClone(this.timers),
    'tools:cancel-timer': (p) => {
      this.timers = this.timers.filter((t) => t.id !== (p as { id: string }).id)
      this.emit('tools:timers', structuredClone(this.timers))
      return structuredClone(this.timers)
    },
    'tools:confirmations': () => [],
    'tools:confirm': () => ({ answered: true }),
    'tools:mcp-status': () => [],
    'tools:mcp-set': (p) => {
      this.settings.mcpServers = parseMcpServersDocument((p as { document: string }).document)
      this.emit('settings:changed', this.publicSettings())
      return { servers: structuredClone(this.settings.mcpServers), status: [] }
    },
    'tools:mcp-enable': () => ({ servers: structuredClone(this.settings.mcpServers), status: [] }),
    'doctor:run': () => ({ checks: [] }),
    'mic:test': () => ({ rmsDbfs: -24, peakDbfs: -9, speechHeard: true, durationMs: 3000 }),
    'context:next': () => structuredClone(this.nextContext),
    // Every change is announced, as the main process's context service does.
    'context:set-next': (p) => {
      Object.assign(this.nextContext, p)
      return this.contextChanged()
    },
    'context:add-image': (p) => {
      const { fileName, bytes } = p as { fileName: string; bytes: Uint8Array }
      this.nextContext.images.push({ id: `img-${this.calls.length}`, kind: 'image', label: fileName, bytes: bytes.byteLength, width: 10, height: 10, mime: 'image/png' })
      return this.contextChanged()
    },
    'context:remove-image': (p) => {
      this.nextContext.images = this.nextContext.images.filter((i) => i.id !== (p as { id: string }).id)
      return this.contextChanged()
    }
  }
}
