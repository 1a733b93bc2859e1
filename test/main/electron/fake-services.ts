// Hand-written stand-ins for the services the shell drives, recording what was asked of them.
import type { AssistantSnapshot, AssistantState, LevelReading, ReplyDelta, TurnBase, TurnStatus, TurnView } from '../../../src/shared/assistant'
import type { UserError } from '../../../src/shared/errors'
import type { AppInfo, Handlers, SampleRecordingStopped } from '../../../src/shared/ipc'
import { createHandlers } from '../../../src/main/ipc-handlers'
import { DEFAULT_SETTINGS, settingsPatchSchema, type KeyStatus, type Settings, type SettingsPatch } from '../../../src/shared/settings'
import type { SampleCheckResult, SampleQuality, VoiceInfo, VoiceRef } from '../../../src/shared/voices'
import type { SampleRecorder } from '../../../src/core/voices/sample-recorder'
import type { Assistant } from '../../../src/core/assistant/assistant'
import type { ConversationsService } from '../../../src/core/conversations/conversations-service'
import { HistoryNotFoundError } from '../../../src/core/conversations/errors'
import { HistoryEvents } from '../../../src/core/conversations/history-events'
import type { ConversationService, DictationControl, DoctorService, KeyService, MainServices, SettingsService } from '../../../src/core/services'
import type { ConversationEvents } from '../../../src/core/modes/conversation-mode'
import type { DictationEvents } from '../../../src/core/dictation/dictation'
import { CONVERSATION_OFF, type ConversationState, type DictationState } from '../../../src/shared/modes'
import type { VoiceService } from '../../../src/core/voices/voice-service'

type Listener<T> = (v: T) => void

export class FakeAssistant implements Assistant {
  calls: Array<[string, ...unknown[]]> = []
  current: AssistantState = { phase: 'idle' }
  turns: TurnView[] = []
  failWith: Error | null = null
  #listeners = {
    state: new Set<Listener<AssistantState>>(),
    level: new Set<Listener<LevelReading>>(),
    turn: new Set<Listener<TurnView>>(),
    reply: new Set<Listener<ReplyDelta>>()
  }

  #record(name: string, ...args: unknown[]) {
    this.calls.push([name, ...args])
    if (this.failWith) throw this.failWith
  }
  setPhase(phase: AssistantState['phase']) {
    this.current = { phase }
    for (const l of this.#listeners.state) l(this.current)
  }
  state() {
    return this.current
  }
  emitTurn(t: TurnView) {
    for (const l of this.#listeners.turn) l(t)
  }
  emitReply(d: ReplyDelta) {
    for (const l of this.#listeners.reply) l(d)
  }
  emitLevel(r: LevelReading) {
    for (const l of this.#listeners.level) l(r)
  }
  listenerCount() {
    return Object.values(this.#listeners).reduce((n, set) => n + set.size, 0)
  }
  press(o?: unknown) {
    this.#record('press', ...(o ? [o] : []))
    this.setPhase('recording')
    return this.current
  }
  release() {
    this.#record('release')
    this.setPhase('thinking')
    return this.current
  }
  toggle(o?: unknown) {
    this.#record('toggle', ...(o ? [o] : []))
    this.setPhase(this.current.phase === 'recording' ? 'thinking' : 'recording')
    return this.current
  }
  ask(text: string, o?: { fromTray?: boolean }) {
    this.#record('ask', text, o)
    return { turnId: `t${this.calls.length}` }
  }
  askRecording(recording: { durationMs: number }) {
    this.#record('askRecording', recording.durationMs)
    return { turnId: `t${this.calls.length}` }
  }
  stop() {
    this.#record('stop')
    this.setPhase('idle')
    return this.current
  }
  retry(turnId: string) {
    this.#record('retry', turnId)
    return { turnId }
  }
  newConversation(): AssistantSnapshot {
    this.#record('newConversation')
    return { state: this.current, turns: [] }
  }
  resume(earlier: TurnView[]): AssistantSnapshot {
    this.#record('resume', earlier)
    this.turns = earlier
    return { state: this.current, turns: earlier }
  }
  snapshot(): AssistantSnapshot {
    return { state: this.current, turns: this.turns }
  }
  askAudio(_bytes: Uint8Array) {
    this.#record('askAudio')
    return { turnId: `t${this.calls.length}` }
  }
  settled(turnId: string): Promise<TurnView> {
    const found = this.turns.find((t) => t.id === turnId)
    return found ? Promise.resolve(found) : Promise.reject(new Error('no such turn'))
  }
  dispose() {
    this.#record('dispose')
  }
  on<E extends keyof FakeAssistant['listenerTypes']>(e: E, l: Listener<FakeAssistant['listenerTypes'][E]>): () => void {
    const set = this.#listeners[e] as Set<Listener<FakeAssistant['listenerTypes'][E]>>
    set.add(l)
    return () => set.delete(l)
  }
  declare listenerTypes: { state: AssistantState; level: LevelReading; turn: TurnView; reply: ReplyDelta }
}

export class FakeSettings implements SettingsService {
  value: Settings = { ...DEFAULT_SETTINGS }
  #listeners = new Set<Listener<Settings>>()
  get() {
    return this.value
  }
  update(p: SettingsPatch) {
    const parsed = settingsPatchSchema.parse(p)
    this.value = { ...this.value, ...parsed }
    for (const l of this.#listeners) l(this.value)
    return this.value
  }
  setMcpServers(servers: Settings['mcpServers']) {
    this.value = { ...this.value, mcpServers: servers }
    for (const l of this.#listeners) l(this.value)
    return this.value
  }
  on(_e: 'change', l: Listener<Settings>) {
    this.#listeners.add(l)
    return () => this.#listeners.delete(l)
  }
}

export class FakeKey implements KeyService {
  key: string | undefined
  #listeners = new Set<Listener<KeyStatus>>()
  on(_e: 'change', l: Listener<KeyStatus>) {
    this.#listeners.add(l)
    return () => this.#listeners.delete(l)
  }
  #changed() {
    const status = this.status()
    for (const l of this.#listeners) l(status)
    return status
  }
  status(): KeyStatus {
    return this.key ? { set: true, last4: this.key.slice(-4), storage: 'os-keychain' } : { set: false, storage: 'os-keychain' }
  }
  set(key: string) {
    this.key = key
    return this.#changed()
  }
  clear() {
    this.key = undefined
    return this.#changed()
  }
  get() {
    return this.key
  }
  async keyFor() {
    return this.key
  }
  async test() {
    return { latencyMs: 12, model: 'mimo-v2.5' }
  }
}

/** The sample recorder port: records which calls were made and lets a test send its events. */
export class FakeSampleRecorder implements SampleRecorder {
  calls: string[] = []
  recording = false
  #level = new Set<Listener<LevelReading>>()
  #stopped = new Set<Listener<SampleRecordingStopped>>()
  async start() {
    this.calls.push('start')
    this.recording = true
    return { maxDurationMs: 35_000 }
  }
  async stop(): Promise<SampleCheckResult> {
    this.calls.push('stop')
    this.recording = false
    return { draftId: 'draft-1', quality: { ...FAKE_QUALITY } }
  }
  cancel() {
    this.calls.push('cancel')
    this.recording = false
  }
  on(e: 'level', l: Listener<LevelReading>): () => void
  on(e: 'stopped', l: Listener<SampleRecordingStopped>): () => void
  on(e: 'level' | 'stopped', l: Listener<never>): () => void {
    const set = (e === 'level' ? this.#level : this.#stopped) as Set<Listener<never>>
    set.add(l)
    return () => set.delete(l)
  }
  emitLevel(r: LevelReading) {
    for (const l of this.#level) l(r)
  }
  emitStopped(s: SampleRecordingStopped) {
    for (const l of this.#stopped) l(s)
  }
  listenerCount() {
    return this.#level.size + this.#stopped.size
  }
}

export const FAKE_QUALITY: SampleQuality = {
  durationSec: 9.5,
  sampleRate: 16000,
  channelsIn: 1,
  clippingShare: 0,
  rmsDbfs: -20,
  peakDbfs: -3,
  noiseDbfs: -70,
  trimmedLeadingSec: 0.2,
  trimmedTrailingSec: 0.4,
  base64Bytes: 405_000,
  warnings: [],
  refusals: []
}

export class FakeVoices implements VoiceService {
  saved: VoiceInfo[] = []
  previews: Array<[VoiceRef, string | undefined]> = []
  /** Every other call, by name with its arguments. */
  calls: Array<[string, ...unknown[]]> = []
  samples = new FakeSampleRecorder()
  #listeners = new Set<Listener<VoiceInfo[]>>()
  async list() {
    return this.saved
  }
  async resolve(ref: VoiceRef) {
    this.calls.push(['resolve', ref])
    return ref.kind === 'builtin' ? { kind: 'builtin' as const, id: ref.id } : { kind: 'builtin' as const, id: 'mimo_default' }
  }
  async preview(voice: VoiceRef, text?: string) {
    this.previews.push([voice, text])
    return { durationMs: 1500 }
  }
  async previewDraft(draftId: string, text?: string) {
    this.calls.push(['previewDraft', draftId, text])
    return { durationMs: 1400 }
  }
  stopPreview() {
    this.calls.push(['stopPreview'])
  }
  async checkSample(bytes: Uint8Array, fileName?: string): Promise<SampleCheckResult> {
    this.calls.push(['checkSample', bytes.length, fileName])
    return { draftId: 'draft-1', quality: { ...FAKE_QUALITY } }
  }
  async saveDraft(draftId: string, name: string, consent: boolean): Promise<VoiceInfo> {
    this.calls.push(['saveDraft', draftId, name, consent])
    const voice: VoiceInfo = { ref: { kind: 'clone', id: `v${this.saved.length + 1}` }, name }
    this.change([...this.saved, voice])
    return voice
  }
  async replaceSampleWithDraft(voiceId: string, draftId: string, consent: boolean): Promise<VoiceInfo> {
    this.calls.push(['replaceSampleWithDraft', voiceId, draftId, consent])
    return this.#find(voiceId)
  }
  discardDraft(draftId: string) {
    this.calls.push(['discardDraft', draftId])
  }
  async rename(voiceId: string, name: string): Promise<VoiceInfo> {
    this.calls.push(['rename', voiceId, name])
    return { ...this.#find(voiceId), name }
  }
  async remove(voiceId: string) {
    this.calls.push(['remove', voiceId])
    this.#find(voiceId)
    this.change(this.saved.filter((v) => v.ref.id !== voiceId))
  }
  async designPreview(description: string, text?: string) {
    this.calls.push(['designPreview', description, text])
    return { durationMs: 2100, text: text ?? 'A sentence the model wrote.' }
  }
  async saveDesign(name: string, description: string): Promise<VoiceInfo> {
    this.calls.push(['saveDesign', name, description])
    const voice: VoiceInfo = { ref: { kind: 'design', id: `d${this.saved.length + 1}` }, name, description }
    this.change([...this.saved, voice])
    return voice
  }
  #find(voiceId: string): VoiceInfo {
    const voice = this.saved.find((v) => v.ref.id === voiceId)
    if (!voice) throw Object.assign(new Error('no such voice'), { toUserError: () => ({ kind: 'input' as const, message: 'There is no saved voice with this id.' }) })
    return voice
  }
  on(_e: 'change', l: Listener<VoiceInfo[]>) {
    this.#listeners.add(l)
    return () => this.#listeners.delete(l)
  }
  change(list: VoiceInfo[]) {
    this.saved = list
    for (const l of this.#listeners) l(list)
  }
}

export class FakeDoctor implements DoctorService {
  async run() {
    return { checks: [{ id: 'key' as const, status: 'ok' as const, label: 'API key', detail: 'set' }] }
  }
  async micTest() {
    return { rmsDbfs: -30, peakDbfs: -12, speechHeard: true, durationMs: 3000 }
  }
  async devices() {
    return { inputs: [{ id: 'default', label: 'Default' }], outputs: [] }
  }
}

/** The MiMo client's warm-up: records each call. */
export class FakeConnections {
  warmed: number[] = []
  warm(holdMs = 0): void {
    this.warmed.push(holdMs)
  }
}

/** Events by hand, for the mode fakes. */
class Emitter<Ev> {
  readonly #listeners = new Map<keyof Ev, Set<(v: never) => void>>()
  on<E extends keyof Ev>(e: E, l: (v: Ev[E]) => void): () => void {
    const set = this.#listeners.get(e) ?? new Set()
    this.#listeners.set(e, set)
    set.add(l as (v: never) => void)
    return () => set.delete(l as (v: never) => void)
  }
  emit<E extends keyof Ev>(e: E, v: Ev[E]): void {
    for (const l of this.#listeners.get(e) ?? []) (l as (v: Ev[E]) => void)(v)
  }
  count(): number {
    return [...this.#listeners.values()].reduce((n, s) => n + s.size, 0)
  }
}

export class FakeConversation extends Emitter<ConversationEvents> implements ConversationService {
  calls: string[] = []
  current: ConversationState = CONVERSATION_OFF
  set(state: Partial<ConversationState>) {
    this.current = { ...this.current, ...state }
    this.emit('state', this.current)
  }
  start() {
    this.calls.push('start')
    this.set({ phase: 'listening', ended: undefined })
    return this.current
  }
  stop() {
    this.calls.push('stop')
    this.set({ phase: 'off', ended: 'user' })
    return this.current
  }
  state() {
    return this.current
  }
}

export class FakeDictation extends Emitter<DictationEvents> implements DictationControl {
  calls: string[] = []
  current: DictationState = { phase: 'idle' }
  set(phase: DictationState['phase']) {
    this.current = { phase }
    this.emit('state', this.current)
  }
  press() {
    this.calls.push('press')
    this.set('recording')
    return this.current
  }
  release() {
    this.calls.push('release')
    this.set('transcribing')
    return this.current
  }
  toggle() {
    this.calls.push('toggle')
    return this.current.phase === 'recording' ? this.release() : this.press()
  }
  cancel() {
    this.calls.push('cancel')
    this.set('idle')
  }
  state() {
    return this.current
  }
}

/** The history's service with nothing kept: calls are recorded; a conversation asked for is not there. */
export class FakeConversations implements ConversationsService {
  calls: Array<[string, unknown[]]> = []
  private readonly events = new HistoryEvents()
  private note(name: string, args: unknown[]): void {
    this.calls.push([name, args])
  }
  status() {
    return { path: '/fake/history/history.db', available: true }
  }
  list(...a: unknown[]) {
    this.note('list', a)
    return { conversations: [], next: null }
  }
  get(id: number): never {
    this.note('get', [id])
    throw new HistoryNotFoundError('conversation')
  }
  search(...a: unknown[]) {
    this.note('search', a)
    return []
  }
  rename(id: number): never {
    this.note('rename', [id])
    throw new HistoryNotFoundError('conversation')
  }
  remove(id: number): void {
    this.note('remove', [id])
  }
  clear(): void {
    this.note('clear', [])
  }
  latestId() {
    return null
  }
  applyRetention() {
    return 0
  }
  exportText() {
    return { text: '', conversations: 0, turns: 0 }
  }
  exportFile(format: 'md' | 'json') {
    return { path: `/fake/export.${format}`, conversations: 0, turns: 0 }
  }
  async replay(turnId: number): Promise<never> {
    this.note('replay', [turnId])
    throw new HistoryNotFoundError('audio')
  }
  stopReplay(): void {
    this.note('stopReplay', [])
  }
  continue(id: number): never {
    this.note('continue', [id])
    throw new HistoryNotFoundError('conversation')
  }
  on(e: 'change' | 'problem', l: never): () => void {
    return this.events.on(e as 'change', l)
  }
}

export function fakeServices() {
  const services = {
    conversations: new FakeConversations(),
    assistant: new FakeAssistant(),
    voices: new FakeVoices(),
    doctor: new FakeDoctor(),
    settings: new FakeSettings(),
    key: new FakeKey(),
    connections: new FakeConnections(),
    conversation: new FakeConversation(),
    dictation: new FakeDictation()
  }
  return services satisfies MainServices
}

export const FAKE_APP_INFO: AppInfo = {
  version: '0.1.0',
  platform: 'linux',
  hotkey: { accelerator: 'Ctrl+Alt+Space', requestedMode: 'hybrid', activeMode: 'hybrid' }
}

/** The real handler map over fakes, with the services a test passes in place of theirs. */
export function handlersOver(real: Partial<MainServices>): Handlers {
  return createHandlers({ ...fakeServices(), ...real, pageReady: () => {}, modes: idleModes, appInfo: () => FAKE_APP_INFO })
}

/** A turn for the fakes: any status; an error turn takes `error` and `canRetry`. */
export type TurnFields = Partial<TurnBase> & { id: string; status?: TurnStatus; error?: UserError; canRetry?: boolean }

export function turn(o: TurnFields): TurnView {
  return { input: 'text', reply: '', spoken: '', sources: [], status: 'thinking', timings: {}, startedAt: '2026-01-01T00:00:00Z', ...o } as TurnView
}

/** The modes' snapshot when nothing runs and no shortcut is registered. */
export const idleModes = () => ({ conversation: CONVERSATION_OFF, dictation: { phase: 'idle' as const }, shortcuts: { conversation: null, dictation: null } })
