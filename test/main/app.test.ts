import { describe, expect, it } from 'vitest'
import { RecorderMissingError } from '../../src/core/audio/errors'
import type { Settings } from '../../src/shared/settings'
import { ALT, CTRL, pressCombo, releaseCombo, SPACE } from './hotkey/fakes'

/** Left Shift in uiohook's key codes. */
const SHIFT = 0x002a
import { fakeServices, turn } from './electron/fake-services'
import { appRig } from './app-rig'

function setup(o: { env?: NodeJS.ProcessEnv; startHidden?: boolean; firstRunDone?: boolean; settings?: Partial<Settings> } = {}) {
  const s = fakeServices()
  s.settings.value = { ...s.settings.value, firstRunDone: o.firstRunDone ?? true, ...o.settings }
  const rig = appRig({ services: s, env: o.env ?? { XDG_SESSION_TYPE: 'x11' }, startHidden: o.startHidden })
  const handshake = () => rig.handlers()['settings:get'](undefined)
  const lastView = () => rig.views.at(-1)!
  const click = (id: string) => lastView().menu.find((i) => i.id === id)!.click!()
  return { s, ...rig, served: rig.handlers, handshake, lastView, click }
}

describe('the desktop app wiring (fakes for every Electron object)', () => {
  it('starts: serves IPC, draws the tray, registers the shortcut, shows the window', async () => {
    const t = setup()
    await t.app.start()
    expect(t.served()).toBe(t.app.handlers)
    expect(t.lastView().icon).toBe('idle')
    expect(t.app.hotkeyStatus()).toEqual({ accelerator: 'CommandOrControl+Alt+Space', requestedMode: 'hybrid', activeMode: 'hybrid' })
    expect(t.hook.running).toBe(true)
    expect(t.shown()).toBe(1)
    expect(await t.served()!['app:info'](undefined)).toMatchObject({ version: '0.1.0', hotkey: { activeMode: 'hybrid' } })
  })

  it('opens the connections to MiMo when it starts and whenever the window is shown', async () => {
    const hidden = setup({ startHidden: true })
    await hidden.app.start()
    expect(hidden.s.connections.warmed).toEqual([0])
    hidden.app.showWindow()
    expect(hidden.s.connections.warmed).toEqual([0, 0])
    hidden.app.openView('settings')
    expect(hidden.s.connections.warmed).toEqual([0, 0, 0])
  })

  it('started hidden (login item) it stays in the tray, unless the first run is not done', async () => {
    const hidden = setup({ startHidden: true })
    await hidden.app.start()
    expect(hidden.shown()).toBe(0)
    const firstRun = setup({ startHidden: true, firstRunDone: false })
    await firstRun.app.start()
    expect(firstRun.shown()).toBe(1)
  })

  it('the hotkey drives press and release on the assistant; the tray icon follows', async () => {
    const t = setup()
    await t.app.start()
    pressCombo(t.hook, 3)
    expect(t.s.assistant.calls).toEqual([['press']])
    expect(t.lastView().icon).toBe('recording')
    t.clock.advance(1200)
    releaseCombo(t.hook)
    expect(t.s.assistant.calls).toEqual([['press'], ['release']])
    expect(t.lastView().icon).toBe('thinking')
  })

  it('the screen shortcut (Ctrl+Alt+Shift+Space) asks about the screen, held like the talk one; the tray offers it too', async () => {
    const t = setup()
    await t.app.start()
    const screen = { context: { screen: true } }
    t.hook.emitDown(CTRL, { ctrlKey: true })
    t.hook.emitDown(ALT, { ctrlKey: true, altKey: true })
    t.hook.emitDown(SHIFT, { ctrlKey: true, altKey: true, shiftKey: true })
    t.hook.emitDown(SPACE, { ctrlKey: true, altKey: true, shiftKey: true })
    expect(t.s.assistant.calls).toEqual([['press', screen]])
    t.clock.advance(1200)
    t.hook.emitUp(SPACE, { ctrlKey: true, altKey: true, shiftKey: true })
    expect(t.s.assistant.calls).toEqual([['press', screen], ['release']])
    // The talk shortcut still asks without the screen; one hook serves both.
    pressCombo(t.hook)
    expect(t.s.assistant.calls.at(-1)).toEqual(['press'])
    expect(t.app.handlers['app:info'](undefined)).toMatchObject({ screenHotkey: { accelerator: 'CommandOrControl+Alt+Shift+Space', activeMode: 'hybrid' } })

    const item = t.lastView().menu.find((i) => i.id === 'screen-question')!
    expect(item.label).toBe('Ask about the screen… (Ctrl+Alt+Shift+Space)')
    t.s.assistant.setPhase('idle')
    t.click('screen-question')
    expect(t.s.assistant.calls.at(-1)).toEqual(['toggle', screen])
  })

  it('a screen shortcut equal to the talk shortcut is off; the talk shortcut keeps the key', async () => {
    const t = setup()
    // Dictation's shortcut off: only the talk and screen shortcuts are in question here.
    t.s.settings.value = { ...t.s.settings.value, screenHotkey: t.s.settings.value.hotkey, hotkeyMode: 'toggle', dictationHotkey: null }
    await t.app.start()
    expect([...t.shortcuts.registered.keys()]).toEqual([t.s.settings.value.hotkey])
    expect(t.app.handlers['app:info'](undefined)).toMatchObject({ screenHotkey: { activeMode: 'none' } })
  })

  it('Record in the Voices tab goes to the sample recorder alone (the microphone service ends a turn, not the wiring)', async () => {
    const t = setup()
    await t.app.start()
    await t.served()!['samples:record-start'](undefined)
    expect(t.s.voices.samples.calls).toEqual(['start'])
    expect(t.s.assistant.calls).toEqual([])
  })

  it('the key service says when the key changed; the window gets the new status from that one place', async () => {
    const t = setup()
    await t.app.start()
    t.handshake()
    t.s.key.set('sk-abcdefgh1234')
    expect(t.sent.at(-1)).toEqual(['settings:changed', expect.objectContaining({ key: expect.objectContaining({ set: true, last4: '1234' }) })])
    await t.served()!['key:clear'](undefined)
    expect(t.sent.filter(([c]) => c === 'settings:changed').map(([, p]) => (p as { key: { set: boolean } }).key.set)).toEqual([true, false])
  })

  it('answer text streams to the window as deltas, whole turns on every other change', async () => {
    const t = setup()
    await t.app.start()
    t.handshake()
    t.s.assistant.emitTurn(turn({ id: 't1', reply: 'Hel' }))
    t.s.assistant.emitReply({ turnId: 't1', text: 'lo' })
    expect(t.sent).toEqual([
      ['assistant:turn', expect.objectContaining({ id: 't1', reply: 'Hel' })],
      ['assistant:reply', { turnId: 't1', text: 'lo' }]
    ])
  })

  it('events reach the window only after its handshake; a tray "Settings" waits for it', async () => {
    const t = setup()
    await t.app.start()
    t.s.assistant.setPhase('speaking')
    t.click('settings')
    expect(t.sent).toEqual([])
    expect(t.shown()).toBe(2)
    t.handshake()
    await Promise.resolve()
    expect(t.sent).toEqual([['app:navigate', { view: 'settings' }]])
    t.s.assistant.setPhase('idle')
    t.s.assistant.emitLevel({ rmsDbfs: -20, peakDbfs: -6, speech: true, elapsedMs: 50 })
    expect(t.sent.slice(1)).toEqual([
      ['assistant:state', { phase: 'idle' }],
      ['assistant:level', { rmsDbfs: -20, peakDbfs: -6, speech: true, elapsedMs: 50 }]
    ])
    t.click('settings')
    expect(t.sent.at(-1)).toEqual(['app:navigate', { view: 'settings' }])
    // A reload: events wait for the new page's handshake.
    t.app.pageLoading()
    t.s.assistant.setPhase('recording')
    expect(t.sent.at(-1)).toEqual(['app:navigate', { view: 'settings' }])
  })

  it('a tray question is asked from the tray, and its answer shows as a notification once', async () => {
    const t = setup()
    await t.app.start()
    t.click('ask-0')
    expect(t.s.assistant.calls).toEqual([['ask', t.s.settings.value.quickQuestions[0], { fromTray: true }]])
    t.s.assistant.emitTurn(turn({ id: 'a', fromTray: true, question: 'What time is it?', reply: 'It is', status: 'speaking' }))
    expect(t.notes).toEqual([])
    const done = turn({ id: 'a', fromTray: true, question: 'What time is it?', reply: 'It is ten past nine.', status: 'done' })
    t.s.assistant.emitTurn(done)
    t.s.assistant.emitTurn(done)
    expect(t.notes).toEqual([{ title: 'What time is it?', body: 'It is ten past nine.' }])
    // A question from the window is not notified; a failed tray question says why.
    t.s.assistant.emitTurn(turn({ id: 'b', reply: 'Window answer', status: 'done' }))
    t.s.assistant.emitTurn(
      turn({ id: 'c', fromTray: true, status: 'error', error: { kind: 'api', message: 'Your MiMo balance is used up.' } })
    )
    expect(t.notes.map((n) => n.body)).toEqual(['It is ten past nine.', 'Your MiMo balance is used up.'])
  })

  it('a shortcut problem is shown: notification, tray tooltip, app:hotkey event', async () => {
    const t = setup({ env: { XDG_SESSION_TYPE: 'wayland' } })
    await t.app.start()
    expect(t.app.hotkeyStatus().activeMode).toBe('toggle')
    expect(t.notes).toHaveLength(1)
    expect(t.notes[0].body).toMatch(/Wayland/)
    expect(t.lastView().tooltip).toMatch(/^MiMo Voice: On Wayland/)
    t.shortcuts.press('CommandOrControl+Alt+Space')
    expect(t.s.assistant.calls).toEqual([['toggle']])
    t.handshake()
    t.shortcuts.taken.add('Ctrl+Alt+T')
    t.s.settings.update({ hotkey: 'Ctrl+Alt+T' })
    await new Promise((r) => setTimeout(r, 0))
    expect(t.sent.filter(([c]) => c === 'app:hotkey').at(-1)?.[1]).toMatchObject({
      accelerator: 'Ctrl+Alt+T',
      activeMode: 'none',
      problem: expect.stringMatching(/already taken/)
    })
    expect(t.notes).toHaveLength(2)
    expect(t.lastView().tooltip).toMatch(/already taken/)
  })

  it('changing the shortcut in settings re-registers it', async () => {
    // The talk shortcut alone: dictation's would share the hook and the grab.
    const t = setup({ settings: { dictationHotkey: null } })
    await t.app.start()
    t.s.settings.update({ hotkey: 'Ctrl+Shift+M', hotkeyMode: 'toggle' })
    await new Promise((r) => setTimeout(r, 0))
    expect(t.app.hotkeyStatus()).toMatchObject({ accelerator: 'Ctrl+Shift+M', activeMode: 'toggle' })
    // The screen shortcut follows the mode: it toggles through globalShortcut too.
    expect(new Set(t.shortcuts.registered.keys())).toEqual(new Set(['Ctrl+Shift+M', 'CommandOrControl+Alt+Shift+Space']))
    expect(t.hook.running).toBe(false)
    expect(t.lastView().menu[0].label).toBe('Talk (Ctrl+Shift+M)')
  })

  it('saved voices appear in the tray; choosing one updates the settings', async () => {
    const t = setup()
    await t.app.start()
    t.handshake()
    t.s.voices.change([{ ref: { kind: 'clone', id: 'me' }, name: 'My voice' }])
    const voiceMenu = () => t.lastView().menu.find((i) => i.id === 'voice')!.submenu!
    expect(voiceMenu().at(-1)).toMatchObject({ label: 'My voice (cloned)', checked: false })
    expect(t.sent.at(-1)).toEqual(['voices:changed', [{ ref: { kind: 'clone', id: 'me' }, name: 'My voice' }]])
    voiceMenu().at(-1)!.click!()
    expect(t.s.settings.value.voice).toEqual({ kind: 'clone', id: 'me' })
    expect(voiceMenu().at(-1)!.checked).toBe(true)
    expect(t.sent.at(-1)![0]).toBe('settings:changed')
  })

  it('a key change from the window is announced to it', async () => {
    const t = setup()
    await t.app.start()
    t.handshake()
    t.served()!['key:set']({ key: 'sk-abcdefgh5678' })
    expect(t.sent.at(-1)).toEqual(['settings:changed', { settings: t.s.settings.value, key: { set: true, last4: '5678', storage: 'os-keychain' } }])
  })

  it('an assistant that fails (no recorder) explains itself in a notification, never throws into Electron', async () => {
    const t = setup()
    await t.app.start()
    const missing = new RecorderMissingError(['sox', 'rec', 'arecord'], 'sudo apt install sox')
    t.s.assistant.failWith = missing
    expect(() => pressCombo(t.hook)).not.toThrow()
    expect(() => t.click('talk')).not.toThrow()
    const message = missing.toUserError().message
    expect(t.notes.map((n) => n.body)).toEqual([message, message])
  })

  it('a turn that fails for the microphone is explained in a notification (the window may be hidden)', async () => {
    const t = setup()
    await t.app.start()
    const denied = { kind: 'audio' as const, code: 'microphone-denied', message: 'MiMo Voice may not use the microphone.', hint: 'Allow it in Privacy & Security.' }
    t.s.assistant.emitTurn(turn({ id: 't1', input: 'voice', status: 'error', error: denied, canRetry: false }))
    t.s.assistant.emitTurn(turn({ id: 't1', input: 'voice', status: 'error', error: denied, canRetry: false }))
    expect(t.notes.map((n) => n.body)).toEqual(['MiMo Voice may not use the microphone. Allow it in Privacy & Security.'])
    // Other errors of a shortcut turn are shown in the window and the tray icon, not notified.
    t.s.assistant.emitTurn(turn({ id: 't2', input: 'voice', status: 'error', error: { kind: 'api', message: 'MiMo is busy.' }, canRetry: true }))
    expect(t.notes).toHaveLength(1)
  })

  it('Quit in the tray quits; stop() lets go of every listener and the hook', async () => {
    const t = setup()
    await t.app.start()
    t.click('quit')
    expect(t.quits()).toBe(1)
    t.app.stop()
    expect(t.s.assistant.listenerCount()).toBe(0)
    expect(t.hook.running).toBe(false)
    expect(t.unserved()).toBe(1)
  })
})

const D = 0x0020
const held = { ctrlKey: true, altKey: true }

describe('the hands-free conversation and dictation in the app', () => {
  it('a double tap of the talk shortcut starts a conversation; the next press ends it', async () => {
    const t = setup()
    await t.app.start()
    pressCombo(t.hook)
    t.clock.advance(80)
    releaseCombo(t.hook)
    t.clock.advance(150)
    pressCombo(t.hook)
    expect(t.s.conversation.calls).toEqual(['start'])
    t.clock.advance(80)
    releaseCombo(t.hook)
    t.clock.advance(3000)
    pressCombo(t.hook)
    releaseCombo(t.hook)
    expect(t.s.conversation.calls).toEqual(['start', 'stop'])
    // The first tap's recording is the assistant's; the conversation's own start cuts it (see conversation-mode.ts).
    expect(t.s.assistant.calls).toEqual([['press']])
  })

  it('the tray shows the conversation the whole time it runs, and starts or ends it; the window is told', async () => {
    const t = setup()
    await t.app.start()
    t.handshake()
    expect(t.lastView().menu.find((i) => i.id === 'conversation')?.label).toBe('Start conversation')
    t.click('conversation')
    expect(t.s.conversation.calls).toEqual(['start'])
    expect(t.lastView().icon).toBe('conversation')
    expect(t.lastView().tooltip).toBe('MiMo Voice: in a conversation, listening (say "goodbye" to end it)')
    t.s.conversation.set({ phase: 'answering' })
    t.s.assistant.setPhase('speaking')
    expect(t.lastView().icon).toBe('conversation')
    expect(t.lastView().tooltip).toMatch(/in a conversation, answering/)
    expect(t.sent.filter(([c]) => c === 'modes:changed').at(-1)?.[1]).toMatchObject({ conversation: { phase: 'answering' } })
    expect(t.lastView().menu.find((i) => i.id === 'conversation')?.label).toBe('End conversation')
    t.click('conversation')
    expect(t.s.conversation.calls).toEqual(['start', 'stop'])
    expect(t.lastView().icon).toBe('speaking')
  })

  it('a conversation that ends by itself says so; one the user ended does not', async () => {
    const t = setup()
    await t.app.start()
    t.s.conversation.set({ phase: 'listening' })
    t.s.conversation.set({ phase: 'off', ended: 'silence' })
    expect(t.notes.map((n) => n.body)).toEqual(['The conversation ended after a long silence.'])
    t.s.conversation.set({ phase: 'listening', ended: undefined })
    t.s.conversation.set({ phase: 'off', ended: 'user' })
    expect(t.notes).toHaveLength(1)
  })

  it("dictation's shortcut: held through the shared key hook, and grabbed so the focused app does not type it", async () => {
    const t = setup()
    await t.app.start()
    expect(t.shortcuts.registered.has('CommandOrControl+Alt+D')).toBe(true)
    t.hook.emitDown(0x001d, { ctrlKey: true })
    t.hook.emitDown(0x0038, held)
    t.hook.emitDown(D, held)
    t.clock.advance(900)
    t.hook.emitUp(D, held)
    expect(t.s.dictation.calls).toEqual(['press', 'release'])
    // Talk and dictation share the one hook: turning dictation off leaves it running for talk.
    t.s.settings.update({ dictationHotkey: null })
    await new Promise((r) => setTimeout(r, 0))
    expect(t.shortcuts.registered.has('CommandOrControl+Alt+D')).toBe(false)
    expect(t.hook.running).toBe(true)
    t.hook.emitDown(D, held)
    expect(t.s.dictation.calls).toEqual(['press', 'release'])
  })

  it('a dictation in progress can be cancelled from the tray and from the window', async () => {
    const t = setup()
    await t.app.start()
    expect(t.lastView().menu.find((i) => i.id === 'cancel-dictation')).toBeUndefined()
    t.s.dictation.press()
    const item = t.lastView().menu.find((i) => i.id === 'cancel-dictation')
    expect(item?.label).toBe('Cancel dictation')
    item!.click!()
    expect(t.s.dictation.calls).toEqual(['press', 'cancel'])
    expect(t.lastView().menu.find((i) => i.id === 'cancel-dictation')).toBeUndefined()
    t.s.dictation.release()
    expect(t.lastView().menu.find((i) => i.id === 'cancel-dictation')).toBeDefined()
    expect(await t.served()!['dictation:cancel'](undefined)).toEqual({ phase: 'idle' })
    expect(t.s.dictation.calls).toEqual(['press', 'cancel', 'release', 'cancel'])
  })

  it('a dictation left on the clipboard (or failed) is notified and sent to the window; a pasted one is not notified', async () => {
    const t = setup()
    await t.app.start()
    t.handshake()
    const base = { id: 'd1', startedAt: '2026-01-01T00:00:00Z', timings: {}, durationMs: 900 }
    t.s.dictation.emit('done', { ...base, text: 'Hello.', insert: 'pasted', via: 'ctrl+v via xdotool' })
    expect(t.notes).toEqual([])
    t.s.dictation.emit('done', { ...base, id: 'd2', text: 'Hello.', insert: 'clipboard', notice: 'The text is on the clipboard: paste it with Ctrl+V.' })
    t.s.dictation.emit('done', { ...base, id: 'd3', text: '', insert: 'none', error: { kind: 'api', message: 'The API key was refused.' } })
    expect(t.notes.map((n) => n.body)).toEqual(['The text is on the clipboard: paste it with Ctrl+V.', 'The API key was refused.'])
    expect(t.sent.filter(([c]) => c === 'dictation:done').map(([, p]) => (p as { id: string }).id)).toEqual(['d1', 'd2', 'd3'])
  })

  it("the conversation's own shortcut starts and ends it; the window's calls do too", async () => {
    const t = setup({ settings: { conversationHotkey: 'Ctrl+Alt+C' } })
    await t.app.start()
    t.shortcuts.press('Ctrl+Alt+C')
    expect(t.s.conversation.calls).toEqual(['start'])
    t.shortcuts.press('Ctrl+Alt+C')
    expect(t.s.conversation.calls).toEqual(['start', 'stop'])
    expect(await t.served()!['conversation:start'](undefined)).toMatchObject({ phase: 'listening' })
    expect(await t.served()!['modes:snapshot'](undefined)).toMatchObject({
      conversation: { phase: 'listening' },
      dictation: { phase: 'idle' },
      shortcuts: { conversation: { accelerator: 'Ctrl+Alt+C', activeMode: 'toggle' }, dictation: { accelerator: 'CommandOrControl+Alt+D', activeMode: 'hybrid' } }
    })
    expect(await t.served()!['conversation:stop'](undefined)).toMatchObject({ phase: 'off' })
  })
})
