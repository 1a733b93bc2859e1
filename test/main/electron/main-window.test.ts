import { beforeEach, describe, expect, it } from 'vitest'
import { filePage } from '../../../src/main/electron/app-page'
import { MainWindow } from '../../../src/main/electron/main-window'
import { FakeBrowserWindow } from './fake-electron'

beforeEach(() => {
  FakeBrowserWindow.created = []
})

describe('the window', () => {
  function created(isDev: boolean) {
    FakeBrowserWindow.created = []
    new MainWindow({
      BrowserWindow: FakeBrowserWindow as never,
      page: filePage('/app/out/renderer/index.html'),
      preloadPath: '/p.js',
      isDev,
      isQuitting: () => false
    }).show()
    return FakeBrowserWindow.created[0].options.webPreferences!
  }

  it('is sandboxed and isolated, with web security on and devtools in development only', () => {
    const prod = created(false)
    expect(prod).toMatchObject({
      preload: '/p.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
      devTools: false
    })
    expect(prod).not.toHaveProperty('enableBlinkFeatures')
    expect(created(true).devTools).toBe(true)
  })

  it('is created on first show, loads our page once; closing hides it unless quitting', () => {
    let quitting = false
    let loads = 0
    const w = new MainWindow({
      BrowserWindow: FakeBrowserWindow as never,
      page: filePage('/app/out/renderer/index.html'),
      preloadPath: '/p.js',
      isDev: false,
      isQuitting: () => quitting,
      onPageLoading: () => loads++
    })
    w.send('app:navigate', { view: 'talk' }) // no window yet: nothing happens
    expect(FakeBrowserWindow.created).toHaveLength(0)
    w.show()
    w.show()
    expect(FakeBrowserWindow.created).toHaveLength(1)
    const win = FakeBrowserWindow.created[0]
    expect(win.loaded).toEqual(['file:///app/out/renderer/index.html'])
    expect(loads).toBe(1)
    expect(win.visible).toBe(true)
    expect(win.userClose()).toBe(false)
    expect(win.visible).toBe(false)
    expect(win.destroyed).toBe(false)
    w.send('assistant:state', { phase: 'idle' })
    expect(win.webContents.sent).toEqual([['assistant:state', { phase: 'idle' }]])
    quitting = true
    expect(win.userClose()).toBe(true)
    expect(win.destroyed).toBe(true)
    w.show() // a new window after the old one is gone
    expect(FakeBrowserWindow.created).toHaveLength(2)
  })
})
