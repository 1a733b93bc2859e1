// A hand-written stand-in for the `electron` module, so the built main bundle (out/main/index.js) can
// start in plain Node: the Electron binary cannot run on the build machine. It implements what
// src/main/index.ts and src/main/electron/ use and nothing more. Any other property throws
// "stand-in electron: X is not implemented" and is reported, so a new use is found, not ignored.
//
// Side channel: the Node IPC channel of the process (the test spawns it with stdio 'ipc'). What the
// app does is reported as messages `{ type, ... }`; the test drives the recorded handlers (IPC,
// navigation guards, permission handlers, tray clicks) with `{ op, id, ... }` and gets `{ type: 'reply', id }`.
'use strict'
const { fork } = require('node:child_process')
const { EventEmitter } = require('node:events')
const { PassThrough } = require('node:stream')
const { existsSync, readFileSync } = require('node:fs')
const { constants, homedir, tmpdir } = require('node:os')
const { join } = require('node:path')
const { pathToFileURL } = require('node:url')

function report(type, data = {}) {
  if (!process.connected) return
  try {
    process.send({ type, ...data })
  } catch (err) {
    process.stderr.write(`stand-in electron: could not report ${type}: ${err.message}\n`)
  }
}

/** A copy that survives structured clone: functions become '[function]'. */
function plain(value, depth = 0) {
  if (typeof value === 'function') return '[function]'
  if (value === null || typeof value !== 'object' || depth > 8) return value
  if (Array.isArray(value)) return value.map((v) => plain(v, depth + 1))
  if (ArrayBuffer.isView(value)) return value
  const out = {}
  for (const [k, v] of Object.entries(value)) out[k] = plain(v, depth + 1)
  return out
}

const ABSENT_OK = new Set(['then', 'toJSON', 'asymmetricMatch', 'nodeType', '$$typeof'])

/**
 * A prototype for the stand-in's objects: reading a property they do not have throws (after
 * reporting it), where a plain object would give undefined and hide a missing piece.
 */
function strict(name, base = Object.prototype) {
  return new Proxy(base, {
    get(target, key, receiver) {
      if (typeof key === 'symbol' || key in target || ABSENT_OK.has(key)) return Reflect.get(target, key, receiver)
      const what = `${name}.${key}`
      report('missing', { what })
      throw new Error(`stand-in electron: ${what} is not implemented`)
    }
  })
}

/** An object with exactly these members; anything else throws. */
function strictObject(name, members) {
  return Object.assign(Object.create(strict(name)), members)
}

/** on/once/emit through a private emitter, recorded under `name`. */
function eventsOf(name, self, data = {}) {
  const emitter = new EventEmitter()
  emitter.setMaxListeners(0)
  return {
    emitter,
    on(event, listener) {
      report(`${name}.on`, { event, ...data })
      emitter.on(event, listener)
      return self()
    },
    once(event, listener) {
      report(`${name}.once`, { event, ...data })
      emitter.once(event, listener)
      return self()
    },
    removeListener(event, listener) {
      emitter.removeListener(event, listener)
      return self()
    }
  }
}

const appPath = process.env.STAND_IN_ELECTRON_APP_PATH || process.cwd()
const packageJson = JSON.parse(readFileSync(join(appPath, 'package.json'), 'utf8'))

// ---- app ----
const appData = process.env.XDG_CONFIG_HOME || join(homedir(), '.config')
const paths = {
  home: homedir(),
  appData,
  userData: join(appData, packageJson.productName || packageJson.name),
  temp: tmpdir(),
  logs: join(appData, packageJson.name, 'logs'),
  downloads: join(homedir(), 'Downloads')
}
let ready = false
let resolveReady
const whenReady = new Promise((r) => (resolveReady = r))
const appEvents = eventsOf('app', () => app)

const app = strictObject('app', {
  isPackaged: false,
  commandLine: strictObject('app.commandLine', {
    appendSwitch(name, value) {
      report('app.commandLine.appendSwitch', { name, value })
    }
  }),
  on: appEvents.on,
  once: appEvents.once,
  removeListener: appEvents.removeListener,
  whenReady: () => whenReady,
  isReady: () => ready,
  requestSingleInstanceLock() {
    report('app.requestSingleInstanceLock')
    return process.env.STAND_IN_SINGLE_INSTANCE_LOCK !== 'taken'
  },
  getPath(name) {
    if (!Object.hasOwn(paths, name)) {
      report('missing', { what: `app.getPath('${name}')` })
      throw new Error(`stand-in electron: app.getPath('${name}') is not implemented`)
    }
    return paths[name]
  },
  setPath(name, path) {
    report('app.setPath', { name, path })
    paths[name] = path
  },
  getAppPath: () => appPath,
  getVersion: () => packageJson.version,
  getName: () => packageJson.productName || packageJson.name,
  quit() {
    report('app.quit')
    // Electron's order: before-quit, the windows close, will-quit, quit; then the process ends. A
    // window that refuses to close (its 'close' prevented) cancels the quit.
    setImmediate(() => {
      const event = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true } }
      appEvents.emitter.emit('before-quit', event)
      if (event.defaultPrevented) return
      for (const win of windows) if (!win.isDestroyed()) win.close()
      if (windows.some((win) => !win.isDestroyed())) return report('app.quit-cancelled')
      appEvents.emitter.emit('will-quit', { preventDefault() {} })
      appEvents.emitter.emit('quit', {}, 0)
      app.exit(0)
    })
  },
  exit(code = 0) {
    report('app.exit', { code })
    // Let the report and the main bundle's last log lines out first.
    setTimeout(() => process.exit(code), 50)
  }
})

// ---- sessions and web contents ----
const webRequest = strictObject('session.webRequest', {
  onHeadersReceived(filterOrListener, maybeListener) {
    const listener = typeof filterOrListener === 'function' ? filterOrListener : maybeListener
    report('session.handler', { name: 'webRequest.onHeadersReceived', filter: typeof filterOrListener === 'function' ? null : plain(filterOrListener) })
    sessionHandlers['webRequest.onHeadersReceived'] = listener
  }
})
const sessionHandlers = {}
const sessionSetter = (name) =>
  function (handler) {
    report('session.handler', { name, cleared: handler === null })
    sessionHandlers[name] = handler
  }
const defaultSession = strictObject('session.defaultSession', {
  webRequest,
  setPermissionRequestHandler: sessionSetter('setPermissionRequestHandler'),
  setPermissionCheckHandler: sessionSetter('setPermissionCheckHandler'),
  setDevicePermissionHandler: sessionSetter('setDevicePermissionHandler'),
  setDisplayMediaRequestHandler: sessionSetter('setDisplayMediaRequestHandler')
})
const session = strictObject('session', { defaultSession })

let nextContentsId = 1
const allContents = []

function createWebContents() {
  const id = nextContentsId++
  let url = ''
  let destroyed = false
  let openHandler = null
  const events = eventsOf('webContents', () => contents, { id })
  const mainFrame = Object.assign(Object.create(strict('WebFrameMain')), {
    parent: null,
    frames: [],
    processId: 1,
    routingId: 1
  })
  Object.defineProperty(mainFrame, 'url', { get: () => url, enumerable: true })
  Object.defineProperty(mainFrame, 'top', { get: () => mainFrame, enumerable: true })
  const contents = strictObject('webContents', {
    id,
    session: defaultSession,
    mainFrame,
    on: events.on,
    once: events.once,
    removeListener: events.removeListener,
    send(channel, ...args) {
      report('webContents.send', { id, channel, payload: plain(args[0]) })
    },
    setWindowOpenHandler(handler) {
      report('webContents.setWindowOpenHandler', { id })
      openHandler = handler
    },
    isDestroyed: () => destroyed,
    getURL: () => url,
    isLoading: () => false
  })
  const internal = {
    contents,
    events: events.emitter,
    windowOpenHandler: () => openHandler,
    async load(target) {
      url = target
      events.emitter.emit('did-start-loading')
      await new Promise((r) => setImmediate(r))
      events.emitter.emit('dom-ready')
      events.emitter.emit('did-finish-load')
    },
    destroy() {
      destroyed = true
      events.emitter.emit('destroyed')
    }
  }
  allContents.push(internal)
  appEvents.emitter.emit('web-contents-created', { preventDefault() {} }, contents)
  return internal
}

// ---- BrowserWindow ----
const windows = []
let nextWindowId = 1

class BrowserWindow {
  #internal
  #events
  #visible = false
  #destroyed = false
  #minimized = false

  constructor(options = {}) {
    this.id = nextWindowId++
    report('BrowserWindow', { id: this.id, options: plain(options) })
    this.#events = eventsOf('BrowserWindow', () => this, { id: this.id })
    this.#internal = createWebContents()
    this.webContents = this.#internal.contents
    windows.push(this)
    if (options.show !== false) this.#visible = true
  }

  on(event, listener) {
    return this.#events.on(event, listener)
  }
  once(event, listener) {
    return this.#events.once(event, listener)
  }
  removeListener(event, listener) {
    return this.#events.removeListener(event, listener)
  }
  loadURL(url) {
    report('BrowserWindow.loadURL', { id: this.id, url })
    return this.#internal.load(url)
  }
  loadFile(file) {
    report('BrowserWindow.loadFile', { id: this.id, file })
    return this.#internal.load(pathToFileURL(file).href)
  }
  show() {
    report('BrowserWindow.show', { id: this.id })
    this.#visible = true
    this.#minimized = false
  }
  hide() {
    report('BrowserWindow.hide', { id: this.id })
    this.#visible = false
  }
  focus() {
    report('BrowserWindow.focus', { id: this.id })
  }
  restore() {
    this.#minimized = false
  }
  isMinimized() {
    return this.#minimized
  }
  isVisible() {
    return this.#visible
  }
  isDestroyed() {
    return this.#destroyed
  }
  close() {
    if (this.#destroyed) return
    const event = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true } }
    this.#events.emitter.emit('close', event)
    if (!event.defaultPrevented) this.destroy()
  }
  destroy() {
    if (this.#destroyed) return
    report('BrowserWindow.destroy', { id: this.id })
    this.#destroyed = true
    this.#visible = false
    this.#internal.destroy()
    this.#events.emitter.emit('closed')
  }
}
Object.setPrototypeOf(BrowserWindow.prototype, strict('BrowserWindow'))

// ---- ipcMain ----
const invokeHandlers = new Map()
const ipcEvents = eventsOf('ipcMain', () => ipcMain)
const ipcMain = strictObject('ipcMain', {
  handle(channel, handler) {
    // Electron refuses a second handler for a channel.
    if (invokeHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`)
    report('ipcMain.handle', { channel })
    invokeHandlers.set(channel, handler)
  },
  removeHandler(channel) {
    report('ipcMain.removeHandler', { channel })
    invokeHandlers.delete(channel)
  },
  on: ipcEvents.on,
  once: ipcEvents.once,
  removeListener: ipcEvents.removeListener
})

// ---- tray, menus, images ----
const Menu = strictObject('Menu', {
  buildFromTemplate(template) {
    return Object.assign(Object.create(strict('Menu instance')), { items: template })
  }
})

function imageInfo(image) {
  return image && typeof image === 'object' && 'path' in image ? image.path : String(image)
}

const nativeImage = strictObject('nativeImage', {
  createFromPath(path) {
    const exists = existsSync(path)
    report('nativeImage.createFromPath', { path, exists })
    return Object.assign(Object.create(strict('NativeImage')), { path, isEmpty: () => !exists })
  }
})

const trays = []
class Tray {
  #events = eventsOf('Tray', () => this)
  constructor(image) {
    report('Tray', { image: imageInfo(image) })
    this.menu = null
    trays.push(this)
  }
  setImage(image) {
    report('Tray.setImage', { image: imageInfo(image) })
  }
  setToolTip(text) {
    report('Tray.setToolTip', { text })
  }
  setContextMenu(menu) {
    this.menu = menu
    report('Tray.setContextMenu', { template: menu ? plain(menu.items) : null })
  }
  on(event, listener) {
    return this.#events.on(event, listener)
  }
  destroy() {
    report('Tray.destroy')
    trays.splice(trays.indexOf(this), 1)
  }
}
Object.setPrototypeOf(Tray.prototype, strict('Tray'))

// ---- notifications, shell, system ----
class Notification {
  static isSupported() {
    return true
  }
  #events = eventsOf('Notification', () => this)
  #options
  constructor(options) {
    this.#options = options
  }
  on(event, listener) {
    return this.#events.on(event, listener)
  }
  show() {
    report('Notification.show', { options: plain(this.#options) })
  }
}
Object.setPrototypeOf(Notification.prototype, strict('Notification'))

const shell = strictObject('shell', {
  async openExternal(url) {
    report('shell.openExternal', { url })
  }
})


/**
 * Message boxes are reported and answered as a careful user would: with the dialog's cancel button
 * (Cancel for an MCP server, "Don't send" for the key). STAND_IN_DIALOG_RESPONSE picks another button.
 */
const dialog = strictObject('dialog', {
  async showMessageBox(...args) {
    const options = args.length > 1 ? args[1] : args[0]
    const response = process.env.STAND_IN_DIALOG_RESPONSE !== undefined ? Number(process.env.STAND_IN_DIALOG_RESPONSE) : (options.cancelId ?? 0)
    report('dialog.showMessageBox', { options: plain(options), response })
    return { response, checkboxChecked: false }
  }
})

const systemPreferences = strictObject('systemPreferences', {
  getMediaAccessStatus(mediaType) {
    report('systemPreferences.getMediaAccessStatus', { mediaType })
    return 'granted'
  },
  async askForMediaAccess(mediaType) {
    report('systemPreferences.askForMediaAccess', { mediaType })
    return true
  }
})

// Context for questions: nothing is captured or read unless a test asks, and each use is reported.
const desktopCapturer = strictObject('desktopCapturer', {
  async getSources(options) {
    report('desktopCapturer.getSources', { options: plain(options) })
    return []
  }
})
const screen = strictObject('screen', {
  getCursorScreenPoint: () => ({ x: 0, y: 0 }),
  getDisplayNearestPoint: () => ({ id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 }, size: { width: 1920, height: 1080 }, scaleFactor: 1 })
})

// Reversible, and the plain text does not appear in what is stored.
const SEALED = Buffer.from('stand-in-sealed:')
const safeStorage = strictObject('safeStorage', {
  isEncryptionAvailable: () => true,
  getSelectedStorageBackend: () => 'basic_text',
  encryptString(plain) {
    report('safeStorage.encryptString')
    return Buffer.concat([SEALED, Buffer.from(plain, 'utf8').map((b) => b ^ 0x5a)])
  },
  decryptString(bytes) {
    report('safeStorage.decryptString')
    const buf = Buffer.from(bytes)
    if (!buf.subarray(0, SEALED.length).equals(SEALED)) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.')
    return Buffer.from(buf.subarray(SEALED.length).map((b) => b ^ 0x5a)).toString('utf8')
  }
})

const shortcuts = new Map()
const globalShortcut = strictObject('globalShortcut', {
  register(accelerator, callback) {
    const ok = process.env.STAND_IN_SHORTCUT !== 'taken' && !shortcuts.has(accelerator)
    report('globalShortcut.register', { accelerator, ok })
    if (ok) shortcuts.set(accelerator, callback)
    return ok
  },
  unregister(accelerator) {
    report('globalShortcut.unregister', { accelerator })
    shortcuts.delete(accelerator)
  },
  unregisterAll() {
    report('globalShortcut.unregisterAll')
    shortcuts.clear()
  },
  isRegistered: (accelerator) => shortcuts.has(accelerator)
})

/**
 * A utility process is a Node child here: the script really runs, with process.parentPort
 * (parent-port.cjs), and it ends when the app does. With STAND_IN_UTILITY_EXIT set, no process
 * starts; the "child" writes STAND_IN_UTILITY_STDERR and exits with that code (the key hook without a
 * display: libuiohook aborts, and now and then hangs instead, which would only add the app's 10 s
 * start timeout to the test).
 */
const utilityChildren = new Set()
process.on('exit', () => {
  for (const child of utilityChildren) child.kill()
})
const utilityProcess = strictObject('utilityProcess', {
  fork(modulePath, args = [], options = {}) {
    const scripted = process.env.STAND_IN_UTILITY_EXIT
    report('utilityProcess.fork', { modulePath, args, options: plain(options), exists: existsSync(modulePath), scripted: scripted !== undefined })
    const events = eventsOf('UtilityProcess', () => handle)
    const exited = (code, signal) => {
      report('utilityProcess.exit', { code, signal })
      // Electron reports a crash as a non-zero code (the signal's number), with no signal.
      events.emitter.emit('exit', code ?? constants.signals[signal] ?? 1)
    }
    let child = null
    let stdout = null
    let stderr = null
    if (scripted !== undefined) {
      stdout = new PassThrough()
      stderr = new PassThrough()
      setTimeout(() => {
        stderr.end(process.env.STAND_IN_UTILITY_STDERR ?? '')
        stdout.end()
        setImmediate(() => exited(Number(scripted), null))
      }, 20)
    } else {
      // Electron's stdio option covers stdout and stderr: 'pipe', 'ignore', 'inherit' or [stdin, stdout, stderr].
      const stdio = Array.isArray(options.stdio) ? options.stdio : [options.stdio ?? 'inherit', options.stdio ?? 'inherit', options.stdio ?? 'inherit']
      child = fork(modulePath, args, {
        stdio: ['ignore', stdio[1], stdio[2], 'ipc'],
        env: options.env ?? process.env,
        cwd: options.cwd,
        // Not the stand-in's loader: a utility process is plain Node, with Electron's parentPort.
        execArgv: ['--require', join(__dirname, 'parent-port.cjs')]
      })
      utilityChildren.add(child)
      stdout = child.stdout
      stderr = child.stderr
      child.on('spawn', () => {
        report('utilityProcess.spawn', { pid: child.pid })
        events.emitter.emit('spawn')
      })
      child.on('message', (message) => {
        report('utilityProcess.message', { message })
        events.emitter.emit('message', message)
      })
      child.on('exit', (code, signal) => {
        utilityChildren.delete(child)
        exited(code, signal)
      })
    }
    const handle = Object.assign(Object.create(strict('UtilityProcess')), {
      stdout,
      stderr,
      on: events.on,
      once: events.once,
      kill() {
        report('utilityProcess.kill')
        return child ? child.kill() : false
      },
      postMessage(message) {
        report('utilityProcess.postMessage', { message })
        if (!child?.connected) throw new Error('stand-in electron: postMessage to a utility process that has exited')
        child.send(message)
      }
    })
    return handle
  }
})

// Electron's async clipboard (dictation pastes through it): an in-memory one, its writes reported.
let clipboardItems = []
class ClipboardItem {
  constructor(items) {
    this.items = items
    this.types = Object.keys(items)
  }
  async getType(type) {
    const v = this.items[type]
    if (v === undefined) throw new Error(`no ${type}`)
    return typeof v === 'string' ? new Blob([v], { type }) : v
  }
}
const clipboard = strictObject('clipboard', {
  read: async () => clipboardItems,
  write: async (items) => {
    report('clipboard.write', { types: items.map((i) => i.types) })
    clipboardItems = items
  },
  readText: async () => {
    report('clipboard.readText')
    const item = clipboardItems.find((i) => i.types.includes('text/plain'))
    return item ? (await item.getType('text/plain')).text() : ''
  },
  writeText: async (text) => {
    report('clipboard.writeText', { text })
    clipboardItems = [new ClipboardItem({ 'text/plain': text })]
  },
  clear: () => {
    clipboardItems = []
  },
  selection: strictObject('clipboard.selection', { readText: async () => '', writeText: async () => {} })
})

module.exports = Object.assign(Object.create(strict('electron')), {
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
})

// ---- the test's commands ----
function findMenuItem(items, id) {
  for (const item of items ?? []) {
    if (item.id === id) return item
    const inner = findMenuItem(item.submenu, id)
    if (inner) return inner
  }
  return null
}

function senderFor(kind) {
  const win = windows.find((w) => !w.isDestroyed())
  if (!win) throw new Error('no window')
  const contents = win.webContents
  const frame = contents.mainFrame
  switch (kind) {
    case 'window':
      return { sender: contents, senderFrame: frame }
    case 'foreign-page':
      // Our window, but its frame shows another page (e.g. after a navigation that slipped through).
      return { sender: contents, senderFrame: { url: 'https://attacker.example/', parent: null } }
    case 'subframe':
      return { sender: contents, senderFrame: { url: frame.url, parent: frame } }
    case 'other-contents':
      return { sender: { id: 9999 }, senderFrame: { url: frame.url, parent: null } }
    default:
      throw new Error(`unknown sender ${kind}`)
  }
}

async function run(cmd) {
  const contents = allContents.find((c) => !c.contents.isDestroyed())
  switch (cmd.op) {
    case 'invoke': {
      const handler = invokeHandlers.get(cmd.channel)
      if (!handler) throw new Error(`no handler for ${cmd.channel}`)
      const event = { ...senderFor(cmd.sender), processId: 1, frameId: 1 }
      return plain(await handler(event, cmd.payload))
    }
    case 'navigate': {
      // What Electron does for a navigation: 'will-navigate' with an event that can be prevented.
      let prevented = false
      const event = { url: cmd.url, preventDefault: () => (prevented = true) }
      contents.events.emit(cmd.event ?? 'will-navigate', event, cmd.url)
      return { prevented }
    }
    case 'open-window': {
      const handler = contents.windowOpenHandler()
      if (!handler) throw new Error('no window open handler')
      return plain(handler({ url: cmd.url, frameName: '', features: '', disposition: 'new-window', referrer: { url: '', policy: 'default' } }))
    }
    case 'headers': {
      const listener = sessionHandlers['webRequest.onHeadersReceived']
      return new Promise((resolve) => listener({ url: cmd.url, resourceType: 'mainFrame', responseHeaders: cmd.responseHeaders ?? {} }, (r) => resolve(plain(r))))
    }
    case 'permission-request': {
      const handler = sessionHandlers.setPermissionRequestHandler
      return new Promise((resolve) => handler(contents.contents, cmd.permission, (allowed) => resolve(allowed), cmd.details))
    }
    case 'permission-check': {
      const handler = sessionHandlers.setPermissionCheckHandler
      return handler(contents.contents, cmd.permission, cmd.origin, cmd.details)
    }
    case 'device-permission':
      return sessionHandlers.setDevicePermissionHandler({ deviceType: 'usb', origin: cmd.origin })
    case 'tray-click': {
      const item = findMenuItem(trays.at(-1)?.menu?.items, cmd.itemId)
      if (!item || typeof item.click !== 'function') throw new Error(`no tray menu item ${cmd.itemId}`)
      item.click()
      return true
    }
    default:
      throw new Error(`unknown op ${cmd.op}`)
  }
}

process.on('message', (cmd) => {
  if (!cmd || typeof cmd.op !== 'string') return
  run(cmd).then(
    (value) => report('reply', { id: cmd.id, value }),
    (err) => report('reply', { id: cmd.id, error: err instanceof Error ? err.message : String(err) })
  )
})

// Electron is ready once the main script has run.
setImmediate(() => {
  ready = true
  appEvents.emitter.emit('ready', {}, {})
  resolveReady()
  report('app.ready')
})
