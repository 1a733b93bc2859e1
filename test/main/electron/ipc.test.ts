import { beforeEach, describe, expect, it } from 'vitest'
import { filePage } from '../../../src/main/electron/app-page'
import { bindIpc } from '../../../src/main/electron/ipc'
import { MainWindow } from '../../../src/main/electron/main-window'
import { createHandlers } from '../../../src/main/ipc-handlers'
import { INVOKE_CHANNELS } from '../../../src/shared/ipc'
import { FakeBrowserWindow, FakeFrame, FakeIpcMain } from './fake-electron'
import { fakeServices, idleModes } from './fake-services'

const page = filePage('/opt/mimo-voice/resources/app.asar/out/renderer/index.html')

function setup() {
  const s = fakeServices()
  const ipcMain = new FakeIpcMain()
  const window = new MainWindow({
    BrowserWindow: FakeBrowserWindow as never,
    page,
    preloadPath: '/opt/preload.js',
    isDev: false,
    isQuitting: () => false
  })
  window.show()
  const win = FakeBrowserWindow.created.at(-1)!
  const refused: string[] = []
  const unbind = bindIpc({
    ipcMain: ipcMain as never,
    handlers: createHandlers({ ...s, pageReady: () => {},
    modes: idleModes,
    appInfo: () => ({ version: '1', platform: 'linux', hotkey: { accelerator: '', requestedMode: 'hold', activeMode: 'none' } }) }),
    isTrustedSender: (e) => window.isTrustedSender(e),
    log: (m) => refused.push(m)
  })
  const ours = () => ({ sender: { id: win.webContents.id }, senderFrame: win.webContents.mainFrame })
  return { s, ipcMain, win, ours, refused, unbind }
}

beforeEach(() => {
  FakeBrowserWindow.created = []
})

describe('ipcMain binding with the sender check', () => {
  it('registers every contract channel, and unbinds them all', () => {
    const { ipcMain, unbind } = setup()
    expect([...ipcMain.handlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort())
    unbind()
    expect(ipcMain.handlers.size).toBe(0)
  })

  it("answers our window's top frame showing our page", async () => {
    const { ipcMain, ours, s } = setup()
    expect(await ipcMain.invoke('assistant:press', ours())).toEqual({ ok: true, value: { phase: 'recording' } })
    expect(s.assistant.calls).toEqual([['press']])
  })

  it('refuses a foreign sender before any service runs', async () => {
    const { ipcMain, win, ours, s, refused } = setup()
    const refusedResult = { ok: false, error: { kind: 'internal', message: 'This request did not come from the MiMo Voice window.' } }
    // Another web contents (a second window, a devtools extension page, ...).
    expect(await ipcMain.invoke('assistant:press', { sender: { id: 9999 }, senderFrame: new FakeFrame(page.url) })).toEqual(refusedResult)
    // A subframe inside our window, even one claiming our URL.
    const sub = new FakeFrame(page.url, win.webContents.mainFrame)
    expect(await ipcMain.invoke('assistant:press', { sender: { id: win.webContents.id }, senderFrame: sub })).toEqual(refusedResult)
    // Our window after it navigated somewhere else.
    win.webContents.mainFrame.url = 'https://evil.example/index.html'
    expect(await ipcMain.invoke('key:set', ours(), { key: 'sk-stolen-key-0000' })).toEqual(refusedResult)
    // Another file on disk.
    win.webContents.mainFrame.url = 'file:///tmp/evil/index.html'
    expect(await ipcMain.invoke('assistant:press', ours())).toEqual(refusedResult)
    // A frame that is gone.
    expect(await ipcMain.invoke('assistant:press', { sender: { id: win.webContents.id }, senderFrame: null })).toEqual(refusedResult)
    expect(s.assistant.calls).toEqual([])
    expect(s.key.key).toBeUndefined()
    expect(refused).toHaveLength(5)
    // Back on our page (a hash route), it works again.
    win.webContents.mainFrame.url = `${page.url}#/settings`
    expect(await ipcMain.invoke('assistant:press', ours())).toMatchObject({ ok: true })
  })

  it('refuses a bad payload from our own window too', async () => {
    const { ipcMain, ours, s } = setup()
    const r = (await ipcMain.invoke('settings:update', ours(), { hotkeyMode: 'sometimes' })) as { ok: boolean; error: { kind: string; message: string } }
    expect(r.ok).toBe(false)
    expect(r.error.kind).toBe('input')
    expect(r.error.message).toMatch(/^hotkeyMode: /)
    expect(s.settings.value.hotkeyMode).toBe('hybrid')
  })
})
