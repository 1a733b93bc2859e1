#!/usr/bin/env bash
# The PulseAudio stack the audio tests and benchmarks run on: a null-sink speaker `spk`
# (24 kHz mono, what the app plays) and a null sink `micsink` (16 kHz mono) whose monitor is the
# default source, i.e. a virtual microphone. Tests speak into `micsink` and listen on `spk.monitor`.
#
#   eval "$(bash scripts/audio-test-stack.sh start)"   # starts (or reuses) it, prints `export` lines
#   bash scripts/audio-test-stack.sh status            # what is running
#   bash scripts/audio-test-stack.sh stop              # stops what `start` started
#
# Only `export` lines go to stdout; every diagnostic goes to stderr.
set -euo pipefail

STATE_DIR="${MIMO_AUDIO_STACK_DIR:-/tmp/mimo-voice-audio-stack}"
SOCKET="$STATE_DIR/native"
RUNTIME="$STATE_DIR/runtime"
SPEAKER=spk
MIC_SINK=micsink
export PULSE_SERVER="unix:$SOCKET"

log() { echo "audio-test-stack: $*" >&2; }
need() { command -v "$1" >/dev/null 2>&1 || { log "$1 is missing (apt-get install pulseaudio pulseaudio-utils)"; exit 1; }; }

# `pactl info` waits 30 s on a daemon that takes the connection but never answers; a live one answers at once.
daemon_up() { timeout 5 pactl info >/dev/null 2>&1; }
alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }
pid_from() { [ -f "$1" ] && cat "$1" || true; }
log_tail() { [ -f "$STATE_DIR/pulseaudio.log" ] && tail -n 25 "$STATE_DIR/pulseaudio.log" | sed 's/^/  pulseaudio.log: /' >&2 || true; }

# Waits up to 2 s for a process to be gone (reaped, not a zombie); fails if it is still there.
gone_within_2s() { # pid
  for _ in $(seq 40); do alive "$1" || return 0; sleep 0.05; done
  return 1
}

# Ends a process of ours: TERM, then KILL if it is still there 2 s later.
end_process() { # pid
  kill "$1" 2>/dev/null || true
  gone_within_2s "$1" && return 0
  log "pid $1 did not end on TERM; killing it"
  kill -9 "$1" 2>/dev/null || true
  gone_within_2s "$1" || true
}

end_reader() { # sink
  local pid
  pid=$(pid_from "$STATE_DIR/reader-$1.pid")
  alive "$pid" && end_process "$pid"
  rm -f "$STATE_DIR/reader-$1.pid"
}

# Our daemon's pid, if that process is still a PulseAudio daemon.
our_daemon_pid() {
  local pid
  pid=$(pid_from "$RUNTIME/pid")
  alive "$pid" && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = pulseaudio ] && echo "$pid" || true
}

start_daemon() {
  mkdir -p "$STATE_DIR" "$RUNTIME"
  # A daemon of ours that is alive but does not answer (hung, or stuck shutting down) keeps the pid
  # file, and the new one would refuse to start: end it first.
  local stale
  stale=$(our_daemon_pid)
  if [ -n "$stale" ]; then
    # A loaded machine can make a live daemon slow: 5 s more before it counts as hung.
    if daemon_up; then
      log "our PulseAudio daemon (pid $stale) answered late; keeping it"
      return 0
    fi
    log "our PulseAudio daemon (pid $stale) is alive but not answering; ending it"
    end_process "$stale"
  fi
  # Readers of an earlier daemon are no use to a new one (and one stuck on a hung daemon looks alive).
  for sink in "$SPEAKER" "$MIC_SINK"; do end_reader "$sink"; done
  # Our own runtime path keeps the pid file and sockets apart from any desktop daemon of this user;
  # -n loads nothing but what we name (no hardware detection, no stream-restore moving our streams);
  # auth-anonymous lets clients with another HOME (tests do that) in without the cookie.
  # Info-level, timed log lines say why a daemon went away (a signal, a shutdown request, a client).
  if env -u DISPLAY PULSE_RUNTIME_PATH="$RUNTIME" pulseaudio --daemonize=yes --exit-idle-time=-1 \
      --system=false -n --use-pid-file=yes --log-target="file:$STATE_DIR/pulseaudio.log" \
      --log-level=info --log-time=yes \
      -L "module-native-protocol-unix socket=$SOCKET auth-anonymous=1" 2>>"$STATE_DIR/pulseaudio.log"; then
    echo own >"$STATE_DIR/daemon"
  else
    # A daemon may already run for this user (a desktop session): lend it our socket instead.
    log "could not start a daemon of our own; attaching to the user's running daemon"
    local module
    module=$(env -u PULSE_SERVER pactl load-module module-native-protocol-unix \
      "socket=$SOCKET" auth-anonymous=1) || { log "no PulseAudio daemon could be started or reached; the end of $STATE_DIR/pulseaudio.log:"; log_tail; exit 1; }
    echo "borrowed $module" >"$STATE_DIR/daemon"
  fi
  for _ in $(seq 100); do daemon_up && return 0; sleep 0.05; done
  log "PulseAudio did not answer on $SOCKET; the end of $STATE_DIR/pulseaudio.log:"
  log_tail
  exit 1
}

ensure_sink() { # name rate
  if ! pactl list short sinks | awk '{print $2}' | grep -qx "$1"; then
    local module
    module=$(pactl load-module module-null-sink "sink_name=$1" "rate=$2" channels=1 \
      "sink_properties=device.description=MiMo-test-$1")
    echo "$module" >>"$STATE_DIR/modules"
    log "loaded null sink $1 ($2 Hz mono)"
  fi
}

source_output_of_pid() { # pid -> "index source-name" of its record stream, if any
  pactl -f json list source-outputs 2>/dev/null | node -e '
let s = ""
process.stdin.on("data", (d) => (s += d)).on("end", () => {
  const out = JSON.parse(s).find((o) => (o.properties || {})["application.process.id"] === process.argv[1])
  if (out) console.log(out.index, out.source)
})
' "$1" 2>/dev/null || true
}

source_index() { pactl list short sources | awk -v n="$1" '$2 == n {print $1}'; }

# A null sink with no low-latency reader renders in 2-second blocks, so each monitor keeps one.
ensure_reader() { # sink rate
  local pidfile="$STATE_DIR/reader-$1.pid" pid
  pid=$(pid_from "$pidfile")
  if ! alive "$pid"; then
    setsid nohup parecord --latency-msec=10 --raw --format=s16le "--rate=$2" --channels=1 \
      -d "$1.monitor" /dev/null </dev/null >>"$STATE_DIR/readers.log" 2>&1 &
    pid=$!
    echo "$pid" >"$pidfile"
    log "low-latency reader on $1.monitor (pid $pid)"
  fi
  # Changing the default source moves running streams in PulseAudio 16: pin the reader.
  if ! pactl -f json list source-outputs >/dev/null 2>&1; then
    log "this pactl has no JSON output; not checking where the reader on $1.monitor landed"
    return 0
  fi
  local want found=""
  want=$(source_index "$1.monitor")
  for _ in $(seq 60); do
    found=$(source_output_of_pid "$pid")
    [ -n "$found" ] && break
    sleep 0.05
  done
  if [ -z "$found" ]; then
    log "reader on $1.monitor did not connect; see $STATE_DIR/readers.log"
    exit 1
  fi
  set -- $found
  [ "$2" = "$want" ] || pactl move-source-output "$1" "$want"
}

cmd_start() {
  need pulseaudio; need pactl; need parecord; need node
  mkdir -p "$STATE_DIR"
  if daemon_up; then log "PulseAudio already answering on $SOCKET"; else start_daemon; fi
  ensure_sink "$SPEAKER" 24000
  ensure_sink "$MIC_SINK" 16000
  pactl set-default-sink "$SPEAKER"
  pactl set-default-source "$MIC_SINK.monitor"
  ensure_reader "$SPEAKER" 24000
  ensure_reader "$MIC_SINK" 16000
  echo "export PULSE_SERVER=$PULSE_SERVER"
  echo "export MIMO_TEST_SPEAKER=$SPEAKER"
  echo "export MIMO_TEST_MIC_SINK=$MIC_SINK"
  echo "export MIMO_TEST_MIC_SOURCE=$MIC_SINK.monitor"
  log "ready: speaker $SPEAKER, microphone $MIC_SINK.monitor, PULSE_SERVER=$PULSE_SERVER"
}

cmd_stop() {
  local pid
  for sink in "$SPEAKER" "$MIC_SINK"; do end_reader "$sink"; done
  local owner
  owner=$(cat "$STATE_DIR/daemon" 2>/dev/null || true)
  case "$owner" in
    own)
      pid=$(our_daemon_pid)
      timeout 5 pactl exit 2>/dev/null || true
      if [ -n "$pid" ] && ! gone_within_2s "$pid"; then end_process "$pid"; fi
      log "stopped our PulseAudio daemon"
      ;;
    borrowed*)
      # Leave the user's daemon running; take back only what we loaded into it.
      if [ -f "$STATE_DIR/modules" ]; then
        while read -r m; do pactl unload-module "$m" 2>/dev/null || true; done <"$STATE_DIR/modules"
      fi
      env -u PULSE_SERVER pactl unload-module "${owner#borrowed }" 2>/dev/null || true
      log "detached from the user's PulseAudio daemon"
      ;;
    *) log "nothing of ours was running" ;;
  esac
  rm -f "$STATE_DIR/daemon" "$STATE_DIR/modules" "$SOCKET"
}

cmd_status() {
  if daemon_up; then
    echo "PulseAudio: answering on $SOCKET ($(cat "$STATE_DIR/daemon" 2>/dev/null || echo 'not started by this script'))"
    echo "sinks:"; pactl list short sinks | sed 's/^/  /'
    echo "default source: $(pactl get-default-source)"
    for sink in "$SPEAKER" "$MIC_SINK"; do
      pid=$(pid_from "$STATE_DIR/reader-$sink.pid")
      if alive "$pid"; then echo "reader on $sink.monitor: pid $pid"; else echo "reader on $sink.monitor: not running"; fi
    done
  else
    echo "PulseAudio: not answering on $SOCKET"
    log_tail
    return 1
  fi
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
