/**
 * Ctrl+C (SIGINT) and SIGTERM stop the command's work instead of killing the process mid-word: the
 * player is silenced, a recording is discarded, requests are aborted, and the command ends with
 * 128 + the signal's number (130, 143).
 */
export type StopSignal = 'SIGINT' | 'SIGTERM'

const SIGNAL_NUMBERS: Record<StopSignal, number> = { SIGINT: 2, SIGTERM: 15 }

export function exitCodeForSignal(signal: StopSignal): number {
  return 128 + SIGNAL_NUMBERS[signal]
}

/** Calls `stop` on the first SIGINT or SIGTERM; returns the unsubscribe. `received()` says which came. */
export function onStopSignal(stop: (signal: StopSignal) => void): { off: () => void; received: () => StopSignal | undefined } {
  let got: StopSignal | undefined
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((signal) => {
    const handler = (): void => {
      got ??= signal
      stop(signal)
    }
    process.on(signal, handler)
    return [signal, handler] as const
  })
  return {
    off: () => {
      for (const [signal, handler] of handlers) process.off(signal, handler)
    },
    received: () => got
  }
}
