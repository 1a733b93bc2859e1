/**
 * Which base URLs the app and the command accept: https anywhere, plain http only to this computer
 * (a local proxy or test server), since the API key travels in a header. Both processes load this.
 */
import { BASE_URL_PRESETS } from './models'

/** localhost, 127.0.0.0/8 and ::1: traffic that never leaves the machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '')
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1') return true
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
}

/** Why a base URL cannot be used, or undefined when it can. */
export function baseUrlProblem(value: string): string | undefined {
  let url: URL
  try {
    url = new URL(value.trim())
  } catch {
    return 'The base URL must be a full https address, such as https://api.xiaomimimo.com/v1'
  }
  if (url.username || url.password) return 'The base URL may not carry a user name or password.'
  if (url.protocol === 'https:') return undefined
  if (url.protocol === 'http:') {
    return isLoopbackHost(url.hostname)
      ? undefined
      : 'The API key would travel unencrypted: use https (plain http only for an address on this computer, such as http://127.0.0.1:8080/v1).'
  }
  return 'The base URL must be a full https address, such as https://api.xiaomimimo.com/v1'
}

/** scheme://host[:port] of a base URL, the unit a key is bound to. */
export function originOf(baseUrl: string): string {
  return new URL(baseUrl.trim()).origin
}

/** The origins of MiMo's own hosts (the presets). A function: the sandboxed preload loads this file and may lack URL. */
export function mimoOrigins(): string[] {
  return BASE_URL_PRESETS.map((p) => originOf(p.url))
}

export function isMimoBaseUrl(baseUrl: string): boolean {
  try {
    return mimoOrigins().includes(originOf(baseUrl))
  } catch {
    return false
  }
}
