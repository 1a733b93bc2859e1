/**
 * The desktop reached through its own tools (the clipboard tools, xdotool and the like): all the
 * command has, and what the app uses where Electron gives it nothing better.
 */
import { CommandClipboard } from './command-clipboard'
import { commandFocusedWindow, commandKeySenders } from './command-keys'
import type { DictationDesktop } from './text-inserter'

export function commandDesktop(o: { env?: NodeJS.ProcessEnv; platform?: NodeJS.Platform } = {}): DictationDesktop {
  return { clipboard: new CommandClipboard(o), keySenders: () => commandKeySenders(o), focusedWindow: commandFocusedWindow(o) }
}
