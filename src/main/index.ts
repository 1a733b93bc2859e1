// Composition root: Electron adapters -> core services -> the app's wiring. Nothing else lives here.
import { join } from 'node:path'
import {
  app,
  BrowserWindow,
  clipboard,
  ClipboardItem,
  desktopCapturer,
  dialog,
  globalShortcut,
  ipcMain,
  Menu,
  nativeImage,
  Notification,
  safeStorage,
  screen,
  session,
  shell,
  systemPreferences,
  Tray,
  utilityProcess
} from 'electron'
import { createMainApp, type MainApp } from './app'
import { createCoreServices, mainServicesOf, type CoreServices } from '../core/core-services'
import { useDecodeWorkerScript } from '../core/audio/decode-off-thread'
import { MimoClient } from '../core/mimo/client'
import { APP_DIR_NAME } from '../core/app-paths'
import { createEncryptedFileSecretStore } from '../core/settings/encrypted-file-secret-store'
import { StoredKeyService } from '../core/settings/key-service'
import { StoredSettingsService } from '../core/settings/settings-service'
import { devServerPage, filePage } from './electron/app-page'
import { createElectronSettingsStore } from './electron/electron-settings-store'
import { MainWindow } from './electron/main-window'
import { bindIpc } from './electron/ipc'
import { createMicrophonePermission } from './electron/microphone-permission'
import { keyOriginDialog } from './electron/key-origin-dialog'
import { mcpApprovalDialog } from './electron/mcp-approval'
import { createNotifier } from './electron/notifier'
import { createElectronScreenCapture, createElectronTextSelection, createScreenPermission } from './electron/screen-capture'
import { listPrivateWindows } from '../core/context/node-screen-capture'
import { safeStorageCipher } from './electron/safe-storage-cipher'
import { hardenApp, hardenSession, webAddressOpener } from './electron/security'
import { createTrayPresenter } from './electron/tray'
import { electronClipboard } from './electron/electron-clipboard'
import { commandFocusedWindow } from '../core/dictation/command-keys'
import { appKeySenders } from './hotkey/key-tapper'
import { sharedKeyHook } from './hotkey/shared-key-hook'
import { utilityHostLauncher } from './electron/key-hook-utility-process'
import { isWayland } from './hotkey/hotkey-controller'
import { HostKeyHook } from './hotkey/key-hook'

const log = (message: string): void => console.log(`[mimo-voice] ${message}`)

// One settings folder for the app and the `mimo-voice` command, whatever the product name.
app.setPath('userData', process.env.MIMO_VOICE_DATA_DIR?.trim() || join(app.getPath('appData'), APP_DIR_NAME))
// Global shortcuts and screen capture on Wayland go through the desktop portal (PipeWire for the pixels).
if (isWayland(process.env)) app.commandLine.appendSwitch('enable-features', 'GlobalShortcutsPortal,WebRTCPipeWireCapturer')

// The decode worker is built beside this file (electron.vite.config.ts); Electron reads it from the asar.
useDecodeWorkerScript(join(__dirname, 'decode-worker.js'))

const devUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined
const page = devUrl ? devServerPage(devUrl) : filePage(join(__dirname, '../renderer/index.html'))
// Packaged, resources/ is unpacked from the asar: the tray and the key hook's process need real files.
const resources = app.isPackaged
  ? join(process.resourcesPath, 'app.asar.unpacked', 'resources')
  : join(app.getAppPath(), 'resources')

let quitting = false
let mainApp: MainApp | null = null
let core: CoreServices | null = null
let mainWindow: MainWindow | null = null

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('second-instance', () => mainApp?.showWindow())
  app.on('before-quit', () => {
    quitting = true
  })
  // The app lives in the tray: closing the window does not quit.
  app.on('window-all-closed', () => {})
  app.on('activate', () => mainApp?.showWindow())
  app.on('will-quit', () => {
    mainApp?.stop()
    void core?.close()
    globalShortcut.unregisterAll()
  })
  hardenApp(app, {
    page,
    isWebSource: (url) => !!core?.assistant.snapshot().turns.some((t) => t.sources.some((s) => s.url === url)),
    shell,
    log
  })
  void app.whenReady().then(start)
}

function start(): void {
  hardenSession(session.defaultSession, page, log)

  const settingsStore = createElectronSettingsStore({
    userData: app.getPath('userData'),
    onDamaged: (movedTo) => log(`The settings file was damaged; it was moved to ${movedTo}`)
  })
  const settings = new StoredSettingsService(settingsStore)
  const key = new StoredKeyService({
    secrets: createEncryptedFileSecretStore({
      file: join(app.getPath('userData'), 'api-key.bin'),
      cipher: safeStorageCipher(safeStorage),
      log
    }),
    settings: () => settings.get(),
    createClient: (s, apiKey) => new MimoClient({ baseUrl: s.baseUrl, apiKey, auth: s.authStyle, retry: { maxAttempts: 1 } }),
    // A new address for the key is confirmed in a native dialog, never by the window.
    confirmation: keyOriginDialog(dialog)
  })
  const notifier = createNotifier(Notification, { icon: join(resources, 'icon.png'), onClick: () => mainApp?.showWindow() })
  // One key hook for the shortcuts and dictation's paste keystroke.
  const loadHook = sharedKeyHook(async () => new HostKeyHook(utilityHostLauncher((...a) => utilityProcess.fork(...a), join(resources, 'key-hook-host.cjs'))))
  // macOS asks for the microphone before the first recording: the core's microphone service asks through it.
  core = createCoreServices({
    settings,
    key,
    dataDir: app.getPath('userData'),
    exportDir: app.getPath('downloads'),
    microphonePermission: createMicrophonePermission(systemPreferences),
    // Captured only when the user asks (the screen shortcut, the window's switches, the tray).
    context: {
      capture: createElectronScreenCapture({
        desktopCapturer,
        screen,
        ownWindow: () => mainWindow?.captureView() ?? null,
        privateWindows: (titles) => listPrivateWindows(titles),
        wayland: isWayland(process.env)
      }),
      text: createElectronTextSelection(clipboard),
      permission: createScreenPermission({
        systemPreferences,
        dialog,
        trigger: () => desktopCapturer.getSources({ types: ['screen'], thumbnailSize: { width: 1, height: 1 } })
      })
    },
    notifier,
    // The open_url tool checked the address (http or https, no credentials) before it comes here.
    openUrl: webAddressOpener(shell),
    clipboard: { writeText: async (text) => clipboard.writeText(text) },
    version: app.getVersion(),
    log,
    // Dictation pastes through Electron's clipboard (every format put back) and the key library, then the desktop's tools.
    dictationDesktop: {
      clipboard: electronClipboard(clipboard, ClipboardItem),
      keySenders: () => appKeySenders({ loadHook }),
      focusedWindow: commandFocusedWindow()
    }
  })

  const window = (mainWindow = new MainWindow({
    BrowserWindow,
    page,
    preloadPath: join(__dirname, '../preload/index.js'),
    isDev: page.isDev,
    iconPath: join(resources, 'icon.png'),
    isQuitting: () => quitting,
    onPageLoading: () => mainApp?.pageLoading(),
    log
  }))
  const tray = createTrayPresenter({
    createTray: (image) => new Tray(image),
    buildMenu: (template) => Menu.buildFromTemplate(template),
    // Linux panels draw tray icons at 22-32 px; Windows and macOS at 16 (the @2x file serves HiDPI).
    icon: (name) => nativeImage.createFromPath(join(resources, `tray-${name}-${process.platform === 'linux' ? 32 : 16}.png`)),
    onClick: () => mainApp?.showWindow()
  })

  mainApp = createMainApp({
    services: mainServicesOf(core, { settings, key }),
    window,
    tray,
    serveIpc: (handlers) => bindIpc({ ipcMain, handlers, isTrustedSender: (e) => window.isTrustedSender(e), log }),
    globalShortcut,
    loadHook,
    notifier,
    approveMcpServers: mcpApprovalDialog(dialog),
    quit: () => app.quit(),
    version: app.getVersion(),
    platform: process.platform,
    startHidden: process.argv.includes('--hidden'),
    log
  })
  mainApp.start().catch((err: Error) => log(`Start-up failed: ${err.message}`))
}
