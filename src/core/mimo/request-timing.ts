/**
 * How long one request waited for a connection (a handshake on the spot, or none when a warm one was
 * ready) and how long its body took to go out, read from undici's request callbacks.
 *
 * `uploadMs` ends when the whole body was handed to the connection; the operating system may still
 * be sending the last of it (its socket buffer takes tens of kilobytes at once).
 */
import type { Dispatcher } from 'undici'

export interface RequestTimings {
  connectMs: number
  uploadMs: number
}

type LegacyHandler = {
  onConnect?(abort: (err?: Error) => void, context?: unknown): void
  onRequestSent?(): void
  [method: string]: unknown
}

/** The dispatcher, reporting the request's timings once its body is out. */
export function timedDispatcher(dispatcher: Dispatcher, report: (t: RequestTimings) => void, clock: () => number = () => performance.now()): Dispatcher {
  // Not compose(): its interceptors see the new handler interface, which has no onRequestSent.
  const dispatch = (opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean => {
    const start = clock()
    let connected: number | undefined
    const inner = handler as unknown as LegacyHandler
    // Every other callback goes to the request's own handler unchanged.
    const wrapped = new Proxy(inner, {
      get(target, prop, receiver) {
        if (prop === 'onConnect')
          return (abort: (err?: Error) => void, context?: unknown) => {
            connected = clock()
            return target.onConnect?.(abort, context)
          }
        if (prop === 'onRequestSent')
          return () => {
            const sent = clock()
            const at = connected ?? sent
            report({ connectMs: Math.max(0, at - start), uploadMs: Math.max(0, sent - at) })
            return target.onRequestSent?.()
          }
        const value = Reflect.get(target, prop, receiver) as unknown
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value
      }
    })
    return dispatcher.dispatch(opts, wrapped as unknown as Dispatcher.DispatchHandler)
  }
  return new Proxy(dispatcher, { get: (target, key) => (key === 'dispatch' ? dispatch : Reflect.get(target, key)) })
}
