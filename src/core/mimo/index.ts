// The MiMo client, its request builders and its errors, as the rest of the app uses them.
export * from './types'
export * from './errors'
export * from './builders'
export { MimoClient, DEFAULT_RETRY, DEFAULT_TIMEOUTS, parseRetryAfter } from './client'
export type { MimoClientOptions, RequestOptions } from './client'
export { ChatEventAssembler, completionText, completionAudio } from './chat-events'
export { readSseEvents } from './sse'
