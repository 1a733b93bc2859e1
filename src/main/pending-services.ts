/**
 * Stand-ins for the services this build does not ship yet. Each action fails with a clear message;
 * the assistant still reports an idle state so the window and the tray work.
 */
import type { UserError } from '../shared/errors'
import type { AssistantService, DoctorService, VoiceService } from './services'

export class NotInstalledError extends Error {
  constructor() {
    super('This part of MiMo Voice is not installed yet.')
    this.name = 'NotInstalledError'
  }
  toUserError(): UserError {
    return { kind: 'internal', message: this.message }
  }
}

const notInstalled = (): never => {
  throw new NotInstalledError()
}

export function createPendingAssistant(): AssistantService {
  return {
    press: notInstalled,
    release: notInstalled,
    toggle: notInstalled,
    ask: notInstalled,
    stop: notInstalled,
    retry: notInstalled,
    newConversation: notInstalled,
    snapshot: () => ({ state: { phase: 'idle' }, turns: [] }),
    on: () => () => {}
  }
}

export function createPendingVoices(): VoiceService {
  return { list: notInstalled, preview: notInstalled }
}

export function createPendingDoctor(): DoctorService {
  return { run: notInstalled, micTest: notInstalled, devices: notInstalled }
}
