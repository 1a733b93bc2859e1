/**
 * Enter on a terminal, for the listening commands (chat, dictate): `fn` runs on the first line
 * typed. Only on a terminal: a pipe's or a file's input is not a person pressing Enter.
 */
export function onEnter(stdin: NodeJS.ReadableStream & { isTTY?: boolean }, fn: () => void): () => void {
  if (!stdin.isTTY) return () => {}
  const onData = (d: Buffer | string): void => {
    if (String(d).includes('\n') || String(d).includes('\r')) {
      off()
      fn()
    }
  }
  const off = (): void => {
    stdin.off('data', onData)
    ;(stdin as NodeJS.ReadStream).pause?.()
  }
  stdin.on('data', onData)
  ;(stdin as NodeJS.ReadStream).resume?.()
  return off
}
