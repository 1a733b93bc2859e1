#!/usr/bin/env bash
# Everything the project checks, in the order a failure is cheapest to see:
# system packages, typecheck, lint, build, then every test (unit, real audio stack, UI in Chromium)
# with a virtual X display and a PulseAudio test stack of our own, then the Electron security scan.
set -euo pipefail
cd "$(dirname "$0")/.."
export ELECTRON_SKIP_BINARY_DOWNLOAD=1

bash scripts/install-system-deps.sh
[ -d node_modules ] || npm ci

echo "== typecheck"; npm run --silent typecheck
echo "== lint"; npm run --silent lint
echo "== build"; npm run --silent build:app && npm run --silent build:cli

mkdir -p .tmp artifacts
cleanup() {
  [ -n "${XVFB_PID:-}" ] && kill "$XVFB_PID" 2>/dev/null || true
  [ -f scripts/audio-test-stack.sh ] && bash scripts/audio-test-stack.sh stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

# A virtual display for the hotkey hook and headed browser tests.
if [ -z "${DISPLAY:-}" ]; then
  for n in 99 98 97 96; do
    if [ ! -e "/tmp/.X11-unix/X$n" ]; then
      Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
      XVFB_PID=$!
      export DISPLAY=":$n"
      break
    fi
  done
  for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X${DISPLAY#:}" ] && break; sleep 0.1; done
fi

# The PulseAudio test stack: a null-sink speaker and a virtual microphone.
if [ -f scripts/audio-test-stack.sh ]; then
  eval "$(bash scripts/audio-test-stack.sh start)"
fi

echo "== tests"
set +e
npx vitest run --reporter=default --reporter=json --outputFile=.tmp/vitest.json
status=$?
set -e
node scripts/test-summary.mjs .tmp/vitest.json || status=1
# A test stack that went away during the run says why: `status` prints the end of its daemon's log.
if [ -f scripts/audio-test-stack.sh ] && ! bash scripts/audio-test-stack.sh status >/dev/null; then
  echo "the PulseAudio test stack was not answering at the end of the tests (its log is above)"
fi

if [ -f scripts/security-scan.sh ]; then
  echo "== electron security scan"
  bash scripts/security-scan.sh || status=1
fi
exit $status
