// The built main bundle (out/main/index.js), started in plain Node with a hand-written stand-in for
// `electron` (test/build/stand-in-electron/): the composition root's wiring, the settings store
// bundled into CommonJS, the key hook's host process and the mp3 decoder's dynamic import, run for real.
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Result } from '../../src/shared/errors'
import { hostileWav } from '../core/audio/import-stress-files'
import { INVOKE_CHANNELS, type AppInfo, type PublicSettings } from '../../src/shared/ipc'
import type { ConversationPage, HistoryStatus, SearchHit } from '../../src/shared/history'
import { DEFAULT_QUICK_QUESTIONS, DEFAULT_SETTINGS } from '../../src/shared/settings'
import { BUILTIN_VOICES, type SampleCheckResult, type VoiceInfo } from '../../src/shared/voices'
import { startPrivateDisplay } from '../main/hotkey/private-display'
import { until } from '../until'
import { isAlive } from '../process-alive'
import { makeSampleFiles, type SampleFiles } from '../core/voices/sample-files'
import { ensureBuilt, MAIN_BUNDLE, PRELOAD_BUNDLE, RENDERER_PAGE, ROOT } from './stand-in-electron/build-output'
import { StartedApp, type Report } from './stand-in-electron/started-app'

interface MenuItem {
  id?: string
  label?: string
  type?: string
  toolTip?: string
  enabled?: boolean
  submenu?: MenuItem[]
}

const temp = mkdtempSync(join(tmpdir(), 'mimo-main-bundle-'))
const dataDir = join(temp, 'data')
const PAGE_URL = pathToFileURL(RENDERER_PAGE).href
const KEY = 'sk-bundle-test-9876'
/**
 * The key hook's host without a display, as libuiohook ends it (the real host fails the same way, see
 * test/main/hotkey/uiohook-xvfb.test.ts; it also hangs now and then, which costs the app's 10 s timeout).
 */
const NO_DISPLAY_HOST = { STAND_IN_UTILITY_EXIT: '134', STAND_IN_UTILITY_STDERR: 'xrecord_start [1024]: XOpenDisplay failure!\n' }

const run = promisify(execFile)


let samples: SampleFiles | null = null
const started: StartedApp[] = []

function start(o: { dataDir?: string; env?: Record<string, string> } = {}): StartedApp {
  const app = new StartedApp({ home: temp, dataDir, ...o })
  started.push(app)
  return app
}

/** The last context menu the tray was given. */
function trayMenu(app: StartedApp): MenuItem[] {
  const menus = app.of('Tray.setContextMenu')
  expect(menus.length).toBeGreaterThan(0)
  return menus.at(-1)!.template as MenuItem[]
}

function ok<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`)
  return r.value
}

beforeAll(() => ensureBuilt(), 180_000)

afterAll(async () => {
  await Promise.all(started.map((a) => a.stop()))
  samples?.cleanup()
  rmSync(temp, { recursive: true, force: true })
})

describe('the built main bundle, started with a stand-in electron', () => {
  let app: StartedApp

  beforeAll(async () => {
    app = start({ env: NO_DISPLAY_HOST })
    // The window is shown last in start-up, after the shortcut and the voices.
    await app.waitFor('the window being shown', (r) => r.type === 'BrowserWindow.show', 10_000)
  }, 20_000)

  it('starts without an uncaught error, an unhandled rejection or an electron API the stand-in lacks', async () => {
    // Anything that goes wrong late in start-up has had its chance.
    await new Promise((r) => setTimeout(r, 300))
    expect(app.problems(), app.describe()).toEqual([])
    expect(app.running).toBe(true)
    expect(app.stdout).not.toMatch(/Start-up failed|could not|failed/i)
    expect(app.of('app.setPath')).toEqual([{ type: 'app.setPath', name: 'userData', path: dataDir }])
    expect(app.of('app.requestSingleInstanceLock')).toHaveLength(1)
  })

  it('opens one sandboxed, context-isolated window with the built preload, showing the built page', () => {
    const windows = app.of('BrowserWindow')
    expect(windows).toHaveLength(1)
    const options = windows[0].options as { icon?: string; webPreferences: Record<string, unknown> }
    const prefs = options.webPreferences
    expect(prefs.contextIsolation).toBe(true)
    expect(prefs.sandbox).toBe(true)
    expect(prefs.nodeIntegration).toBe(false)
    expect(prefs.webSecurity).not.toBe(false)
    expect(prefs.webviewTag).not.toBe(true)
    expect(prefs.preload).toBe(PRELOAD_BUNDLE)
    expect(existsSync(prefs.preload as string)).toBe(true)
    expect(existsSync(options.icon!)).toBe(true)

    expect(app.of('BrowserWindow.loadURL').map((r) => r.url)).toEqual([PAGE_URL])
    expect(app.of('BrowserWindow.loadFile')).toEqual([])
    expect(existsSync(RENDERER_PAGE)).toBe(true)
  })

  it('binds exactly the contract channels to ipcMain.handle', () => {
    const channels = app.of('ipcMain.handle').map((r) => r.channel as string)
    expect([...channels].sort()).toEqual([...INVOKE_CHANNELS].sort())
  })

  it('hardens the session: permission handlers, no device access, a CSP header with frame-ancestors', async () => {
    const installed = app.of('session.handler').map((r) => r.name)
    expect(installed).toEqual(
      expect.arrayContaining(['setPermissionRequestHandler', 'setPermissionCheckHandler', 'setDevicePermissionHandler', 'webRequest.onHeadersReceived'])
    )
    // The installed handlers, called the way Electron calls them.
    const headers = await app.run<{ responseHeaders?: Record<string, string[]> }>({
      op: 'headers',
      url: PAGE_URL,
      responseHeaders: { 'content-security-policy': ['default-src *'] }
    })
    expect(Object.keys(headers.responseHeaders!)).toEqual(['Content-Security-Policy'])
    const csp = headers.responseHeaders!['Content-Security-Policy'][0]
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).toContain("default-src 'none'")
    expect(await app.run({ op: 'headers', url: 'https://example.com/' })).toEqual({})

    // The page never records (the main process does): even the microphone is refused to our own page.
    const mic = { requestingUrl: PAGE_URL, isMainFrame: true, mediaTypes: ['audio'] }
    expect(await app.run({ op: 'permission-request', permission: 'media', details: mic })).toBe(false)
    expect(await app.run({ op: 'permission-request', permission: 'media', details: { ...mic, mediaTypes: ['audio', 'video'] } })).toBe(false)
    expect(await app.run({ op: 'permission-request', permission: 'media', details: { ...mic, requestingUrl: 'https://example.com/' } })).toBe(false)
    expect(await app.run({ op: 'permission-request', permission: 'geolocation', details: { requestingUrl: PAGE_URL } })).toBe(false)
    expect(await app.run({ op: 'permission-check', permission: 'media', origin: 'file://', details: { mediaType: 'audio' } })).toBe(false)
    expect(await app.run({ op: 'permission-check', permission: 'notifications', origin: 'file://', details: {} })).toBe(false)
    expect(await app.run({ op: 'device-permission', origin: 'file://' })).toBe(false)
  })

  it('guards navigation and new windows on every web contents', async () => {
    // Registered before any window existed, so the window's contents were guarded as they were made.
    const created = app.reports.findIndex((r) => r.type === 'app.on' && r.event === 'web-contents-created')
    expect(created).toBeGreaterThanOrEqual(0)
    expect(created).toBeLessThan(app.reports.findIndex((r) => r.type === 'BrowserWindow'))
    const events = app.of('webContents.on').map((r) => r.event)
    expect(events).toEqual(expect.arrayContaining(['will-navigate', 'will-redirect', 'will-attach-webview']))
    expect(app.of('webContents.setWindowOpenHandler')).toHaveLength(1)

    expect(await app.run({ op: 'navigate', url: 'https://attacker.example/' })).toEqual({ prevented: true })
    expect(await app.run({ op: 'navigate', url: 'file:///etc/passwd', event: 'will-redirect' })).toEqual({ prevented: true })
    expect(await app.run({ op: 'navigate', url: `${PAGE_URL}#settings` })).toEqual({ prevented: false })
    expect(await app.run({ op: 'open-window', url: 'https://example.com/' })).toEqual({ action: 'deny' })
    expect(app.of('shell.openExternal')).toEqual([])
  })

  it('shows the tray: its icon file, and a menu with talk, the default quick questions, voices, window, settings and quit', () => {
    const icons = app.of('nativeImage.createFromPath')
    expect(icons.length).toBeGreaterThan(0)
    for (const icon of icons) expect(icon.exists, String(icon.path)).toBe(true)
    expect(app.of('Tray')).toHaveLength(1)

    const menu = trayMenu(app)
    const labels = menu.filter((i) => i.type !== 'separator').map((i) => i.label)
    for (const start of ['Talk', 'Stop speaking', 'Voice', 'Show window', 'Settings', 'Quit']) {
      expect(labels.some((l) => l?.startsWith(start)), `"${start}" in ${JSON.stringify(labels)}`).toBe(true)
    }
    expect(menu.filter((i) => i.id?.startsWith('ask-')).map((i) => i.toolTip)).toEqual(DEFAULT_QUICK_QUESTIONS)
    const voices = menu.find((i) => i.id === 'voice')!.submenu!.map((v) => v.label)
    expect(voices).toEqual(expect.arrayContaining(BUILTIN_VOICES.map((v) => v.name)))
    // Every tooltip shown names the shortcut or says what is wrong with it (none is left half-written).
    for (const r of app.of('Tray.setToolTip')) expect(r.text).not.toMatch(/\s{2}|\(\w+ to talk\)/)
  })

  it('when the key hook cannot start (no display), the shortcut toggles through globalShortcut and the user is told why', async () => {
    const fork = app.of('utilityProcess.fork')
    expect(fork).toHaveLength(1)
    expect(fork[0].modulePath).toBe(join(ROOT, 'resources/key-hook-host.cjs'))
    expect(fork[0].exists).toBe(true)
    expect(existsSync((fork[0].args as string[])[0])).toBe(true)
    expect((fork[0].args as string[])[0]).toMatch(/uiohook-napi/)
    expect(app.of('utilityProcess.exit').map((r) => r.code)).toEqual([134])

    // The shortcuts (talk, ask about the screen, dictation) fall back to globalShortcut; one host launch served them.
    expect(new Set(app.of('globalShortcut.register').map((r) => `${r.accelerator} ${r.ok}`))).toEqual(
      new Set([`${DEFAULT_SETTINGS.hotkey} true`, `${DEFAULT_SETTINGS.screenHotkey} true`, `${DEFAULT_SETTINGS.dictationHotkey} true`])
    )
    const info = ok(await app.invoke<Result<AppInfo>>('app:info'))
    expect(info.hotkey).toMatchObject({ accelerator: DEFAULT_SETTINGS.hotkey, requestedMode: DEFAULT_SETTINGS.hotkeyMode, activeMode: 'toggle' })
    expect(info.hotkey.problem).toMatch(/^Hold-to-talk could not start: XOpenDisplay failure\. /)
    // The user is told, once.
    const told = app.of('Notification.show').filter((r) => JSON.stringify(r.options).includes('Hold-to-talk'))
    expect(told).toHaveLength(1)
    expect(trayMenu(app)[0].label).toBe('Talk (Ctrl+Alt+Space)')
  })

  it('answers IPC from its window with the defaults and no key; refuses the same call from anywhere else', async () => {
    const got = ok(await app.invoke<Result<PublicSettings>>('settings:get'))
    expect(got.settings).toEqual(DEFAULT_SETTINGS)
    expect(got.key).toEqual({ set: false, storage: 'plaintext-obfuscated' })

    for (const sender of ['foreign-page', 'subframe', 'other-contents'] as const) {
      const refused = await app.invoke<Result<unknown>>('settings:get', undefined, sender)
      expect(refused.ok, sender).toBe(false)
      expect(refused).toMatchObject({ error: { message: expect.stringMatching(/did not come from the MiMo Voice window/) } })
    }
    // Each refusal is logged (stdout may trail the reply).
    await app.until('three refusals logged', () => app.stdout.match(/Refused "settings:get"/g)?.length === 3)
    // A bad payload is an error value, not a thrown one.
    const bad = await app.invoke<Result<unknown>>('settings:update', { volume: 'loud' })
    expect(bad).toMatchObject({ ok: false, error: { kind: 'input' } })
  })

  it('writes settings through the bundled electron-store, and events reach the window after its handshake', async () => {
    const questions = ['How far away is the moon?']
    // A loopback base URL: once a key is set, the app opens connections to the service when it starts
    // and when its window is shown, and tests reach nothing but loopback.
    const baseUrl = 'http://127.0.0.1:9/v1'
    const updated = ok(await app.invoke<Result<PublicSettings>>('settings:update', { quickQuestions: questions, baseUrl }))
    expect(updated.settings.quickQuestions).toEqual(questions)

    const file = JSON.parse(readFileSync(join(dataDir, 'config.json'), 'utf8')) as { settings: { quickQuestions: string[] } }
    expect(file.settings.quickQuestions).toEqual(questions)
    // settings:get above was the handshake: the change was pushed to the window.
    const pushed = await app.waitFor('settings:changed', (r) => r.type === 'webContents.send' && r.channel === 'settings:changed')
    expect((pushed.payload as PublicSettings).settings.quickQuestions).toEqual(questions)
    await app.until('the tray redrawn', () => trayMenu(app).some((i) => i.toolTip === questions[0]))
  })

  it('keeps the API key through safeStorage in the data folder, never in plain text', async () => {
    // No keyring here (basic_text): the key is stored only with the user's explicit yes.
    const refused = await app.invoke<Result<PublicSettings>>('key:set', { key: KEY })
    expect(refused).toMatchObject({ ok: false, error: { code: 'no-keyring' } })
    expect(existsSync(join(dataDir, 'api-key.bin'))).toBe(false)
    const status = ok(await app.invoke<Result<PublicSettings>>('key:set', { key: KEY, storeWithoutKeyring: true }))
    expect(status.key).toEqual({ set: true, last4: KEY.slice(-4), storage: 'plaintext-obfuscated' })
    expect(app.of('safeStorage.encryptString')).toHaveLength(1)
    const stored = readFileSync(join(dataDir, 'api-key.bin'))
    expect(stored.length).toBeGreaterThan(0)
    expect(stored.includes(KEY)).toBe(false)
    expect(readFileSync(join(dataDir, 'config.json'), 'utf8')).not.toContain(KEY)
  })

  it('asks in a native dialog before the key goes to a new origin, and sends nothing when the answer is no', async () => {
    // The key above was saved for the loopback address in the settings; a page changes the base URL to another one.
    const other = 'http://127.0.0.1:7/v1'
    ok(await app.invoke<Result<PublicSettings>>('settings:update', { baseUrl: other }))
    const tested = await app.invoke<Result<unknown>>('key:test')
    expect(tested).toMatchObject({ ok: false, error: { code: 'key-origin', message: expect.stringMatching(/not sent to 127\.0\.0\.1:7: it was saved for 127\.0\.0\.1:9/) } })
    const dialogs = app.of('dialog.showMessageBox').filter((d) => String((d.options as { message?: string }).message).startsWith('Send your MiMo API key'))
    expect(dialogs).toHaveLength(1)
    expect(dialogs[0].response).toBe(0)
    expect(dialogs[0].options).toMatchObject({ message: 'Send your MiMo API key to 127.0.0.1:7?', buttons: ["Don't send", 'Send the key to 127.0.0.1:7'], defaultId: 0, cancelId: 0 })
    ok(await app.invoke<Result<PublicSettings>>('settings:update', { baseUrl: 'http://127.0.0.1:9/v1' }))
  })

  it('imports an mp3 voice sample (mpg123-decoder, loaded by dynamic import from the bundle) and saves it', async () => {
    samples = makeSampleFiles()
    const bytes = new Uint8Array(samples.bytes('mp3'))
    const check = ok(await app.invoke<Result<SampleCheckResult>>('samples:import', { fileName: 'me.mp3', bytes }))
    expect(check.quality.inputFormat).toBe('mp3')
    expect(check.quality.durationSec).toBeGreaterThan(5)
    expect(check.draftId).toEqual(expect.any(String))

    const saved = ok(await app.invoke<Result<VoiceInfo>>('samples:save', { draftId: check.draftId, name: 'My voice', consent: true }))
    expect(saved.ref.kind).toBe('clone')
    expect(readdirSync(join(dataDir, 'voices')).length).toBeGreaterThan(0)
    await app.until('the saved voice in the tray', () =>
      trayMenu(app)
        .find((i) => i.id === 'voice')!
        .submenu!.some((v) => v.label === 'My voice (cloned)')
    )
  }, 20_000)

  it('refuses a hostile WAV at once and measures a real one in the bundled decode worker', async () => {
    const hostile = hostileWav()
    const refused = ok(await app.invoke<Result<SampleCheckResult>>('samples:import', { fileName: 'hostile.wav', bytes: new Uint8Array(hostile) }))
    expect(refused.draftId).toBeNull()
    expect(refused.quality.refusals[0]).toMatch(/declares a sample rate of 1000 Hz/)
    samples ??= makeSampleFiles()
    const check = ok(await app.invoke<Result<SampleCheckResult>>('samples:import', { fileName: 'me.wav', bytes: new Uint8Array(samples.bytes('stereo48k')) }))
    expect(check.quality).toMatchObject({ inputFormat: 'wav', channelsIn: 2, sampleRate: 48000 })
    expect(check.draftId).toEqual(expect.any(String))
  }, 20_000)

  it('opens the history in the data folder with the external libsql driver; search answers in English and Chinese', async () => {
    expect(ok(await app.invoke<Result<ConversationPage>>('history:list', {}))).toEqual({ conversations: [], next: null })
    expect(ok(await app.invoke<Result<SearchHit[]>>('history:search', { text: '天气 weather' }))).toEqual([])
    const status = ok(await app.invoke<Result<HistoryStatus>>('history:status'))
    expect(status).toEqual({ path: join(dataDir, 'history', 'history.db'), available: true })
    expect(existsSync(status.path)).toBe(true)
    // The driver is loaded from node_modules, not bundled.
    const bundle = readFileSync(MAIN_BUNDLE, 'utf8')
    expect(bundle).toMatch(/require\(["']libsql["']\)/)
  })

  it('quits from the tray: the window really closes, the shortcut is released, the process ends cleanly', async () => {
    await app.run({ op: 'tray-click', itemId: 'quit' })
    await app.until('the process to end', () => !app.running)
    expect(await app.exited).toEqual({ code: 0, signal: null })
    expect(app.of('app.quit')).toHaveLength(1)
    // Closing hides the window, except when quitting (a prevented close would cancel the quit).
    expect(app.of('BrowserWindow.destroy')).toHaveLength(1)
    expect(app.of('globalShortcut.unregisterAll')).toHaveLength(1)
    expect(app.problems(), app.describe()).toEqual([])
  })

  it('started again, it reads back the settings and the key the first run saved', async () => {
    const again = start({ env: NO_DISPLAY_HOST })
    await again.waitFor('the window being shown', (r) => r.type === 'BrowserWindow.show', 10_000)
    const got = ok(await again.invoke<Result<PublicSettings>>('settings:get'))
    expect(got.settings.quickQuestions).toEqual(['How far away is the moon?'])
    expect(got.key).toEqual({ set: true, last4: KEY.slice(-4), storage: 'plaintext-obfuscated' })
    expect(again.of('safeStorage.decryptString').length).toBeGreaterThan(0)
    expect(again.problems(), again.describe()).toEqual([])
    await again.stop()
  })
})

describe('the built main bundle with a display', () => {
  const hasXvfb = ['/usr/bin/Xvfb', '/usr/local/bin/Xvfb'].some((p) => existsSync(p))
  if (!hasXvfb) console.log('Skipping the key hook start-up: Xvfb is not installed (apt-get install xvfb).')

  it.skipIf(!hasXvfb)(
    'the real key hook runs in its host process, so the shortcut is hold-to-talk through the hook and not a globalShortcut; when the host dies the app falls back to toggle and lives on',
    async () => {
      const x = await startPrivateDisplay()
      const app = start({ dataDir: join(temp, 'data-display'), env: { DISPLAY: x.display, XDG_SESSION_TYPE: 'x11' } })
      await app.waitFor('the window being shown', (r) => r.type === 'BrowserWindow.show', 10_000)
      // The window does not wait for the hook; the shortcut follows once the host says it started.
      const started = (r: Report) => r.type === 'utilityProcess.message' && (r.message as { type?: string }).type === 'started'
      await app.waitFor('the key hook to start', started, 10_000)
      await app.waitFor('the hold-to-talk tooltip', (r) => r.type === 'Tray.setToolTip' && String(r.text).includes('hold'), 5_000)
      expect(app.problems(), app.describe()).toEqual([])
      expect(app.of('utilityProcess.fork').map((r) => [r.modulePath, r.scripted])).toEqual([[join(ROOT, 'resources/key-hook-host.cjs'), false]])
      expect(app.of('utilityProcess.exit')).toEqual([])
      // No shortcut but dictation's is registered (grabbed on X11 while the hook watches it).
      const notDictation = () => app.of('globalShortcut.register').filter((r) => r.accelerator !== DEFAULT_SETTINGS.dictationHotkey)
      expect(notDictation()).toEqual([])
      const info = ok(await app.invoke<Result<AppInfo>>('app:info'))
      expect(info.hotkey).toEqual({ accelerator: DEFAULT_SETTINGS.hotkey, requestedMode: 'hybrid', activeMode: 'hybrid' })
      expect(app.of('Tray.setToolTip').at(-1)!.text).toBe('MiMo Voice: ready (hold Ctrl+Alt+Space to talk)')
      expect(app.of('Notification.show')).toEqual([])

      // Keys pressed anywhere on the display reach the app through the host (an unrelated key: the
      // shortcut itself would start recording).
      await run('xdotool', ['key', 'ctrl+shift+k'], { env: { ...process.env, DISPLAY: x.display } })
      await app.waitFor('a key from the host', (r) => r.type === 'utilityProcess.message' && (r.message as { type?: string }).type === 'keyup', 5_000)

      // The host crashes, as libuiohook sometimes makes it: the app lives on, the shortcut toggles, the user is told.
      const pid = app.of('utilityProcess.spawn')[0].pid as number
      process.kill(pid, 'SIGSEGV')
      await app.waitFor('the fallback shortcuts', () => notDictation().length === 2, 5_000)
      // Both shortcuts (talk, ask about the screen) shared the host: both toggle now.
      expect(new Set(notDictation().map((r) => `${r.accelerator} ${r.ok}`))).toEqual(
        new Set([`${DEFAULT_SETTINGS.hotkey} true`, `${DEFAULT_SETTINGS.screenHotkey} true`])
      )
      const after = ok(await app.invoke<Result<AppInfo>>('app:info'))
      expect(after.hotkey).toMatchObject({ requestedMode: 'hybrid', activeMode: 'toggle' })
      expect(after.hotkey.problem).toMatch(/^Hold-to-talk stopped: the key hook's process ended \(exit code 11\)\. .*separate presses/)
      const told = app.of('Notification.show').filter((r) => JSON.stringify(r.options).includes('Hold-to-talk stopped'))
      expect(told).toHaveLength(1)
      expect(app.running).toBe(true)
      expect(app.problems(), app.describe()).toEqual([])

      // Changing the shortcut tries the hook again, in a new host; when the app ends, so does the host.
      ok(await app.invoke<Result<PublicSettings>>('settings:update', { hotkey: 'Ctrl+Alt+J' }))
      await app.until('a second host started', () => app.reports.filter(started).length === 2, 10_000)
      await app.until('hold-to-talk on Ctrl+Alt+J', () => String(app.of('Tray.setToolTip').at(-1)?.text).includes('hold Ctrl+Alt+J'))
      const second = app.of('utilityProcess.spawn')[1].pid as number
      await app.stop()
      await until(() => !isAlive(second), { what: 'the host to end with the app', timeoutMs: 5_000 })
    },
    30_000
  )
})

describe('a second instance', () => {
  it('quits at once, without a window or IPC', async () => {
    const app = start({ env: { STAND_IN_SINGLE_INSTANCE_LOCK: 'taken' } })
    expect(await app.exited).toEqual({ code: 0, signal: null })
    expect(app.of('app.quit')).toHaveLength(1)
    const made = (type: string): Report[] => app.of(type)
    expect([made('BrowserWindow'), made('ipcMain.handle'), made('Tray'), made('utilityProcess.fork')]).toEqual([[], [], [], []])
    expect(app.problems(), app.describe()).toEqual([])
  })
})
