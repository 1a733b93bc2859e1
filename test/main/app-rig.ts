// createMainApp over fakes of every Electron object, recording what the app does with them: one rig
// for the tests of the app's wiring.
import { createMainApp, type MainAppDeps } from '../../src/main/app'
import type { TrayView } from '../../src/main/electron/tray-menu'
import type { Notification } from '../../src/core/ports'
import type { MainServices } from '../../src/core/services'
import type { Handlers } from '../../src/shared/ipc'
import { FakeClock, FakeGlobalShortcut, FakeKeyHook } from './hotkey/fakes'

export type AppRigOptions = { services: MainServices } & Partial<Pick<MainAppDeps, 'platform' | 'env' | 'startHidden' | 'approveMcpServers'>>

export function appRig(o: AppRigOptions) {
  const sent: Array<[string, unknown]> = []
  const views: TrayView[] = []
  const notes: Notification[] = []
  const hook = new FakeKeyHook()
  const shortcuts = new FakeGlobalShortcut()
  const clock = new FakeClock()
  let shown = 0
  let quits = 0
  let served: Handlers | null = null
  let unserved = 0
  const app = createMainApp({
    services: o.services,
    window: { show: () => shown++, send: (c, p) => sent.push([c, p]) },
    tray: { render: (v) => views.push(v) },
    serveIpc: (h) => {
      served = h
      return () => unserved++
    },
    globalShortcut: shortcuts,
    loadHook: async () => hook,
    notifier: { isSupported: () => true, show: (n) => notes.push(n) },
    quit: () => quits++,
    version: '0.1.0',
    platform: o.platform ?? 'linux',
    env: o.env ?? {},
    clock,
    startHidden: o.startHidden,
    ...(o.approveMcpServers ? { approveMcpServers: o.approveMcpServers } : {})
  })
  return {
    app,
    sent,
    views,
    notes,
    hook,
    shortcuts,
    clock,
    /** The handlers the app served over IPC (after start()). */
    handlers: () => served!,
    shown: () => shown,
    quits: () => quits,
    unserved: () => unserved
  }
}
