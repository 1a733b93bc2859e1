/**
 * The sound devices the platform offers, for the settings' input and output choice. With PulseAudio
 * (or PipeWire's pulse server) these are its sources and sinks (`pactl`); otherwise ALSA's PCM
 * names (`arecord -L`, `aplay -L`). macOS and Windows: the system default only (empty list).
 */
import type { AudioDevice } from '../../shared/audio'
import { toolRunner } from '../desktop-tools'

export interface CommandOutput {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs a short command; null when the program is not installed. */
export type RunCommand = (cmd: string, args: string[], env: NodeJS.ProcessEnv) => Promise<CommandOutput | null>

/** pactl, arecord -L and aplay -L through the one runner of small programs (3 s, 4 MB of output at most). */
export const runCommand: RunCommand = async (cmd, args, env) => {
  const r = await toolRunner(env)(cmd, args, { maxOutputBytes: 4 * 1024 * 1024 })
  return r && { code: r.code, stdout: r.stdout.toString('utf8'), stderr: r.stderr }
}

export interface DeviceListOptions {
  platform?: NodeJS.Platform
  env?: NodeJS.ProcessEnv
  run?: RunCommand
}

export function listInputDevices(o: DeviceListOptions = {}): Promise<AudioDevice[]> {
  return listDevices('sources', 'arecord', o)
}

export function listOutputDevices(o: DeviceListOptions = {}): Promise<AudioDevice[]> {
  return listDevices('sinks', 'aplay', o)
}

async function listDevices(kind: 'sources' | 'sinks', alsaTool: string, o: DeviceListOptions): Promise<AudioDevice[]> {
  const platform = o.platform ?? process.platform
  const env = o.env ?? process.env
  const run = o.run ?? runCommand
  if (platform === 'darwin' || platform === 'win32') return []

  const json = await run('pactl', ['-f', 'json', 'list', kind], env)
  if (json && json.code === 0) {
    const parsed = parsePactlJson(json.stdout, kind)
    if (parsed) return parsed
  }
  const short = await run('pactl', ['list', 'short', kind], env)
  if (short && short.code === 0) return parsePactlShort(short.stdout)

  const alsa = await run(alsaTool, ['-L'], env)
  if (alsa && alsa.code === 0) return parseAlsaList(alsa.stdout)
  return []
}

/** `pactl -f json list sources|sinks` (pactl 16+). Microphones before monitors of outputs. */
export function parsePactlJson(text: string, kind: 'sources' | 'sinks'): AudioDevice[] | null {
  let items: unknown
  try {
    items = JSON.parse(text)
  } catch {
    return null
  }
  if (!Array.isArray(items)) return null
  const devices: Array<AudioDevice & { monitor: boolean }> = []
  for (const item of items) {
    if (typeof item !== 'object' || item === null) continue
    const { name, description, driver, properties } = item as { name?: unknown; description?: unknown; driver?: unknown; properties?: Record<string, unknown> }
    if (typeof name !== 'string') continue
    const monitor = kind === 'sources' && (properties?.['device.class'] === 'monitor' || name.endsWith('.monitor'))
    const echoCancelled = kind === 'sources' && !monitor && isEchoCancelled(name, driver, properties)
    devices.push({ id: name, label: typeof description === 'string' && description ? description : name, monitor, ...(echoCancelled ? { echoCancelled } : {}) })
  }
  devices.sort((a, b) => Number(a.monitor) - Number(b.monitor))
  return devices.map(({ monitor: _monitor, ...device }) => device)
}

/** PulseAudio's module-echo-cancel source, or PipeWire's echo-cancel node (by driver, name or properties). */
function isEchoCancelled(name: string, driver: unknown, properties: Record<string, unknown> | undefined): boolean {
  const echo = /echo[-_ ]?cancel/i
  if (typeof driver === 'string' && echo.test(driver)) return true
  if (echo.test(name)) return true
  return Object.entries(properties ?? {}).some(([k, v]) => (k === 'media.name' || k === 'node.name' || k === 'filter.smart.name') && typeof v === 'string' && echo.test(v))
}

/** `pactl list short sources|sinks`: index, name, driver, spec, state (tab separated). */
export function parsePactlShort(text: string): AudioDevice[] {
  const devices: AudioDevice[] = []
  for (const line of text.split('\n')) {
    const [, raw, driver] = line.split('\t')
    const name = raw?.trim()
    if (name) devices.push({ id: name, label: name, ...(!name.endsWith('.monitor') && /echo-cancel/.test(driver ?? '') ? { echoCancelled: true } : {}) })
  }
  return devices.sort((a, b) => Number(a.id.endsWith('.monitor')) - Number(b.id.endsWith('.monitor')))
}

/** `arecord -L` / `aplay -L`: a name at the line start, its description indented below. */
export function parseAlsaList(text: string): AudioDevice[] {
  const devices: AudioDevice[] = []
  let current: AudioDevice | undefined
  for (const line of text.split('\n')) {
    if (!line.trim()) continue
    if (!/^\s/.test(line)) {
      current = { id: line.trim(), label: line.trim() }
      if (current.id !== 'null') devices.push(current)
    } else if (current && current.label === current.id) {
      current.label = line.trim()
    }
  }
  return devices
}

/** An ALSA PCM name (hw:0, plughw:CARD=PCH, default, pulse) rather than a PulseAudio source or sink. */
export function isAlsaDeviceName(id: string): boolean {
  return id.includes(':') || ['default', 'pulse', 'null', 'sysdefault', 'dmix', 'dsnoop', 'jack', 'oss'].includes(id)
}
