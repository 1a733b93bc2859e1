// Shows an Electron accelerator the way the keyboard says it ("CommandOrControl+Alt+Space" -> "Ctrl+Alt+Space").
export function acceleratorLabel(accelerator: string, platform: string): string {
  const mac = platform === 'darwin'
  const names: Record<string, string> = {
    commandorcontrol: mac ? '⌘' : 'Ctrl',
    cmdorctrl: mac ? '⌘' : 'Ctrl',
    command: '⌘',
    cmd: '⌘',
    control: 'Ctrl',
    ctrl: 'Ctrl',
    alt: mac ? '⌥' : 'Alt',
    option: '⌥',
    shift: mac ? '⇧' : 'Shift',
    super: mac ? '⌘' : 'Super',
    meta: mac ? '⌘' : 'Super'
  }
  return accelerator
    .split('+')
    .map((part) => names[part.trim().toLowerCase()] ?? part.trim())
    .join(mac ? '' : '+')
}
