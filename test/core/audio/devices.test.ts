import { describe, expect, it } from 'vitest'
import { isAlsaDeviceName, listInputDevices, listOutputDevices, parseAlsaList, parsePactlJson, parsePactlShort, type RunCommand } from '../../../src/core/audio/devices'

const pactlSourcesJson = JSON.stringify([
  { index: 0, name: 'spk.monitor', description: 'Monitor of Speakers', properties: { 'device.class': 'monitor' } },
  { index: 1, name: 'alsa_input.usb-Blue_Yeti-00.analog-stereo', description: 'Yeti Stereo Microphone', properties: { 'device.class': 'sound' } },
  { index: 2, name: 'nameless' }
])

const arecordL = `null
    Discard all samples (playback) or generate zero samples (capture)
default
    Playback/recording through the PulseAudio sound server
sysdefault:CARD=PCH
    HDA Intel PCH, ALC257 Analog
    Default Audio Device
`

describe('device lists', () => {
  it('pactl JSON: microphones first, monitors last, descriptions as labels', () => {
    expect(parsePactlJson(pactlSourcesJson, 'sources')).toEqual([
      { id: 'alsa_input.usb-Blue_Yeti-00.analog-stereo', label: 'Yeti Stereo Microphone' },
      { id: 'nameless', label: 'nameless' },
      { id: 'spk.monitor', label: 'Monitor of Speakers' }
    ])
    expect(parsePactlJson('not json', 'sources')).toBeNull()
  })

  it('pactl short listing and arecord -L', () => {
    expect(parsePactlShort('0\tspk.monitor\tmodule-null-sink.c\ts16le 1ch 24000Hz\tIDLE\n1\tmic\tmodule-alsa-card.c\ts16le 2ch 44100Hz\tRUNNING\n')).toEqual([
      { id: 'mic', label: 'mic' },
      { id: 'spk.monitor', label: 'spk.monitor' }
    ])
    expect(parseAlsaList(arecordL)).toEqual([
      { id: 'default', label: 'Playback/recording through the PulseAudio sound server' },
      { id: 'sysdefault:CARD=PCH', label: 'HDA Intel PCH, ALC257 Analog' }
    ])
  })

  it('asks pactl (JSON, then short), then falls back to ALSA', async () => {
    const calls: string[] = []
    const run =
      (answers: Record<string, { code: number; stdout: string } | null>): RunCommand =>
      async (cmd, args) => {
        const key = [cmd, ...args].join(' ')
        calls.push(key)
        const a = answers[key]
        return a === undefined ? null : a && { ...a, stderr: '' }
      }
    expect(await listInputDevices({ platform: 'linux', env: {}, run: run({ 'pactl -f json list sources': { code: 0, stdout: pactlSourcesJson } }) })).toHaveLength(3)
    calls.length = 0
    const old = await listOutputDevices({
      platform: 'linux',
      env: {},
      run: run({ 'pactl -f json list sinks': { code: 1, stdout: '' }, 'pactl list short sinks': { code: 0, stdout: '0\tspk\tmodule-null-sink.c\ts16le 1ch 24000Hz\tIDLE\n' } })
    })
    expect(old).toEqual([{ id: 'spk', label: 'spk' }])
    calls.length = 0
    const alsa = await listInputDevices({ platform: 'linux', env: {}, run: run({ 'arecord -L': { code: 0, stdout: arecordL } }) })
    expect(calls).toEqual(['pactl -f json list sources', 'pactl list short sources', 'arecord -L'])
    expect(alsa.map((d) => d.id)).toEqual(['default', 'sysdefault:CARD=PCH'])
    expect(await listInputDevices({ platform: 'darwin', env: {}, run: run({}) })).toEqual([])
  })

  it('tells ALSA names from PulseAudio names', () => {
    for (const alsa of ['default', 'pulse', 'hw:0,0', 'plughw:CARD=PCH,DEV=0']) expect(isAlsaDeviceName(alsa)).toBe(true)
    for (const pulse of ['micsink.monitor', 'alsa_input.pci-0000_00_1f.3.analog-stereo']) expect(isAlsaDeviceName(pulse)).toBe(false)
  })
})

describe('echo-cancelled microphones', () => {
  // Captured from `pactl -f json list sources` with module-echo-cancel loaded on the test stack.
  const withEchoCancel = JSON.stringify([
    { name: 'spk.monitor', driver: 'module-null-sink.c', description: 'Monitor of MiMo-test-spk', properties: { 'device.class': 'monitor' } },
    { name: 'ec_mic', driver: 'module-echo-cancel.c', description: 'Monitor of MiMo-test-micsink (echo cancelled with MiMo-test-spk)', properties: { 'device.class': 'filter', 'device.master_device': 'micsink.monitor' } },
    { name: 'ec_spk.monitor', driver: 'module-echo-cancel.c', description: 'Monitor of MiMo-test-spk (echo cancelled)', properties: { 'device.class': 'monitor' } },
    { name: 'echo-cancel-source', driver: 'PipeWire', description: 'Echo-Cancel Source', properties: { 'node.name': 'echo-cancel-source' } },
    { name: 'alsa_input.usb', driver: 'module-alsa-card.c', description: 'USB Microphone', properties: { 'device.class': 'sound' } }
  ])

  it('are marked in the device list (PulseAudio module-echo-cancel, PipeWire echo-cancel); monitors never are', () => {
    const devices = parsePactlJson(withEchoCancel, 'sources')!
    expect(devices.filter((d) => d.echoCancelled).map((d) => d.id)).toEqual(['ec_mic', 'echo-cancel-source'])
    expect(devices.find((d) => d.id === 'alsa_input.usb')).toEqual({ id: 'alsa_input.usb', label: 'USB Microphone' })
    expect(parsePactlShort('3\tec_mic\tmodule-echo-cancel.c\tfloat32le 1ch 32000Hz\tIDLE\n4\tec_spk.monitor\tmodule-echo-cancel.c\ts16le\tIDLE\n')).toEqual([
      { id: 'ec_mic', label: 'ec_mic', echoCancelled: true },
      { id: 'ec_spk.monitor', label: 'ec_spk.monitor' }
    ])
  })
})
