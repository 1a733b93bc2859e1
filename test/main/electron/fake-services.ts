// Hand-written stand-ins for the services the shell drives, recording what was asked of them.
import type { AssistantState, LevelReading, TurnView } from '../../../src/shared/assistant'
import type { AssistantSnapshot } from '../../../src/shared/ipc'
import { DEFAULT_SETTINGS, settingsPatchSchema, type KeyStatus, type Settings, type SettingsPatch } from '../../../src/shared/settings'
import type { VoiceInfo, VoiceRef } from '../../../src/shared/voices'
import type { AssistantService, DoctorService, KeyService, MainServices, SettingsService, VoiceService } from '../../../src/main/services'

type Listener<T> = (v: T) => void

export class FakeAssistant implements AssistantService {
  calls: Array<[string, ...unknown[]]> = []
  state: AssistantState = { phase: 'idle' }
  turns: TurnView[] = []
  failWith: Error | null = null
  #listeners = { state: new Set<Listener<AssistantState>>(), level: new Set<Listener<LevelReading>>(), turn: new Set<Listener<TurnView>>() }

  #record(name: string, ...args: unknown[]) {
    this.calls.push([name, ...args])
    if (this.failWith) throw this.failWith
  }
  setPhase(phase: AssistantState['phase']) {
    this.state = { phase }
    for (const l of this.#listeners.state) l(this.state)
  }
  emitTurn(t: TurnView) {
    for (const l of this.#listeners.turn) l(t)
  }
  emitLevel(r: LevelReading) {
    for (const l of this.#listeners.level) l(r)
  }
  listenerCount() {
    return this.#listeners.state.size + this.#listeners.level.size + this.#listeners.turn.size
  }
  press() {
    this.#record('press')
    this.setPhase('recording')
    return this.state
  }
  release() {
    this.#record('release')
    this.setPhase('thinking')
    return this.state
  }
  toggle() {
    this.#record('toggle')
    this.setPhase(this.state.phase === 'recording' ? 'thinking' : 'recording')
    return this.state
  }
  ask(text: string, o?: { fromTray?: boolean }) {
    this.#record('ask', text, o)
    return { turnId: `t${this.calls.length}` }
  }
  stop() {
    this.#record('stop')
    this.setPhase('idle')
    return this.state
  }
  retry(turnId: string) {
    this.#record('retry', turnId)
    return { turnId }
  }
  newConversation(): AssistantSnapshot {
    this.#record('newConversation')
    return { state: this.state, turns: [] }
  }
  snapshot(): AssistantSnapshot {
    return { state: this.state, turns: this.turns }
  }
  on(e: 'state', l: Listener<AssistantState>): () => void
  on(e: 'level', l: Listener<LevelReading>): () => void
  on(e: 'turn', l: Listener<TurnView>): () => void
  on(e: 'state' | 'level' | 'turn', l: Listener<never>): () => void {
    const set = this.#listeners[e] as Set<Listener<never>>
    set.add(l)
    return () => set.delete(l)
  }
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
  on(_e: 'change', l: Listener<Settings>) {
    this.#listeners.add(l)
    return () => this.#listeners.delete(l)
  }
}

export class FakeKey implements KeyService {
  key: string | undefined
  status(): KeyStatus {
    return this.key ? { set: true, last4: this.key.slice(-4), storage: 'os-keychain' } : { set: false, storage: 'os-keychain' }
  }
  set(key: string) {
    this.key = key
    return this.status()
  }
  clear() {
    this.key = undefined
    return this.status()
  }
  get() {
    return this.key
  }
  async test() {
    return { latencyMs: 12, model: 'mimo-v2.5' }
  }
}

export class FakeVoices implements VoiceService {
  saved: VoiceInfo[] = []
  previews: Array<[VoiceRef, string | undefined]> = []
  #listeners = new Set<Listener<VoiceInfo[]>>()
  async list() {
    return this.saved
  }
  async preview(voice: VoiceRef, text?: string) {
    this.previews.push([voice, text])
    return { durationMs: 1500 }
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

export function fakeServices() {
  const services = {
    assistant: new FakeAssistant(),
    voices: new FakeVoices(),
    doctor: new FakeDoctor(),
    settings: new FakeSettings(),
    key: new FakeKey()
  }
  return services satisfies MainServices
}

export function turn(o: Partial<TurnView> & { id: string }): TurnView {
  return { input: 'text', reply: '', spoken: '', sources: [], status: 'thinking', timings: {}, canRetry: false, startedAt: '2026-01-01T00:00:00Z', ...o }
}
