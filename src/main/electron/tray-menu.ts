import type { AssistantPhase } from '../../shared/assistant'
import type { HotkeyStatus } from '../../shared/ipc'
import type { ConversationPhase, DictationPhase } from '../../shared/modes'
import type { Settings } from '../../shared/settings'
import type { TimerView, ToolConfirmation } from '../../shared/tools'
import { BUILTIN_VOICES, sameVoice, type VoiceInfo, type VoiceRef } from '../../shared/voices'

/** A plain menu template (a subset of Electron's MenuItemConstructorOptions). */
export interface TrayMenuItem {
  id?: string
  label?: string
  type?: 'normal' | 'separator' | 'submenu' | 'radio'
  checked?: boolean
  enabled?: boolean
  toolTip?: string
  submenu?: TrayMenuItem[]
  click?: () => void
}

export type TrayIconName = 'idle' | 'recording' | 'thinking' | 'speaking' | 'error' | 'conversation'

export interface TrayState {
  phase: AssistantPhase
  settings: Settings
  /** Saved voices (and built-ins) from the voice service; built-ins are always listed. */
  voices: VoiceInfo[]
  hotkey: HotkeyStatus
  /** The "ask about the screen" shortcut. */
  screenHotkey?: HotkeyStatus
  platform: NodeJS.Platform
  /** Timers and reminders not yet gone off (each can be cancelled from the tray). */
  timers?: TimerView[]
  /** Tool calls waiting for the user's yes. */
  confirmations?: ToolConfirmation[]
  /** The hands-free conversation ('off' when absent). */
  conversation?: ConversationPhase
  /** Dictation ('idle' when absent). */
  dictation?: DictationPhase
}

export interface TrayActions {
  cancelTimer?(id: string): void
  confirmTool?(callId: string, allow: boolean): void
  talk(): void
  /** Listens for a question about the screen, captured now. */
  askAboutScreen?(): void
  /** Starts the hands-free conversation, or ends it. */
  conversation?(): void
  /** Drops the dictation in progress. */
  cancelDictation?(): void
  ask(question: string): void
  stopSpeaking(): void
  selectVoice(voice: VoiceRef): void
  showWindow(): void
  openSettings(): void
  quit(): void
}

export interface TrayView {
  icon: TrayIconName
  tooltip: string
  menu: TrayMenuItem[]
}

const PHASE_WORDS: Record<AssistantPhase, string> = {
  idle: 'ready',
  recording: 'listening',
  thinking: 'thinking',
  speaking: 'speaking',
  error: 'something went wrong'
}

/** "CommandOrControl+Alt+Space" as people read it on this platform. */
export function shortcutLabel(accelerator: string, platform: NodeJS.Platform): string {
  const mac = platform === 'darwin'
  return accelerator
    .split('+')
    .map((part) => {
      switch (part.toLowerCase()) {
        case 'commandorcontrol':
        case 'cmdorctrl':
          return mac ? 'Cmd' : 'Ctrl'
        case 'command':
          return 'Cmd'
        case 'control':
          return 'Ctrl'
        case 'option':
          return 'Alt'
        case 'super':
        case 'meta':
          return mac ? 'Cmd' : 'Super'
        default:
          return part
      }
    })
    .join('+')
}

function shorten(text: string, max = 48): string {
  const oneLine = text.replace(/\s+/g, ' ').trim()
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1).trimEnd()}…`
}

/** Built-ins first (always), then saved voices; a saved voice with a problem is listed but disabled. */
export function voiceChoices(voices: VoiceInfo[]): VoiceInfo[] {
  const out: VoiceInfo[] = BUILTIN_VOICES.map((v) => ({ ref: { kind: 'builtin', id: v.id }, name: v.name, language: v.language }))
  for (const v of voices) if (!out.some((o) => sameVoice(o.ref, v.ref))) out.push(v)
  return out
}

/** "14:35" in the system's time zone. */
function clockTime(iso: string): string {
  return new Date(iso).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })
}

const CONVERSATION_WORDS: Record<Exclude<ConversationPhase, 'off'>, string> = {
  listening: 'listening',
  hearing: 'hearing you',
  answering: 'answering'
}

const DICTATION_WORDS: Record<Exclude<DictationPhase, 'idle'>, string> = {
  recording: 'dictating',
  transcribing: 'writing down the dictation',
  inserting: 'writing down the dictation'
}

/** A conversation shows its own icon the whole time it runs; otherwise the assistant's phase. */
export function trayIcon(phase: AssistantPhase, conversation: ConversationPhase = 'off', dictation: DictationPhase = 'idle'): TrayIconName {
  if (conversation !== 'off') return 'conversation'
  if (dictation === 'recording') return 'recording'
  return phase
}

export function trayTooltip(s: Pick<TrayState, 'phase' | 'hotkey' | 'platform' | 'conversation' | 'dictation'>): string {
  if (s.conversation && s.conversation !== 'off') return `MiMo Voice: in a conversation, ${CONVERSATION_WORDS[s.conversation]} (say "goodbye" to end it)`
  if (s.dictation && s.dictation !== 'idle') return `MiMo Voice: ${DICTATION_WORDS[s.dictation]}`
  if (s.hotkey.problem) return `MiMo Voice: ${s.hotkey.problem}`
  // No shortcut yet (start-up, before the key hook check ends): nothing to tell about it.
  if (s.hotkey.activeMode === 'none') return s.phase === 'idle' ? 'MiMo Voice: ready' : `MiMo Voice: ${PHASE_WORDS[s.phase]}`
  const key = shortcutLabel(s.hotkey.accelerator, s.platform)
  const how = s.hotkey.activeMode === 'toggle' ? `press ${key} to talk` : `hold ${key} to talk`
  return s.phase === 'idle' ? `MiMo Voice: ready (${how})` : `MiMo Voice: ${PHASE_WORDS[s.phase]}`
}

/** The tray's menu for this state and these settings. */
export function buildTrayMenu(s: TrayState, a: TrayActions): TrayMenuItem[] {
  const key = shortcutLabel(s.hotkey.accelerator, s.platform)
  const talk: TrayMenuItem =
    s.phase === 'recording'
      ? { id: 'talk', label: 'Stop and send', click: a.talk }
      : { id: 'talk', label: s.hotkey.activeMode === 'none' ? 'Talk' : `Talk (${key})`, click: a.talk }

  const screenKey = s.screenHotkey && s.screenHotkey.activeMode !== 'none' ? ` (${shortcutLabel(s.screenHotkey.accelerator, s.platform)})` : ''
  const aboutScreen: TrayMenuItem[] = a.askAboutScreen
    ? [{ id: 'screen-question', label: `Ask about the screen…${screenKey}`, enabled: s.phase !== 'recording', click: a.askAboutScreen }]
    : []

  const questions: TrayMenuItem[] = s.settings.quickQuestions.map((q, i) => ({
    id: `ask-${i}`,
    label: shorten(q),
    toolTip: q,
    click: () => a.ask(q)
  }))

  const voices: TrayMenuItem[] = voiceChoices(s.voices).map((v) => ({
    id: `voice-${v.ref.kind}-${v.ref.id}`,
    label: v.ref.kind === 'builtin' ? v.name : `${v.name} (${v.ref.kind === 'clone' ? 'cloned' : 'designed'})`,
    type: 'radio',
    checked: sameVoice(v.ref, s.settings.voice),
    enabled: !v.problem,
    click: () => a.selectVoice(v.ref)
  }))

  const inConversation = s.conversation !== undefined && s.conversation !== 'off'
  const conversation: TrayMenuItem[] = a.conversation
    ? [{ id: 'conversation', label: inConversation ? 'End conversation' : 'Start conversation', click: a.conversation }]
    : []
  const dictating = s.dictation !== undefined && s.dictation !== 'idle'
  const cancelDictation: TrayMenuItem[] = a.cancelDictation && dictating ? [{ id: 'cancel-dictation', label: 'Cancel dictation', click: a.cancelDictation }] : []
  const busy = s.phase === 'speaking' || s.phase === 'thinking'
  const toolName = (c: ToolConfirmation): string => (c.server ? `${c.server} › ${c.tool}` : c.tool)
  // A call waiting for a yes comes first: it stops the answer until someone decides.
  const confirmations: TrayMenuItem[] = (s.confirmations ?? []).flatMap((c) => [
    { id: `allow-${c.callId}`, label: `Allow ${shorten(toolName(c), 40)}`, toolTip: c.arguments.slice(0, 300), click: () => a.confirmTool?.(c.callId, true) },
    { id: `refuse-${c.callId}`, label: `Refuse ${shorten(toolName(c), 40)}`, click: () => a.confirmTool?.(c.callId, false) }
  ])
  const timers: TrayMenuItem[] = (s.timers ?? []).map((t) => ({
    id: `timer-${t.id}`,
    label: `Cancel ${shorten(t.label, 30)} (${clockTime(t.dueAt)})`,
    click: () => a.cancelTimer?.(t.id)
  }))
  return [
    ...(confirmations.length ? [...confirmations, { type: 'separator' as const }] : []),
    talk,
    ...aboutScreen,
    ...conversation,
    ...cancelDictation,
    ...(questions.length ? [{ type: 'separator' as const }, ...questions] : []),
    { type: 'separator' },
    { id: 'stop', label: 'Stop speaking', enabled: busy, click: a.stopSpeaking },
    { id: 'voice', label: 'Voice', type: 'submenu', submenu: voices },
    ...(timers.length ? [{ id: 'timers', label: `Timers (${timers.length})`, type: 'submenu' as const, submenu: timers }] : []),
    { type: 'separator' },
    { id: 'show', label: 'Show window', click: a.showWindow },
    { id: 'settings', label: 'Settings…', click: a.openSettings },
    { type: 'separator' },
    { id: 'quit', label: 'Quit MiMo Voice', click: a.quit }
  ]
}

export function trayView(s: TrayState, a: TrayActions): TrayView {
  return { icon: trayIcon(s.phase, s.conversation, s.dictation), tooltip: trayTooltip(s), menu: buildTrayMenu(s, a) }
}
