import { describe, expect, it } from 'vitest'
import { createMicrophonePermission } from '../../../src/main/electron/microphone-permission'
import { createNotifier } from '../../../src/main/electron/notifier'
import { utilityHostLauncher } from '../../../src/main/electron/key-hook-utility-process'
import { HostKeyHook } from '../../../src/main/hotkey/key-hook'
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

describe('the key hook host in a utility process (fake utilityProcess.fork)', () => {
  /** A utility process by hand: records what it is given, and the test speaks for the host script. */
  function fork() {
    const forks: Array<{ script: string; args: string[]; options: unknown }> = []
    const posted: unknown[] = []
    let killed = 0
    const child = Object.assign(new Emitter(), {
      stderr: new Emitter(),
      kill: () => {
        killed++
        return true
      },
      postMessage: (m: unknown) => void posted.push(m)
    })
    const launch = utilityHostLauncher((script, args, options) => {
      forks.push({ script, args: args ?? [], options })
      return child as never
    }, '/app/resources/key-hook-host.cjs')
    return { launch, forks, posted, child, killed: () => killed }
  }

  it('starts the host script with the uiohook path, passes its messages on, and asks it to stop', async () => {
    const f = fork()
    const hook = new HostKeyHook(f.launch)
    const started = hook.start()
    expect(f.forks).toEqual([
      {
        script: '/app/resources/key-hook-host.cjs',
        args: [expect.stringMatching(/uiohook-napi/)],
        options: { stdio: ['ignore', 'ignore', 'pipe'], serviceName: 'MiMo Voice key hook' }
      }
    ])
    f.child.emit('message', { type: 'started' })
    await started
    const down: unknown[] = []
    hook.onKeyDown((e) => down.push(e))
    f.child.emit('message', { type: 'keydown', keycode: 57, ctrlKey: true, altKey: true, shiftKey: false, metaKey: false })
    expect(down).toEqual([{ keycode: 57, ctrlKey: true, altKey: true, shiftKey: false, metaKey: false }])
    hook.stop()
    expect(f.posted).toEqual([{ type: 'stop' }])
    f.child.emit('exit', 0)
  })

  it('reads why the host ended: libuiohook\'s last words before the start, the exit code after it', async () => {
    const failed = fork()
    const start = new HostKeyHook(failed.launch).start()
    failed.child.stderr.emit('data', Buffer.from('xrecord_start [1024]: XOpenDisplay failure!\n'))
    failed.child.emit('exit', 134)
    await expect(start).rejects.toThrow('XOpenDisplay failure')

    const crashed = fork()
    const hook = new HostKeyHook(crashed.launch)
    const lost: string[] = []
    hook.onLost((reason) => lost.push(reason))
    const running = hook.start()
    crashed.child.emit('message', { type: 'started' })
    await running
    crashed.child.emit('exit', 11)
    expect(lost).toEqual(["the key hook's process ended (exit code 11)"])
    hook.stop() // nothing left to stop: no message to a process that is gone
    expect(crashed.posted).toEqual([])
  })
})
