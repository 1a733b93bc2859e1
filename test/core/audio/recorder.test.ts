import { describe, expect, it } from 'vitest'
import { RecorderMissingError } from '../../../src/core/audio/errors'
import { Recorder, recorderCandidates } from '../../../src/core/audio/recorder'

describe('Recorder: which program', () => {
  it('prefers sox, then rec, then arecord on Linux; sox/rec on macOS; sox on Windows', () => {
    expect(recorderCandidates('linux')).toEqual(['sox', 'rec', 'arecord'])
    expect(recorderCandidates('darwin')).toEqual(['sox', 'rec'])
    expect(recorderCandidates('win32')).toEqual(['sox'])
  })

  it('takes the first one installed, and looks once', async () => {
    const asked: string[] = []
    const recorder = new Recorder({
      platform: 'linux',
      findProgram: async (name) => {
        asked.push(name)
        return name === 'arecord' ? '/usr/bin/arecord' : null
      }
    })
    expect(await recorder.findRecorder()).toEqual({ program: 'arecord', path: '/usr/bin/arecord' })
    expect(await recorder.findRecorder()).toEqual({ program: 'arecord', path: '/usr/bin/arecord' })
    expect(asked).toEqual(['sox', 'rec', 'arecord'])
  })

  it('a failed look-up is tried again (installing sox while the app runs is enough)', async () => {
    let installed = false
    const recorder = new Recorder({ platform: 'linux', findProgram: async (name) => (installed && name === 'sox' ? '/usr/bin/sox' : null) })
    await expect(recorder.findRecorder()).rejects.toBeInstanceOf(RecorderMissingError)
    installed = true
    expect((await recorder.findRecorder()).program).toBe('sox')
  })

  it('a look-up that throws counts as not installed', async () => {
    const recorder = new Recorder({ platform: 'linux', findProgram: async () => Promise.reject(new Error('EACCES')) })
    await expect(recorder.findRecorder()).rejects.toBeInstanceOf(RecorderMissingError)
  })

  it.each([
    ['linux', ['sox', 'rec', 'arecord'], ['sudo apt install sox', 'sudo dnf install sox']],
    ['darwin', ['sox', 'rec'], ['brew install sox']],
    ['win32', ['sox'], ['SoX for Windows', 'PATH']]
  ] as const)('missing on %s: says what it looked for and how to install it', async (platform, tried, hints) => {
    const err = await new Recorder({ platform, findProgram: async () => null }).findRecorder().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(RecorderMissingError)
    const missing = err as RecorderMissingError
    expect(missing.tried).toEqual(tried)
    for (const hint of hints) expect(missing.installHint).toContain(hint)
    expect(missing.toUserError()).toEqual({ kind: 'audio', code: 'recorder-missing', message: missing.message, hint: missing.installHint })
  })

  it('an explicit program is the only one looked for', async () => {
    const err = await new Recorder({ program: 'arecord', findProgram: async (n) => (n === 'sox' ? '/usr/bin/sox' : null) })
      .findRecorder()
      .catch((e: unknown) => e)
    expect((err as RecorderMissingError).tried).toEqual(['arecord'])
  })
})

describe('Recorder: choosing the input device', () => {
  const env = { PATH: '/usr/bin' }

  it('no device: the environment as given, no device argument', () => {
    const recorder = new Recorder({ env, platform: 'linux' })
    for (const program of ['sox', 'rec', 'arecord'] as const) expect(recorder.launchOptions(program)).toEqual({ env, device: undefined })
  })

  it('a PulseAudio source: PULSE_SOURCE for all, AUDIODEV + AUDIODRIVER=pulseaudio for sox and rec, -D pulse for arecord', () => {
    const recorder = new Recorder({ env, platform: 'linux', device: 'alsa_input.usb-mic.mono' })
    expect(recorder.launchOptions('sox')).toEqual({ env: { ...env, PULSE_SOURCE: 'alsa_input.usb-mic.mono', AUDIODEV: 'alsa_input.usb-mic.mono', AUDIODRIVER: 'pulseaudio' }, device: undefined })
    expect(recorder.launchOptions('rec').env.AUDIODEV).toBe('alsa_input.usb-mic.mono')
    expect(recorder.launchOptions('arecord')).toEqual({ env: { ...env, PULSE_SOURCE: 'alsa_input.usb-mic.mono' }, device: 'pulse' })
  })

  it('an ALSA name: straight to arecord -D, and AUDIODRIVER=alsa for sox', () => {
    const recorder = new Recorder({ env, platform: 'linux', device: 'plughw:CARD=PCH,DEV=0' })
    expect(recorder.launchOptions('arecord')).toEqual({ env, device: 'plughw:CARD=PCH,DEV=0' })
    expect(recorder.launchOptions('sox').env).toEqual({ ...env, AUDIODEV: 'plughw:CARD=PCH,DEV=0', AUDIODRIVER: 'alsa' })
  })

  it('macOS and Windows drivers for sox; an AUDIODRIVER the user set is kept', () => {
    expect(new Recorder({ env, platform: 'darwin', device: 'MacBook Pro Microphone' }).launchOptions('sox').env.AUDIODRIVER).toBe('coreaudio')
    expect(new Recorder({ env, platform: 'win32', device: 'Microphone (USB)' }).launchOptions('sox').env.AUDIODRIVER).toBe('waveaudio')
    expect(new Recorder({ env: { ...env, AUDIODRIVER: 'oss' }, platform: 'linux', device: 'x' }).launchOptions('sox').env.AUDIODRIVER).toBe('oss')
  })

  it('never changes the environment it was given', () => {
    const given = { ...env }
    new Recorder({ env: given, platform: 'linux', device: 'mic' }).launchOptions('sox')
    expect(given).toEqual(env)
  })
})
