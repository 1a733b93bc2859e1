#!/usr/bin/env bash
# Installs the system packages the tests and the app need, only where missing (Debian/Ubuntu).
# sox/arecord record the microphone, pacat/aplay/play speak, PulseAudio gives tests a virtual
# microphone and speaker, espeak-ng makes test speech, chromium and xvfb run the UI tests,
# xdotool sends real key events for the push-to-talk hotkey tests (and pastes dictation),
# fonts-wqy-microhei draws the Chinese text of the UI in the headless browser (without a CJK font it
# shows boxes).
# Context for questions on X11: xwd (x11-apps) captures the screen or a window, xdotool finds the
# focused window and the one under the pointer, xsel/xclip read the PRIMARY selection and the clipboard;
# xterm is the real X application the context tests select text in and capture.
# Dictation: xclip (or xsel) saves and puts back the clipboard, xterm and Chromium are the X
# applications the tests paste into, x11-utils (xprop) tells which window has focus, xbindkeys grabs
# a shortcut the way the app's global shortcut does (so the focused app does not also get it).
set -euo pipefail
want=(sox libsox-fmt-all alsa-utils pulseaudio pulseaudio-utils libasound2-plugins espeak-ng chromium xvfb xauth xdotool fonts-wqy-microhei x11-apps xsel xclip xterm x11-utils xbindkeys)
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "Missing system packages: ${missing[*]}. Install them with your package manager." >&2
  exit 1
fi
sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "system packages: installed ${missing[*]}"
