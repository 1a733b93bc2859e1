// The real app in a real Electron, driven by Playwright. Runs where ELECTRON_OVERRIDE_DIST_PATH names
// an Electron runtime (a folder holding the electron binary); the build machines have none.
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { _electron, type ElectronApplication, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { INVOKE_CHANNELS } from '../../src/shared/ipc'
import { startPrivateDisplay } from '../main/hotkey/private-display'

/** The page's globals, as seen from page.evaluate (this file is typed for Node, not the DOM). */
type PageGlobals = {
  api: Record<string, (payload?: unknown) => Promise<unknown>>
  location: { href: string }
  open(url: string): unknown
}

const root = resolve(__dirname, '../..')
const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH
const binary = !dist
  ? ''
  : process.platform === 'darwin'
    ? join(dist, 'Electron.app/Contents/MacOS/Electron')
    : join(dist, process.platform === 'win32' ? 'electron.exe' : 'electron')

const skipReason = !dist
  ? 'ELECTRON_OVERRIDE_DIST_PATH is not set: no Electron runtime on this machine'
  : !existsSync(binary)
    ? `no Electron binary at ${binary}`
    : !existsSync(join(root, 'out/main/index.js'))
      ? 'the app is not built (run npm run build:app)'
      : null
if (skipReason) console.log(`[electron-app] skipped: ${skipReason}`)

describe.skipIf(!!skipReason)('the app in Electron (Playwright _electron)', () => {
  let app: ElectronApplication
  let page: Page
  let home: string

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'mimo-electron-'))
    const env: Record<string, string> = { ...(process.env as Record<string, string>), XDG_CONFIG_HOME: home, HOME: home }
    if (process.platform === 'linux' && !env.DISPLAY) env.DISPLAY = (await startPrivateDisplay()).display
    delete env.ELECTRON_RUN_AS_NODE
    app = await _electron.launch({
      executablePath: binary,
      args: [root, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
      env,
      timeout: 60_000
    })
    page = await app.firstWindow()
    await page.waitForLoadState('domcontentloaded')
  }, 90_000)

  afterAll(async () => {
    await app?.close().catch(() => {})
    if (home) rmSync(home, { recursive: true, force: true })
  })

  it('opens our built page, sandboxed, with no Node in the page', async () => {
    expect(page.url()).toMatch(/^file:\/\/.*\/out\/renderer\/index\.html/)
    expect(await page.title()).toBe('MiMo Voice')
    // Not in Electron's typings, but present at run time in the versions we ship with.
    const prefs = await app.evaluate(({ BrowserWindow }) => {
      const wc = BrowserWindow.getAllWindows()[0].webContents as unknown as { getLastWebPreferences?: () => unknown }
      return wc.getLastWebPreferences?.() ?? null
    })
    if (prefs) expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true })
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined')
    expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined')
  })

  it('window.api has one function per channel and answers the handshake', async () => {
    const names = await page.evaluate(() => Object.keys((globalThis as unknown as PageGlobals).api).sort())
    expect(names).toEqual([...INVOKE_CHANNELS, 'on'].sort())
    const result = await page.evaluate(() => (globalThis as unknown as PageGlobals).api['settings:get']())
    expect(result).toMatchObject({ ok: true, value: { settings: { hotkeyMode: expect.any(String) }, key: { set: expect.any(Boolean) } } })
    const bad = await page.evaluate(() => (globalThis as unknown as PageGlobals).api['settings:update']({ volume: 7 }))
    expect(bad).toMatchObject({ ok: false, error: { kind: 'input', message: expect.stringMatching(/^volume/) } })
  })

  it('refuses navigation away and new windows', async () => {
    const before = page.url()
    await page.evaluate(() => {
      ;(globalThis as unknown as PageGlobals).location.href = 'https://example.com/'
    })
    await page.waitForTimeout(500)
    expect(page.url()).toBe(before)
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).open('https://example.com/') === null)).toBe(true)
    expect(app.windows()).toHaveLength(1)
  })

  it('closing the window keeps the app running in the tray', async () => {
    await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0].close())
    await page.waitForTimeout(300)
    const state = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().map((w) => ({ visible: w.isVisible() })))
    expect(state).toEqual([{ visible: false }])
  })
})
