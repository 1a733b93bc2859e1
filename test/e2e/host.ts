/**
 * The app without Electron, for a real browser: the real main-side services and handlers over a
 * settings store in a folder of its own, the built renderer served over HTTP, and `window.api`
 * bridged over a WebSocket on the same origin (test/e2e/bridge-client.ts is the page's end).
 *
 * Real: settings (conf), key store, MiMo client (pointed at the fake MiMo server by the settings'
 * base URL), recorder and player (PulseAudio: the test stack's virtual microphone and speaker),
 * doctor, voices, the assistant, the handler map and the app wiring (createMainApp, which forwards
 * service events to the window). Stand-ins only for Electron's own objects: the window is the
 * WebSocket, tray and notifications record what they are given, and the global shortcut and key
 * hook accept the shortcut and never fire.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createMainApp, type MainApp } from '../../src/main/app'
import { createCoreServices, mainServicesOf, type CoreServices } from '../../src/core/core-services'
import { MimoClient } from '../../src/core/mimo/client'
import { createConfSettingsStore } from '../../src/core/settings/conf-settings-store'
import { createEncryptedFileSecretStore, type SecretCipher } from '../../src/core/settings/encrypted-file-secret-store'
import { StoredKeyService } from '../../src/core/settings/key-service'
import { StoredSettingsService } from '../../src/core/settings/settings-service'
import type { KeyHook } from '../../src/main/hotkey/key-hook'
import type { Clock, Notification, Scheduler } from '../../src/core/ports'
import type { TrayView } from '../../src/main/electron/tray-menu'
import type { Handlers } from '../../src/shared/ipc'
import type { SettingsPatch } from '../../src/shared/settings'
import type { ContextSources } from '../../src/core/context/context-service'
import { startBridgeServer, type BridgeServer } from './bridge-server'
import { bundleBridgeClient, ensureRendererBuilt } from './page-build'
import { serveStatic } from './static-files'

export interface E2eHostOptions {
  /** Where settings, the key and saved voices live; default a new temporary folder (removed on close). */
  dataDir?: string
  /** Written through the settings service before the app starts (e.g. the fake's base URL). */
  settings?: SettingsPatch
  /** Stored through the key service before the app starts. */
  apiKey?: string
  /** Default 0: a free port on 127.0.0.1. */
  port?: number
  /**
   * Also serve the bridge at /bridge.js and load it from index.html, for a browser without
   * Playwright (scripts/e2e-host.ts). Same origin, so the page's CSP allows it unchanged.
   */
  serveBridgeScript?: boolean
  /** For the recorder and player (PULSE_SERVER). Default process.env. */
  env?: NodeJS.ProcessEnv
  /** Where screen captures and selected text come from (the plain-Node adapters on an Xvfb display); none by default. */
  context?: ContextSources
  /** Wall-clock time and timers for the tools (a hand-turned clock fires timers when the test says). */
  clock?: Clock
  scheduler?: Scheduler
  log?: (message: string) => void
}

export interface E2eHost {
  /** The page: http://127.0.0.1:<port>/ */
  url: string
  dataDir: string
  /** The built renderer being served. */
  rendererDir: string
  settings: StoredSettingsService
  key: StoredKeyService
  core: CoreServices
  app: MainApp
  bridge: BridgeServer
  /** What the app asked the desktop to show. */
  notifications: Notification[]
  tray: TrayView[]
  /** Web addresses the open_url tool opened, text the clipboard tool copied. */
  opened: string[]
  copied: string[]
  /** MCP servers the page asked to run (allowed). */
  approvals: string[][]
  /**
   * A restart of the app: every service and the handler map are made anew over the same store;
   * pages connected now are dropped (reload them).
   */
  restart(): Promise<void>
  close(): Promise<void>
}

/**
 * The test host keeps the key in a file with no encryption (the app uses the OS keychain through
 * Electron's safeStorage, which needs Electron). It reports 'os-keychain' so the page shows what a
 * user with a keyring sees.
 */
const identityCipher: SecretCipher = {
  storage: () => 'os-keychain',
  encrypt: (plain) => Buffer.from(plain, 'utf8'),
  decrypt: (bytes) => bytes.toString('utf8')
}

/** The desktop's key hook attaches and reports nothing: in a browser the page's button is the way to talk. */
const quietKeyHook: KeyHook = {
  start: async () => {},
  stop() {},
  onKeyDown: () => () => {},
  onKeyUp: () => () => {},
  onLost: () => () => {}
}

interface Running {
  settings: StoredSettingsService
  key: StoredKeyService
  core: CoreServices
  app: MainApp
  handlers: Handlers
}

export async function startE2eHost(o: E2eHostOptions = {}): Promise<E2eHost> {
  const log = o.log ?? (() => {})
  const env = o.env ?? process.env
  const ownDir = !o.dataDir
  const dataDir = o.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'mimo-e2e-')))
  const rendererDir = await ensureRendererBuilt(log)
  const bridgeScript = o.serveBridgeScript ? await bundleBridgeClient() : null
  const notifications: Notification[] = []
  const tray: TrayView[] = []
  const opened: string[] = []
  const copied: string[] = []
  const approvals: string[][] = []

  let bridge: BridgeServer | null = null
  let running: Running | null = null

  function startServices(): Running {
    const settings = new StoredSettingsService(createConfSettingsStore({ cwd: dataDir, onDamaged: (to) => log(`settings moved to ${to}`) }))
    const key = new StoredKeyService({
      secrets: createEncryptedFileSecretStore({ file: path.join(dataDir, 'api-key.bin'), cipher: identityCipher, log }),
      settings: () => settings.get(),
      createClient: (s, apiKey) => new MimoClient({ baseUrl: s.baseUrl, apiKey, auth: s.authStyle, retry: { maxAttempts: 1 } }),
      // Only the key the test stores counts, never a MIMO_API_KEY of the machine running the tests.
      env: {}
    })
    const notifier = { isSupported: () => true, show: (n: Notification) => void notifications.push(n) }
    const core = createCoreServices({
      settings,
      key,
      dataDir,
      env,
      player: { program: 'pacat' },
      notifier,
      openUrl: { open: async (url) => void opened.push(url) },
      clipboard: { writeText: async (text) => void copied.push(text) },
      clock: o.clock,
      scheduler: o.scheduler,
      context: o.context,
      log
    })
    const app = createMainApp({
      services: mainServicesOf(core, { settings, key }),
      window: {
        show() {},
        send: (channel, payload) => bridge?.broadcast(channel, payload)
      },
      tray: { render: (view) => void tray.push(view) },
      serveIpc: () => () => {},
      globalShortcut: { register: () => true, unregister() {} },
      loadHook: async () => quietKeyHook,
      notifier,
      // The dialog the app shows is Electron's; here every server the page adds is allowed, and recorded.
      approveMcpServers: async (_servers, changed) => {
        approvals.push(changed)
        return true
      },
      quit() {},
      version: 'e2e',
      platform: 'linux',
      env,
      log
    })
    return { settings, key, core, app, handlers: app.handlers }
  }

  async function stopServices(r: Running): Promise<void> {
    r.app.stop()
    await r.core.close()
  }

  const firstRun = startServices()
  if (o.settings) firstRun.settings.update(o.settings)
  if (o.apiKey) firstRun.key.set(o.apiKey)
  running = firstRun

  const files = serveStatic(rendererDir, (pathname) => {
    if (!bridgeScript) return null
    if (pathname === '/bridge.js') return { type: 'text/javascript; charset=utf-8', body: bridgeScript }
    return null
  })
  const indexHtml = bridgeScript
    ? (await readFile(path.join(rendererDir, 'index.html'), 'utf8')).replace('<head>', '<head>\n    <script src="./bridge.js"></script>')
    : null
  const server = http.createServer((req, res) => {
    if (indexHtml && (req.url === '/' || req.url === '/index.html')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(indexHtml)
      return
    }
    void files(req, res)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(o.port ?? 0, '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  const origin = `http://127.0.0.1:${port}`

  bridge = startBridgeServer({
    server,
    origin,
    handlers: () => running!.handlers,
    // A page (re)loading starts a new handshake, as Electron's did-start-loading does.
    onConnect: () => running?.app.pageLoading(),
    log
  })
  await running.app.start()

  const host: E2eHost = {
    url: `${origin}/`,
    dataDir,
    rendererDir,
    get settings() {
      return running!.settings
    },
    get key() {
      return running!.key
    },
    get core() {
      return running!.core
    },
    get app() {
      return running!.app
    },
    bridge,
    notifications,
    tray,
    opened,
    copied,
    approvals,
    async restart() {
      bridge?.disconnectAll()
      await stopServices(running!)
      running = startServices()
      await running.app.start()
    },
    async close() {
      bridge?.disconnectAll()
      if (running) await stopServices(running)
      running = null
      await bridge?.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      if (ownDir) await rm(dataDir, { recursive: true, force: true })
    }
  }
  return host
}
