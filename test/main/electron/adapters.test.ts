import { describe, expect, it } from 'vitest'
import { createMicrophonePermission } from '../../../src/main/electron/microphone-permission'
import { createNotifier } from '../../../src/main/electron/notifier'
import { utilityProbeRunner } from '../../../src/main/electron/utility-probe-runner'
import { probeKeyHook } from '../../../src/main/hotkey/key-hook'
import { Emitter } from './fake-electron'

describe('notifier over a fake Notification class', () => {
  it('shows a silent notification with the text cut to fit, and nothing where unsupported', () => {
    const shown: Array<Record<string, unknown>> = []
    let supported = true
    class FakeNotification extends Emitter {
      static isSupported = () => supported
      constructor(public options: Record<string, unknown>) {
        super()
      }
      show() {
        shown.push(this.options)
      }
    }
    const notifier = createNotifier(FakeNotification as never, { icon: '/icon.png' })
    notifier.show({ title: 'Q', body: 'x'.repeat(1000) })
    expect(shown).toHaveLength(1)
    expect(shown[0]).toMatchObject({ title: 'Q', silent: true, icon: '/icon.png' })
    expect((shown[0].body as string).length).toBe(400)
    supported = false
    notifier.show({ title: 'Q', body: 'again' })
    expect(shown).toHaveLength(1)
    expect(notifier.isSupported()).toBe(false)
  })
})

describe('microphone permission over fake systemPreferences', () => {
  function prefs(status: string, answer = true) {
    const asked: string[] = []
    return {
      asked,
      systemPreferences: {
        getMediaAccessStatus: () => status,
        askForMediaAccess: async (t: string) => {
          asked.push(t)
          return answer
        }
      } as never
    }
  }

  it('macOS asks once the status is undetermined, and answers from the status otherwise', async () => {
    const undetermined = prefs('not-determined', true)
    expect(createMicrophonePermission(undetermined.systemPreferences, 'darwin').isGranted()).toBe(false)
    expect(await createMicrophonePermission(undetermined.systemPreferences, 'darwin').ensure()).toBe(true)
    expect(undetermined.asked).toEqual(['microphone'])
    const denied = prefs('denied')
    expect(await createMicrophonePermission(denied.systemPreferences, 'darwin').ensure()).toBe(false)
    expect(denied.asked).toEqual([])
    const granted = prefs('granted')
    expect(createMicrophonePermission(granted.systemPreferences, 'darwin').isGranted()).toBe(true)
    expect(await createMicrophonePermission(granted.systemPreferences, 'darwin').ensure()).toBe(true)
    expect(granted.asked).toEqual([])
  })

  it('other platforms have nothing to ask', async () => {
    const p = prefs('denied')
    expect(createMicrophonePermission(p.systemPreferences, 'linux').isGranted()).toBe(true)
    expect(await createMicrophonePermission(p.systemPreferences, 'linux').ensure()).toBe(true)
    expect(await createMicrophonePermission(p.systemPreferences, 'win32').ensure()).toBe(true)
    expect(p.asked).toEqual([])
  })
})

describe('the key-hook probe in a utility process (fake utilityProcess.fork)', () => {
  function fork(exit: number, stderr = '') {
    const forks: Array<{ script: string; args: string[] }> = []
    const run = utilityProbeRunner((script, args) => {
      forks.push({ script, args: args ?? [] })
      const child = Object.assign(new Emitter(), { stderr: new Emitter(), kill: () => true })
      setTimeout(() => {
        if (stderr) child.stderr.emit('data', Buffer.from(stderr))
        child.emit('exit', exit)
      }, 5)
      return child as never
    }, '/app/resources/hook-probe.cjs')
    return { run, forks }
  }

  it('passes the probe script and the uiohook path, and reads the outcome', async () => {
    const good = fork(0)
    expect(await probeKeyHook(good.run)).toBeNull()
    expect(good.forks[0].script).toBe('/app/resources/hook-probe.cjs')
    expect(good.forks[0].args[0]).toMatch(/uiohook-napi/)
    const bad = fork(134, 'xrecord_start [1024]: XOpenDisplay failure!\n')
    expect(await probeKeyHook(bad.run)).toBe('XOpenDisplay failure')
    expect(await probeKeyHook(fork(5).run)).toBe('the key hook stopped (exit code 5)')
  })
})
