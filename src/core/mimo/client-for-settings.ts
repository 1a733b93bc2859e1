/**
 * A MiMo client that follows the settings: the key is read per request, for the base URL the request goes
 * to (so it is only ever handed out for that origin), and a change of base URL or auth style makes a new
 * client (the old one's keep-alive connections are closed).
 */
import type { Settings } from '../../shared/settings'
import { MimoClient, type RequestOptions } from './client'
import type { ChatCompletion, ChatEvent, ChatRequest } from './types'

export interface ClientForSettingsOptions {
  settings: () => Pick<Settings, 'baseUrl' | 'authStyle'>
  /** The key for a request to this base URL (KeyService.keyFor). */
  apiKey: (baseUrl: string) => string | undefined | Promise<string | undefined>
  make?: (baseUrl: string, auth: Settings['authStyle'], apiKey: () => string | undefined | Promise<string | undefined>) => MimoClient
}

export class ClientForSettings {
  private client: MimoClient | null = null
  private made = ''

  constructor(private readonly o: ClientForSettingsOptions) {}

  private current(): MimoClient {
    const { baseUrl, authStyle } = this.o.settings()
    const id = `${authStyle} ${baseUrl}`
    if (!this.client || id !== this.made) {
      void this.client?.close().catch(() => undefined)
      const make = this.o.make ?? ((url, auth, key) => new MimoClient({ baseUrl: url, auth, apiKey: key }))
      this.client = make(baseUrl, authStyle, () => this.o.apiKey(baseUrl))
      this.made = id
    }
    return this.client
  }

  chat(request: ChatRequest, options?: RequestOptions): AsyncIterable<ChatEvent> {
    return this.current().chat(request, options)
  }

  /** Opens the connections a turn needs and keeps them warm for `holdMs` (see MimoClient.warm). */
  warm(holdMs = 0): Promise<void> {
    return this.current().warm(holdMs)
  }

  cool(): void {
    this.client?.cool()
  }

  complete(request: ChatRequest, options?: { signal?: AbortSignal }): Promise<ChatCompletion> {
    return this.current().complete(request, options)
  }

  async close(): Promise<void> {
    await this.client?.close()
    this.client = null
  }
}
