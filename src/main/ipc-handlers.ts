import type { AppInfo, Handlers, ModesSnapshot, PublicSettings } from '../shared/ipc'
import { DEFAULT_VOICE, sameVoice, type VoiceRef } from '../shared/voices'
import { InputError } from '../core/settings/input-error'
import type { ContextService } from '../core/context/context-service'
import { ContextError } from '../core/context/errors'
import type { MainServices, ToolsService } from '../core/services'
import { parseMcpServersDocument, type McpServers } from '../shared/tools'

export interface HandlerServices extends MainServices {
  appInfo(): AppInfo
  /** The conversation's and dictation's state, with their shortcuts as registered (default: no shortcuts). */
  modes?(): ModesSnapshot
  /** The page asked for its first data (settings or the conversation): events may flow to it now. */
  pageReady(): void
  /**
   * Asks the user, outside the window (a dialog of the main process), to allow servers that would
   * run a new or changed command or address. A page cannot answer it for the user.
   */
  approveMcpServers?(servers: McpServers, changed: string[]): Promise<boolean>
}

/**
 * Servers whose command, arguments, environment or address differ from what was allowed before,
 * switched off or not (switching a server on later asks nothing, so adding it must).
 */
export function changedServers(before: McpServers, after: McpServers): string[] {
  const launch = (s: McpServers[string] | undefined): string =>
    s ? JSON.stringify([s.command, s.args, s.env, s.cwd, s.url, s.headers]) : ''
  return Object.keys(after).filter((name) => launch(before[name]) !== launch(after[name]))
}

/**
 * One function per IPC channel, over the core services only (no Electron here): the Electron edge binds
 * this map to ipcMain, the browser test host binds the same map to a WebSocket. Payloads arrive validated.
 */
export function createHandlers(s: HandlerServices): Handlers {
  const publicSettings = (): PublicSettings => ({ settings: s.settings.get(), key: s.key.status() })

  const context = (): ContextService => {
    if (!s.context) throw new ContextError('Context for questions is not available here.', 'capture-unavailable')
    return s.context
  }

  const checkVoiceExists = async (ref: VoiceRef): Promise<void> => {
    if (ref.kind === 'builtin') return // the schema already checked the id against the catalogue
    const voice = (await s.voices.list()).find((v) => sameVoice(v.ref, ref))
    if (!voice) throw new InputError('voice', 'No saved voice has this id; it may have been deleted.')
    if (voice.problem) throw new InputError('voice', voice.problem)
  }

  /** A device the window names must be one the system lists (where it lists any): it ends up in a program's arguments. */
  const checkDevices = async (patch: { inputDevice?: string | null; outputDevice?: string | null }): Promise<void> => {
    if (!patch.inputDevice && !patch.outputDevice) return
    const { inputs, outputs } = await s.doctor.devices()
    for (const [field, id, list] of [['inputDevice', patch.inputDevice, inputs], ['outputDevice', patch.outputDevice, outputs]] as const) {
      if (id && list.length > 0 && !list.some((d) => d.id === id)) throw new InputError(field, 'There is no such sound device on this computer.')
    }
  }

  return {
    'app:info': () => s.appInfo(),
    'settings:get': () => {
      s.pageReady()
      return publicSettings()
    },
    'settings:update': async (patch) => {
      if (patch.voice) await checkVoiceExists(patch.voice)
      await checkDevices(patch)
      s.settings.update(patch)
      return publicSettings()
    },
    'key:set': ({ key, storeWithoutKeyring }) => {
      s.key.set(key, { storeWithoutKeyring })
      return publicSettings()
    },
    'key:clear': () => {
      s.key.clear()
      return publicSettings()
    },
    'key:test': () => s.key.test(),
    'assistant:press': () => s.assistant.press(),
    'assistant:release': () => s.assistant.release(),
    'assistant:toggle': () => s.assistant.toggle(),
    'assistant:ask': ({ text }) => s.assistant.ask(text),
    'assistant:stop': () => s.assistant.stop(),
    'assistant:retry': ({ turnId }) => s.assistant.retry(turnId),
    'assistant:new-conversation': () => s.assistant.newConversation(),
    'assistant:snapshot': () => {
      s.pageReady()
      return s.assistant.snapshot()
    },
    'conversation:start': () => s.conversation.start(),
    'conversation:stop': () => s.conversation.stop(),
    'dictation:cancel': () => {
      s.dictation.cancel()
      return s.dictation.state()
    },
    'modes:snapshot': () =>
      s.modes?.() ?? { conversation: s.conversation.state(), dictation: s.dictation.state(), shortcuts: { conversation: null, dictation: null } },
    'voices:list': () => s.voices.list(),
    'voices:select': async (ref) => {
      await checkVoiceExists(ref)
      s.settings.update({ voice: ref })
      return publicSettings()
    },
    'voices:preview': ({ voice, text }) => s.voices.preview(voice, text),
    // One microphone: the recorder takes it from push-to-talk (whose turn ends) or the microphone test.
    'samples:record-start': () => s.voices.samples.start(),
    'samples:record-stop': () => s.voices.samples.stop(),
    'samples:record-cancel': () => {
      s.voices.samples.cancel()
      return null
    },
    // Checked here, in the main process: a file that is not usable audio is refused before anything is sent.
    'samples:import': ({ fileName, bytes }) => s.voices.checkSample(bytes, fileName),
    'samples:preview-draft': ({ draftId, text }) => s.voices.previewDraft(draftId, text),
    'samples:save': ({ draftId, name, consent }) => s.voices.saveDraft(draftId, name, consent),
    'samples:discard': ({ draftId }) => {
      s.voices.discardDraft(draftId)
      return null
    },
    'voices:rename': ({ id, name }) => s.voices.rename(id, name),
    'voices:delete': async ({ id }) => {
      await s.voices.remove(id)
      // The voice in use is gone: fall back to the default (the tray follows the settings change).
      const active = s.settings.get().voice
      if (active.kind !== 'builtin' && active.id === id) s.settings.update({ voice: DEFAULT_VOICE })
      return publicSettings()
    },
    'voices:replace-sample': ({ id, draftId, consent }) => s.voices.replaceSampleWithDraft(id, draftId, consent),
    'voices:design-preview': ({ description, text }) => s.voices.designPreview(description, text),
    'voices:design-save': ({ name, description }) => s.voices.saveDesign(name, description),
    'voices:stop-preview': () => {
      s.voices.stopPreview()
      return null
    },
    'audio:devices': () => s.doctor.devices(),
    'doctor:run': () => s.doctor.run(),
    'mic:test': () => s.doctor.micTest(),
    'context:next': () => context().next(),
    'context:set-next': (patch) => context().setNext(patch),
    // Decoded and re-encoded here, in the main process: bytes that are not an image are refused.
    'context:add-image': ({ fileName, bytes }) => context().addImage(bytes, fileName),
    'context:remove-image': ({ id }) => context().removeImage(id),
    'tools:timers': () => tools().timers(),
    'tools:cancel-timer': ({ id }) => {
      tools().cancelTimer(id)
      return tools().timers()
    },
    'tools:confirmations': () => tools().confirmations(),
    'tools:confirm': ({ callId, allow }) => ({ answered: tools().confirm(callId, allow) }),
    'tools:mcp-status': () => tools().mcpStatus(),
    'tools:mcp-set': async ({ document }) => {
      let servers: McpServers
      try {
        servers = parseMcpServersDocument(document)
      } catch (err) {
        throw new InputError('mcpServers', (err as Error).message)
      }
      return saveServers(servers)
    },
    'tools:mcp-enable': ({ name, enabled }) => {
      const current = s.settings.get().mcpServers
      const server = current[name]
      if (!server) throw new InputError('name', `There is no MCP server called "${name}".`)
      const { disabled: _d, ...rest } = server
      return saveServers({ ...current, [name]: enabled ? rest : { ...rest, disabled: true } })
    },
    ...historyHandlers(s)
  }

  function tools(): ToolsService {
    if (!s.tools) throw new InputError('', 'Tools are not available in this window.')
    return s.tools
  }

  async function saveServers(servers: McpServers): Promise<{ servers: McpServers; status: ReturnType<ToolsService['mcpStatus']> }> {
    if (!s.settings.setMcpServers) throw new InputError('mcpServers', 'MCP servers cannot be changed here.')
    const changed = changedServers(s.settings.get().mcpServers, servers)
    if (changed.length > 0) {
      const allowed = s.approveMcpServers ? await s.approveMcpServers(servers, changed) : false
      if (!allowed) throw new InputError('mcpServers', `Not saved: starting ${changed.map((n) => `"${n}"`).join(', ')} was not allowed.`)
    }
    s.settings.setMcpServers(servers)
    return { servers: s.settings.get().mcpServers, status: tools().mcpStatus() }
  }
}

/** The History view's calls (src/core/conversations). */
function historyHandlers(s: HandlerServices): Pick<Handlers, `history:${string}` & keyof Handlers> {
  const h = s.conversations
  return {
    'history:status': () => h.status(),
    'history:list': ({ before, limit }) => h.list({ before, limit }),
    'history:get': ({ id }) => h.get(id),
    'history:search': ({ text, limit }) => h.search(text, limit),
    'history:rename': ({ id, title }) => h.rename(id, title),
    'history:delete': ({ id }) => {
      h.remove(id)
      return null
    },
    'history:clear': () => {
      h.clear()
      return null
    },
    'history:export': ({ id, format }) => h.exportFile(format, id),
    'history:replay': ({ turnId, part }) => {
      // One speaker: a replay ends an answer being spoken.
      s.assistant.stop()
      return h.replay(turnId, part)
    },
    'history:stop-replay': () => {
      h.stopReplay()
      return null
    },
    'history:continue': ({ id }) => h.continue(id)
  }
}
