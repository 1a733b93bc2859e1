import { describe, expect, it } from 'vitest'
import { createTrayPresenter } from '../../../src/main/electron/tray'
import { buildTrayMenu, shortcutLabel, trayTooltip, trayView, type TrayActions, type TrayMenuItem, type TrayState } from '../../../src/main/electron/tray-menu'
import type { HotkeyStatus } from '../../../src/shared/ipc'
import { BUILTIN_VOICES } from '../../../src/shared/voices'
import { DEFAULT_SETTINGS } from '../../../src/shared/settings'
import { Emitter } from './fake-electron'

const hotkey: HotkeyStatus = { accelerator: 'CommandOrControl+Alt+Space', requestedMode: 'hybrid', activeMode: 'hybrid' }

function state(o: Partial<TrayState> = {}): TrayState {
  return { phase: 'idle', settings: DEFAULT_SETTINGS, voices: [], hotkey, platform: 'linux', ...o }
}

function recordingActions() {
  const calls: Array<[string, ...unknown[]]> = []
  const actions: TrayActions = {
    talk: () => calls.push(['talk']),
    ask: (q) => calls.push(['ask', q]),
    stopSpeaking: () => calls.push(['stop']),
    selectVoice: (v) => calls.push(['voice', v]),
    showWindow: () => calls.push(['show']),
    openSettings: () => calls.push(['settings']),
    quit: () => calls.push(['quit'])
  }
  return { calls, actions }
}

const byId = (menu: TrayMenuItem[], id: string) => menu.find((i) => i.id === id)!

describe('tray menu', () => {
  it('idle: Talk with the shortcut, the quick questions, Stop disabled, Voice, Show, Settings, Quit', () => {
    const { actions } = recordingActions()
    const menu = buildTrayMenu(state(), actions)
    const labels = menu.filter((i) => i.type !== 'separator').map((i) => i.label)
    expect(labels[0]).toBe('Talk (Ctrl+Alt+Space)')
    expect(labels.slice(1, 1 + DEFAULT_SETTINGS.quickQuestions.length)).toHaveLength(DEFAULT_SETTINGS.quickQuestions.length)
    expect(labels.slice(-5)).toEqual(['Stop speaking', 'Voice', 'Show window', 'Settings…', 'Quit MiMo Voice'])
    expect(byId(menu, 'stop').enabled).toBe(false)
  })

  it('follows the phase: recording offers "Stop and send", speaking enables Stop speaking', () => {
    const { actions } = recordingActions()
    expect(byId(buildTrayMenu(state({ phase: 'recording' }), actions), 'talk').label).toBe('Stop and send')
    expect(byId(buildTrayMenu(state({ phase: 'speaking' }), actions), 'stop').enabled).toBe(true)
    expect(byId(buildTrayMenu(state({ phase: 'thinking' }), actions), 'stop').enabled).toBe(true)
    expect(trayView(state({ phase: 'speaking' }), actions).icon).toBe('speaking')
    expect(trayView(state({ phase: 'error' }), actions).icon).toBe('error')
  })

  it('each quick question asks that question; long ones are shortened in the label only', () => {
    const { actions, calls } = recordingActions()
    const long = 'Explain, in a couple of friendly sentences, why the sky looks blue during the day'
    const menu = buildTrayMenu(state({ settings: { ...DEFAULT_SETTINGS, quickQuestions: ['What time is it?', long] } }), actions)
    byId(menu, 'ask-0').click!()
    byId(menu, 'ask-1').click!()
    expect(calls).toEqual([['ask', 'What time is it?'], ['ask', long]])
    expect(byId(menu, 'ask-1').label!.length).toBeLessThanOrEqual(48)
    expect(byId(menu, 'ask-1').label).toMatch(/…$/)
    const none = buildTrayMenu(state({ settings: { ...DEFAULT_SETTINGS, quickQuestions: [] } }), actions)
    expect(none.some((i) => i.id?.startsWith('ask-'))).toBe(false)
    expect(none[1].type).toBe('separator')
    expect(none[2].type).not.toBe('separator')
  })

  it('the voice submenu lists built-ins and saved voices as radio items, the chosen one checked', () => {
    const { actions, calls } = recordingActions()
    const s = state({
      settings: { ...DEFAULT_SETTINGS, voice: { kind: 'clone', id: 'me' } },
      voices: [
        { ref: { kind: 'builtin', id: 'Mia' }, name: 'Mia' },
        { ref: { kind: 'clone', id: 'me' }, name: 'My voice' },
        { ref: { kind: 'design', id: 'narrator' }, name: 'Narrator' },
        { ref: { kind: 'clone', id: 'lost' }, name: 'Lost', problem: 'The sample file is missing.' }
      ]
    })
    const voices = byId(buildTrayMenu(s, actions), 'voice').submenu!
    expect(voices).toHaveLength(BUILTIN_VOICES.length + 3)
    expect(voices.every((v) => v.type === 'radio')).toBe(true)
    expect(voices.filter((v) => v.checked).map((v) => v.label)).toEqual(['My voice (cloned)'])
    expect(voices.find((v) => v.label === 'Narrator (designed)')).toBeDefined()
    expect(voices.find((v) => v.label === 'Lost (cloned)')!.enabled).toBe(false)
    voices.find((v) => v.label === 'Mia')!.click!()
    expect(calls).toEqual([['voice', { kind: 'builtin', id: 'Mia' }]])
  })

  it('menu items call their actions', () => {
    const { actions, calls } = recordingActions()
    const menu = buildTrayMenu(state(), actions)
    for (const id of ['talk', 'stop', 'show', 'settings', 'quit']) byId(menu, id).click!()
    expect(calls.map((c) => c[0])).toEqual(['talk', 'stop', 'show', 'settings', 'quit'])
  })

  it('the tooltip shows the state, how to talk, or the shortcut problem', () => {
    expect(trayTooltip(state())).toBe('MiMo Voice: ready (hold Ctrl+Alt+Space to talk)')
    expect(trayTooltip(state({ platform: 'darwin' }))).toBe('MiMo Voice: ready (hold Cmd+Alt+Space to talk)')
    expect(trayTooltip(state({ hotkey: { ...hotkey, activeMode: 'toggle' } }))).toBe('MiMo Voice: ready (press Ctrl+Alt+Space to talk)')
    expect(trayTooltip(state({ phase: 'recording' }))).toBe('MiMo Voice: listening')
    expect(trayTooltip(state({ hotkey: { ...hotkey, activeMode: 'none', problem: 'The shortcut is taken.' } }))).toBe(
      'MiMo Voice: The shortcut is taken.'
    )
    expect(shortcutLabel('Super+Shift+F5', 'linux')).toBe('Super+Shift+F5')
  })
})

class FakeTray extends Emitter {
  images: string[] = []
  tooltips: string[] = []
  menus: unknown[] = []
  destroyed = false
  constructor(image: string) {
    super()
    this.images.push(image)
  }
  setImage(i: string) {
    this.images.push(i)
  }
  setToolTip(t: string) {
    this.tooltips.push(t)
  }
  setContextMenu(m: unknown) {
    this.menus.push(m)
  }
  destroy() {
    this.destroyed = true
  }
}

describe('tray presenter (fake Tray and Menu)', () => {
  it('creates the tray once, swaps the icon only when the state changes, rebuilds the menu each time', () => {
    const trays: FakeTray[] = []
    const built: unknown[] = []
    let shown = 0
    const presenter = createTrayPresenter({
      createTray: (img) => {
        const t = new FakeTray(img as unknown as string)
        trays.push(t)
        return t as never
      },
      buildMenu: (template) => {
        built.push(template)
        return { template } as never
      },
      icon: (name) => `icon:${name}` as never,
      onClick: () => shown++
    })
    const { actions } = recordingActions()
    presenter.render(trayView(state(), actions))
    presenter.render(trayView(state(), actions))
    presenter.render(trayView(state({ phase: 'recording' }), actions))
    expect(trays).toHaveLength(1)
    expect(trays[0].images).toEqual(['icon:idle', 'icon:recording'])
    expect(trays[0].tooltips.at(-1)).toBe('MiMo Voice: listening')
    expect(built).toHaveLength(3)
    trays[0].emit('click')
    expect(shown).toBe(1)
    presenter.destroy()
    expect(trays[0].destroyed).toBe(true)
  })
})
