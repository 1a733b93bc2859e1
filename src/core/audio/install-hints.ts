/** How to get a recorder or a player onto each platform, said the way the user types it. */

function linuxPackageHint(pkg: string): string {
  return `On Debian or Ubuntu: sudo apt install ${pkg}. On Fedora: sudo dnf install ${pkg}.`
}

const windowsSox =
  'Install SoX for Windows from https://sourceforge.net/projects/sox/ and add its folder (with sox.exe) to PATH, then restart the app.'

/** The recorder programs (sox, rec, arecord) all come with SoX, except arecord (alsa-utils). */
export function recorderInstallHint(platform: NodeJS.Platform): string {
  switch (platform) {
    case 'darwin':
      return 'Install SoX: brew install sox'
    case 'win32':
      return windowsSox
    default:
      return linuxPackageHint('sox')
  }
}

/** The players: pacat (PulseAudio/PipeWire), aplay (ALSA), play (SoX). */
export function playerInstallHint(platform: NodeJS.Platform): string {
  switch (platform) {
    case 'darwin':
      return 'Install SoX, which brings the play command: brew install sox'
    case 'win32':
      return windowsSox
    default:
      return `${linuxPackageHint('pulseaudio-utils')} The package sox works too.`
  }
}
