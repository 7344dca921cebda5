#!/usr/bin/env bash
# release-switch.sh: put a release of a Node app live behind nginx without
# dropping requests. A release is started under PM2 (cluster mode) on the idle
# port of a blue/green pair, gated on its health check, and only then does
# nginx's upstream move to it (nginx -t, graceful reload); the previous release
# is stopped once the nginx workers that still used it have exited and the
# new release has survived a watch window (PM2 restarts and status, GET
# health); if it fails in that window, nginx is pointed back at the previous
# release, which kept running, and the switch exits 6 naming the cause.
#
# The same script runs on an EC2 instance (Amazon Linux 2023, nginx from dnf,
# systemd) and on a developer machine or CI (nginx started with -p/-c, no
# systemd): everything machine-specific is a flag or an RS_* variable.
# Run `release-switch.sh help` for the interface; README.md beside it has more.
set -Eeuo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

usage() {
  cat <<'EOF'
Usage: release-switch.sh COMMAND [options]

Commands:
  deploy ARCHIVE RELEASE_ID  unpack ARCHIVE (.tgz, package.json at its top or
                             under one folder, as `npm pack` makes) as
                             RELEASE_ID and switch to it
  rollback                   switch back to the previous release
  resume                     start the active release if PM2 does not run it
                             (at boot), health-gated
  install-site               render the nginx site file and, if missing, an
                             upstream include (does not reload nginx)
  status                     print the recorded state
  help                       this text

Options (flag, or environment variable; the flag wins):
  --root DIR              RS_ROOT              /opt/webstack
  --name NAME             RS_APP_NAME          app      (PM2 names NAME-PORT)
  --ports A,B             RS_PORTS             3001,3002
  --instances N|max       RS_INSTANCES         max      (PM2 cluster workers)
  --strategy S            RS_STRATEGY          in-place (or all-at-once: dev only, downtime)
  --health-path PATH      RS_HEALTH_PATH       /health
  --health-timeout SEC    RS_HEALTH_TIMEOUT    60
  --health-successes N    RS_HEALTH_SUCCESSES  3        (consecutive 200s needed)
  --drain-timeout SEC     RS_DRAIN_TIMEOUT     60       (max wait for old nginx workers)
  --watch-seconds SEC     RS_WATCH_SECONDS     30       (watch the new release this long
                                                        after the switch, old one running;
                                                        0 = stop the old one at once)
  --keep N                RS_KEEP              3        (release folders kept)
  --app-user USER         RS_APP_USER          none     (runs npm; set it when run as root)
  --switch-log-dir DIR    RS_SWITCH_LOG_DIR    ROOT/switch-logs (this script's and npm's logs)
  --env-file FILE         RS_ENV_FILE          ROOT/shared/app.env (KEY=VALUE lines, if present)
  --env-command CMD       RS_ENV_COMMAND       none     (prints KEY=VALUE lines, e.g. ssm-env.sh)
  --nginx CMD             RS_NGINX             nginx    (e.g. "nginx -p DIR -c DIR/nginx.conf")
  --nginx-pid-file FILE   RS_NGINX_PID_FILE    /run/nginx.pid
  --upstream-file FILE    RS_UPSTREAM_FILE     /etc/nginx/webstack/upstream.conf
  --upstream-name NAME    RS_UPSTREAM_NAME     webstack_app
  --site-file FILE        RS_SITE_FILE         /etc/nginx/conf.d/webstack.conf
  --listen ADDR           RS_LISTEN            80       (nginx listen, install-site)
  --client-keepalive SEC  RS_CLIENT_KEEPALIVE  0        (nginx keepalive_timeout, install-site)
  --pm2 CMD               RS_PM2               pm2      (PM2_HOME is passed through)
  --kill-timeout MS       RS_KILL_TIMEOUT_MS   5000     (PM2 SIGINT -> SIGKILL delay)

Exit codes: 0 done, 1 failed, 2 usage, 3 health check failed, 4 nginx
rejected or did not apply the switch, 5 another run holds the lock, 6 the
new release failed during the watch window and nginx was switched back.
EOF
}

log() { printf '[release-switch] %s\n' "$*"; }
warn() { printf '[release-switch] warning: %s\n' "$*" >&2; }
die() {
  printf '[release-switch] error: %s\n' "$1" >&2
  exit "${2:-1}"
}
# set -e stops on unexpected failures; say where, since the command may be
# quiet, and exit at once so enclosing functions do not report it again.
on_error() {
  printf '[release-switch] error: unexpected failure at line %s (exit %s)\n' "$1" "$2" >&2
  exit 1
}
trap 'on_error "$LINENO" "$?"' ERR

# --- options ----------------------------------------------------------------

ROOT=${RS_ROOT:-/opt/webstack}
APP_NAME=${RS_APP_NAME:-app}
PORTS=${RS_PORTS:-3001,3002}
INSTANCES=${RS_INSTANCES:-max}
STRATEGY=${RS_STRATEGY:-in-place}
HEALTH_PATH=${RS_HEALTH_PATH:-/health}
HEALTH_TIMEOUT=${RS_HEALTH_TIMEOUT:-60}
HEALTH_SUCCESSES=${RS_HEALTH_SUCCESSES:-3}
DRAIN_TIMEOUT=${RS_DRAIN_TIMEOUT:-60}
WATCH_SECONDS=${RS_WATCH_SECONDS:-30}
KEEP=${RS_KEEP:-3}
APP_USER=${RS_APP_USER:-}
SWITCH_LOG_DIR=${RS_SWITCH_LOG_DIR:-}
ENV_FILE=${RS_ENV_FILE:-}
ENV_COMMAND=${RS_ENV_COMMAND:-}
NGINX_CMD=${RS_NGINX:-nginx}
NGINX_PID_FILE=${RS_NGINX_PID_FILE:-/run/nginx.pid}
UPSTREAM_FILE=${RS_UPSTREAM_FILE:-/etc/nginx/webstack/upstream.conf}
UPSTREAM_NAME=${RS_UPSTREAM_NAME:-webstack_app}
SITE_FILE=${RS_SITE_FILE:-/etc/nginx/conf.d/webstack.conf}
SITE_TEMPLATE=${RS_SITE_TEMPLATE:-$SCRIPT_DIR/nginx-site.conf.template}
LISTEN=${RS_LISTEN:-80}
CLIENT_KEEPALIVE=${RS_CLIENT_KEEPALIVE:-0}
PM2_CMD=${RS_PM2:-pm2}
KILL_TIMEOUT_MS=${RS_KILL_TIMEOUT_MS:-5000}
# Idle nginx->app connections kept per nginx worker; reusing them spares a
# TCP handshake per request on the loopback hop.
UPSTREAM_KEEPALIVE=${RS_UPSTREAM_KEEPALIVE:-256}

ARGS=()
while (($#)); do
  case $1 in
    -h | --help) usage; exit 0 ;;
    --root) ROOT=${2:?--root needs a value}; shift ;;
    --name) APP_NAME=${2:?--name needs a value}; shift ;;
    --ports) PORTS=${2:?--ports needs a value}; shift ;;
    --instances) INSTANCES=${2:?--instances needs a value}; shift ;;
    --strategy) STRATEGY=${2:?--strategy needs a value}; shift ;;
    --health-path) HEALTH_PATH=${2:?--health-path needs a value}; shift ;;
    --health-timeout) HEALTH_TIMEOUT=${2:?--health-timeout needs a value}; shift ;;
    --health-successes) HEALTH_SUCCESSES=${2:?--health-successes needs a value}; shift ;;
    --drain-timeout) DRAIN_TIMEOUT=${2:?--drain-timeout needs a value}; shift ;;
    --watch-seconds) WATCH_SECONDS=${2:?--watch-seconds needs a value}; shift ;;
    --keep) KEEP=${2:?--keep needs a value}; shift ;;
    --app-user) APP_USER=${2:?--app-user needs a value}; shift ;;
    --switch-log-dir) SWITCH_LOG_DIR=${2:?--switch-log-dir needs a value}; shift ;;
    --env-file) ENV_FILE=${2:?--env-file needs a value}; shift ;;
    --env-command) ENV_COMMAND=${2:?--env-command needs a value}; shift ;;
    --nginx) NGINX_CMD=${2:?--nginx needs a value}; shift ;;
    --nginx-pid-file) NGINX_PID_FILE=${2:?--nginx-pid-file needs a value}; shift ;;
    --upstream-file) UPSTREAM_FILE=${2:?--upstream-file needs a value}; shift ;;
    --upstream-name) UPSTREAM_NAME=${2:?--upstream-name needs a value}; shift ;;
    --site-file) SITE_FILE=${2:?--site-file needs a value}; shift ;;
    --listen) LISTEN=${2:?--listen needs a value}; shift ;;
    --client-keepalive) CLIENT_KEEPALIVE=${2:?--client-keepalive needs a value}; shift ;;
    --pm2) PM2_CMD=${2:?--pm2 needs a value}; shift ;;
    --kill-timeout) KILL_TIMEOUT_MS=${2:?--kill-timeout needs a value}; shift ;;
    --) shift; ARGS+=("$@"); break ;;
    -*) die "unknown option $1 (see: release-switch.sh help)" 2 ;;
    *) ARGS+=("$1") ;;
  esac
  shift
done

ENV_FILE=${ENV_FILE:-$ROOT/shared/app.env}
RELEASES_DIR=$ROOT/releases
# The app's own logs, written by PM2 (as the app user on an instance): the app
# user may own this folder, so this script never writes into it.
LOG_DIR=$ROOT/logs
# This script's logs (PM2 CLI output, npm output): a folder only the user
# running the script writes to, so no link planted by the app is followed.
SWITCH_LOG_DIR=${SWITCH_LOG_DIR:-$ROOT/switch-logs}
STATE_DIR=$ROOT/state
STATE_FILE=$STATE_DIR/release.state
PM2_LOG=$SWITCH_LOG_DIR/pm2-cli.log
# Commands given as strings are split on blanks: paths in them must not
# contain spaces.
read -r -a NGINX <<<"$NGINX_CMD"
read -r -a PM2 <<<"$PM2_CMD"
IFS=, read -r PORT_A PORT_B <<<"$PORTS"

validate_options() {
  local n
  for n in "$PORT_A" "$PORT_B" "$HEALTH_TIMEOUT" "$HEALTH_SUCCESSES" "$DRAIN_TIMEOUT" "$WATCH_SECONDS" "$KEEP" "$CLIENT_KEEPALIVE" "$KILL_TIMEOUT_MS"; do
    [[ $n =~ ^[0-9]+$ ]] || die "expected a whole number, got '$n' (check --ports, timeouts, --keep)" 2
  done
  [[ $PORT_A != "$PORT_B" ]] || die "--ports needs two different ports, got $PORTS" 2
  [[ $INSTANCES == max || $INSTANCES =~ ^[1-9][0-9]*$ ]] || die "--instances must be a positive number or max, got '$INSTANCES'" 2
  [[ $STRATEGY == in-place || $STRATEGY == all-at-once ]] || die "--strategy must be in-place or all-at-once, got '$STRATEGY'" 2
  [[ $APP_NAME =~ ^[A-Za-z0-9._-]+$ ]] || die "--name may only use letters, digits, . _ -, got '$APP_NAME'" 2
  [[ $UPSTREAM_NAME =~ ^[A-Za-z0-9_]+$ ]] || die "--upstream-name may only use letters, digits, _, got '$UPSTREAM_NAME'" 2
  [[ $HEALTH_PATH == /* ]] || die "--health-path must start with /, got '$HEALTH_PATH'" 2
  ((KEEP >= 2)) || die "--keep must be at least 2 (the active and the previous release), got $KEEP" 2
  if [[ -n $APP_USER ]]; then
    id -u "$APP_USER" >/dev/null 2>&1 || die "--app-user $APP_USER is not a user on this machine" 2
    [[ $(id -u) == 0 || $(id -un) == "$APP_USER" ]] || die "--app-user $APP_USER needs this script to run as root (or as $APP_USER)" 2
  fi
}

# --- state ------------------------------------------------------------------

ACTIVE_RELEASE='' ACTIVE_PORT='' PREVIOUS_RELEASE=''
# Set while a switch is in its watch window: the previous release still runs
# on FALLBACK_PORT, and FALLBACK_PREVIOUS is the previous_release to restore
# if nginx goes back to it. A run killed in the window leaves them in the
# state file, so `resume` can finish the watch. FALLBACK_WATCH_SECONDS is
# that switch's own window: a run that resumes the watch keeps it, whatever
# its own settings say (a deploy with the watch turned off must not wave
# through a release that was never watched).
FALLBACK_PORT='' FALLBACK_PREVIOUS='' FALLBACK_WATCH_SECONDS=''

read_state() {
  local key value
  ACTIVE_RELEASE='' ACTIVE_PORT='' PREVIOUS_RELEASE='' FALLBACK_PORT='' FALLBACK_PREVIOUS='' FALLBACK_WATCH_SECONDS=''
  [[ -f $STATE_FILE ]] || return 0
  while IFS='=' read -r key value; do
    case $key in
      active_release) ACTIVE_RELEASE=$value ;;
      active_port) ACTIVE_PORT=$value ;;
      previous_release) PREVIOUS_RELEASE=$value ;;
      watch_fallback_port) FALLBACK_PORT=$value ;;
      watch_fallback_previous) FALLBACK_PREVIOUS=$value ;;
      watch_seconds) if [[ $value =~ ^[0-9]+$ ]]; then FALLBACK_WATCH_SECONDS=$value; fi ;;
    esac
  done <"$STATE_FILE"
}

# Written to a temporary file then renamed, so a reader never sees half a
# file; `current` follows. With a fallback port the switch is in its watch
# window (see FALLBACK_PORT).
write_state() { # release port previous [fallback-port fallback-previous]
  local tmp=$STATE_FILE.tmp.$$ link=$ROOT/current.tmp.$$
  {
    printf 'active_release=%s\nactive_port=%s\nprevious_release=%s\nswitched_at=%s\n' \
      "$1" "$2" "$3" "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    if [[ -n ${4:-} ]]; then
      printf 'watch_fallback_port=%s\nwatch_fallback_previous=%s\nwatch_seconds=%s\n' "$4" "${5:-}" "$WATCH_SECONDS"
    fi
  } >"$tmp"
  mv -f "$tmp" "$STATE_FILE"
  # A new link renamed over the old one: `current` never disappears.
  ln -sfn "releases/$1" "$link"
  mv -Tf "$link" "$ROOT/current"
  ACTIVE_RELEASE=$1 ACTIVE_PORT=$2 PREVIOUS_RELEASE=$3 FALLBACK_PORT=${4:-} FALLBACK_PREVIOUS=${5:-}
  FALLBACK_WATCH_SECONDS=${4:+$WATCH_SECONDS}
}

# Fails with the folder, the reason and the fix instead of a bare "unexpected
# failure" from the first mktemp or mv that hits it (a read-only file system,
# a folder owned by someone else).
require_writable() { # dir what
  local err probe
  if err=$(mkdir -p "$1" 2>&1) && probe=$(mktemp -d "$1/.write-test.XXXXXX" 2>&1); then
    rmdir "$probe"
    return 0
  fi
  err=${probe:-$err}
  die "the $2 $1 is not writable by $(id -un) (${err##*: }); nothing was changed. Fix: if its file system is mounted read-only (a full or failing disk can cause that), remount it read-write (mount -o remount,rw) or free the disk; otherwise give $(id -un) write access to $1, or choose another --root"
}

prepare_dirs() {
  # The state file, the lock and the `current` link live here.
  require_writable "$ROOT" "root folder"
  require_writable "$STATE_DIR" "state folder"
  mkdir -p "$RELEASES_DIR" "$LOG_DIR" "$STATE_DIR"
  # 0750 and owned by whoever runs the switch; -d on an existing folder only
  # sets its mode. A link in its place would be followed: refuse it.
  [[ ! -L $SWITCH_LOG_DIR ]] || die "$SWITCH_LOG_DIR is a symbolic link; it must be a folder"
  install -d -m 750 "$SWITCH_LOG_DIR"
}

# One switch at a time: two overlapping runs would both pick the same idle port.
take_lock() {
  exec 9>"$STATE_DIR/lock"
  flock -n 9 || die "another release-switch run holds $STATE_DIR/lock" 5
}

idle_port() {
  if [[ $ACTIVE_PORT == "$PORT_A" ]]; then echo "$PORT_B"; else echo "$PORT_A"; fi
}

now_ms() { date +%s%3N; }

# --- app settings -----------------------------------------------------------
# Settings are KEY=VALUE lines from the env file and the env command. They are
# held in shell arrays and exported only into the PM2 start below: never
# printed, never passed on a command line (visible in ps), never written to
# disk by this script.

SETTING_KEYS=() SETTING_VALUES=()

# The env file is written by people: a value wrapped in matching quotes loses
# them (dotenv style). The env command is a program: its values are taken
# byte-for-byte, quotes included (webstack's app-env.sh prints them as given).
parse_settings() { # text source-label strip-quotes(yes|no)
  local text=$1 source=$2 strip=$3 line key value n=0
  local skip='^[[:space:]]*(#.*)?$' name='^[A-Za-z_][A-Za-z0-9_]*$'
  while [[ -n $text ]]; do
    line=${text%%$'\n'*}
    if [[ $text == *$'\n'* ]]; then text=${text#*$'\n'}; else text=''; fi
    n=$((n + 1))
    [[ $strip == yes ]] && line=${line%$'\r'}
    [[ $line =~ $skip ]] && continue
    line=${line#export }
    key=${line%%=*}
    if [[ $line != *=* || ! $key =~ $name ]]; then
      warn "$source line $n is not KEY=VALUE; ignored"
      continue
    fi
    value=${line#*=}
    if [[ $strip == yes && ${#value} -ge 2 && ( ($value == \"*\") || ($value == \'*\') ) ]]; then
      value=${value:1:${#value}-2}
    fi
    SETTING_KEYS+=("$key")
    SETTING_VALUES+=("$value")
  done
}

# Resolved before anything is stopped, so a failing secrets fetch changes nothing.
load_settings() {
  local out before
  if [[ -f $ENV_FILE ]]; then
    before=${#SETTING_KEYS[@]}
    parse_settings "$(<"$ENV_FILE")" "$ENV_FILE" yes
    log "app settings: $((${#SETTING_KEYS[@]} - before)) from $ENV_FILE"
  fi
  if [[ -n $ENV_COMMAND ]]; then
    out=$(bash -c "$ENV_COMMAND") || die "the env command failed (exit $?); nothing was changed"
    before=${#SETTING_KEYS[@]}
    parse_settings "$out" "env command output" no
    log "app settings: $((${#SETTING_KEYS[@]} - before)) from the env command"
  fi
}

# PM2 copies the environment of the command that starts an app into the app;
# start it from a scrubbed one so only the settings and what PM2 itself needs
# reach it. npm's install scripts get the same, plus npm's own npm_config_*.
scrub_env() { # [keep-npm-config]
  local var
  export HOME="${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}"
  while IFS= read -r var; do
    case $var in
      PATH | HOME | PM2_HOME | LANG | LC_ALL | TZ | USER | LOGNAME) ;;
      npm_config_*) [[ ${1:-} == keep-npm-config ]] || unset "$var" ;;
      *) unset "$var" 2>/dev/null || true ;;
    esac
  done < <(compgen -e)
}

# --- PM2 --------------------------------------------------------------------

proc_name() { echo "$APP_NAME-$1"; }
out_log() { echo "$LOG_DIR/$1.$2.out.log"; }
err_log() { echo "$LOG_DIR/$1.$2.err.log"; }

# PM2's own chatter goes to a log file; this script prints progress lines.
pm2_quiet() { (scrub_env && exec "${PM2[@]}" "$@") >>"$PM2_LOG" 2>&1; }

# One line describing a PM2 app for messages: status, workers, restarts.
pm2_describe() { # name
  local json
  # The list holds every app's environment, settings included: it goes to node
  # on stdin (printf is a builtin), never as an argument.
  json=$(scrub_env && exec "${PM2[@]}" jlist 2>/dev/null) || {
    echo "unknown (pm2 jlist failed)"
    return 0
  }
  printf '%s' "$json" | node -e '
    const raw = require("fs").readFileSync(0, "utf8");
    let list = [];
    try { list = JSON.parse(raw.slice(raw.indexOf("["))); } catch {}
    const procs = list.filter((p) => p.name === process.argv[1]);
    if (procs.length === 0) {
      console.log("not running");
    } else {
      const status = [...new Set(procs.map((p) => p.pm2_env.status))].join("/");
      const restarts = procs.reduce((n, p) => n + (p.pm2_env.restart_time || 0), 0);
      console.log("status " + status + ", " + procs.length + " worker(s), " + restarts + " restart(s)");
    }
  ' "$1"
}

# "STATUS RESTARTS WORKERS" of a PM2 app, for the watch: STATUS is every
# worker's status joined with /, "none" when PM2 runs no such app, "unknown"
# when `pm2 jlist` failed.
pm2_probe() { # name
  local json
  json=$(scrub_env && exec "${PM2[@]}" jlist 2>/dev/null) || {
    echo "unknown 0 0"
    return 0
  }
  printf '%s' "$json" | node -e '
    const raw = require("fs").readFileSync(0, "utf8");
    let list = [];
    try { list = JSON.parse(raw.slice(raw.indexOf("["))); } catch { console.log("unknown 0 0"); process.exit(0); }
    const procs = list.filter((p) => p.name === process.argv[1]);
    const status = procs.length ? [...new Set(procs.map((p) => p.pm2_env.status))].join("/") : "none";
    const restarts = procs.reduce((n, p) => n + (p.pm2_env.restart_time || 0), 0);
    console.log(status + " " + restarts + " " + procs.length);
  ' "$1"
}

stop_port() { # port: deletes the PM2 app on it; SIGINT lets in-flight requests finish
  pm2_quiet delete "$(proc_name "$1")" || true
}

entry_script() { # release dir: PM2 cluster mode needs a JS entry, so package.json "main"
  node -p 'require(process.argv[1]).main || "index.js"' "$1/package.json"
}

start_release() { # release port
  local id=$1 port=$2 dir=$RELEASES_DIR/$1 script i
  script=$(entry_script "$dir") || die "cannot read $dir/package.json"
  [[ -f $dir/$script ]] || die "release $id has no entry file $script (package.json main)"
  stop_port "$port"
  # Something else on the port would answer the health check in our place.
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    die "port $port is in use by a process that is not $(proc_name "$port") under this PM2; free it or change --ports"
  fi
  log "starting $id on :$port (pm2 cluster, instances=$INSTANCES)"
  (
    scrub_env
    for i in "${!SETTING_KEYS[@]}"; do export "${SETTING_KEYS[$i]}=${SETTING_VALUES[$i]}"; done
    export NODE_ENV="${NODE_ENV:-production}" PORT="$port" APP_VERSION="$id"
    exec "${PM2[@]}" start "$dir/$script" --name "$(proc_name "$port")" --cwd "$dir" \
      -i "$INSTANCES" --merge-logs --time --kill-timeout "$KILL_TIMEOUT_MS" \
      --output "$(out_log "$id" "$port")" --error "$(err_log "$id" "$port")"
  ) >>"$PM2_LOG" 2>&1 || {
    stop_port "$port"
    die "pm2 could not start $id on :$port (see $PM2_LOG)"
  }
}

# --- health gate --------------------------------------------------------------

HEALTH_LAST=''

health_gate() { # port: 0 once HEALTH_SUCCESSES consecutive 200s arrive in time
  local url="http://127.0.0.1:$1$HEALTH_PATH" deadline ok=0 code err
  deadline=$((SECONDS + HEALTH_TIMEOUT))
  HEALTH_LAST='no answer yet'
  log "health check: GET $url, $HEALTH_SUCCESSES x 200 within ${HEALTH_TIMEOUT}s"
  while ((SECONDS < deadline)); do
    # -w prints the status (000 when there was none) after curl's own error.
    err=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 2 "$url" 2>&1) && code=$err || code=''
    if [[ $code == 200 ]]; then
      ok=$((ok + 1))
      ((ok >= HEALTH_SUCCESSES)) && return 0
      sleep 0.2
      continue
    fi
    ok=0
    if [[ -n $code ]]; then HEALTH_LAST="HTTP $code"; else HEALTH_LAST=${err%$'\n'000}; fi
    sleep 0.5
  done
  return 1
}

# --- nginx --------------------------------------------------------------------

nginx_workers() { # pids of the nginx master's children, space separated
  local master
  master=$(cat "$NGINX_PID_FILE" 2>/dev/null) || return 0
  [[ $master =~ ^[0-9]+$ ]] || return 0
  ps -o pid= --ppid "$master" 2>/dev/null | tr -s ' \n' ' ' || true
}

# With a backup port (the previous release, during the watch window) nginx
# sends a request there only when the active release fails it with a
# connection error or timeout, and only for idempotent methods (the site's
# proxy_next_upstream): a crash of the new release then costs GETs nothing.
# nginx docs, ngx_http_upstream_module "server ... backup": "will be passed
# requests when the primary servers are unavailable"; max_fails=0 keeps the
# primary first for every request instead of marking it down for a while.
# The retry onto it is proxy_next_upstream's, so it needs the template's
# proxy_next_upstream_tries above 1 (it is 3); the faults test proves it.
write_upstream() { # port [backup-port]
  local tmp=$UPSTREAM_FILE.tmp.$$ backup=''
  [[ -n ${2:-} ]] && backup="
    server 127.0.0.1:$2 backup;"
  mkdir -p "$(dirname "$UPSTREAM_FILE")"
  cat >"$tmp" <<EOF
# Written by release-switch.sh; the next deploy or rollback rewrites it.
# The active release is recorded in $STATE_FILE.
upstream $UPSTREAM_NAME {
    server 127.0.0.1:$1 max_fails=0;$backup
    keepalive $UPSTREAM_KEEPALIVE;
}
EOF
  mv -f "$tmp" "$UPSTREAM_FILE"
}

upstream_port() { # port the upstream file points at, empty if none
  sed -n '/ backup;/d; s/^[[:space:]]*server 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$UPSTREAM_FILE" 2>/dev/null | head -n 1
}

upstream_backup_port() { # the backup port in the upstream file, empty if none
  sed -n 's/^[[:space:]]*server 127\.0\.0\.1:\([0-9]*\) backup;.*/\1/p' "$UPSTREAM_FILE" 2>/dev/null | head -n 1
}

# A graceful reload starts new workers with the new upstream and asks the old
# ones to finish their requests and exit. The previous release must keep
# running until they have, so wait for exactly that: the workers seen before
# the reload are gone and new ones are up.
wait_for_reload() { # "old worker pids"
  local old=" $1 " deadline pid fresh still t0
  t0=$(now_ms)
  if [[ -z ${1// /} ]]; then
    warn "no nginx workers visible via $NGINX_PID_FILE; waiting 5s instead of watching them exit"
    sleep 5
    RELOAD_APPLIED_MS=$(now_ms)
    return 0
  fi
  deadline=$((SECONDS + DRAIN_TIMEOUT))
  while ((SECONDS < deadline)); do
    fresh=0 still=0
    for pid in $(nginx_workers); do
      if [[ $old == *" $pid "* ]]; then still=1; else fresh=1; fi
    done
    if ((fresh)) && [[ -z $RELOAD_APPLIED_MS ]]; then RELOAD_APPLIED_MS=$(now_ms); fi
    if ((fresh && !still)); then
      log "nginx reloaded; old workers drained in $(($(now_ms) - t0))ms"
      return 0
    fi
    sleep 0.1
  done
  ((fresh)) || return 1
  warn "old nginx workers still busy after ${DRAIN_TIMEOUT}s (long requests?); continuing"
}

restore_upstream() { # previous content ('' = there was no file)
  if [[ -n $1 ]]; then printf '%s\n' "$1" >"$UPSTREAM_FILE"; else rm -f "$UPSTREAM_FILE"; fi
}

NGINX_FAILURE=''
# When the last switch_nginx's new workers were up (ms): from then on new
# requests go to the new upstream; the old workers only finish theirs.
RELOAD_APPLIED_MS=''

# Points nginx at PORT. On failure the upstream file is put back, nginx's own
# output goes to stderr and NGINX_FAILURE says which step failed.
switch_nginx() { # port [backup-port]
  local port=$1 backup=${2:-} previous='' old_workers
  if [[ -f $UPSTREAM_FILE ]]; then previous=$(<"$UPSTREAM_FILE"); fi
  log "switching nginx upstream to :$port${backup:+ (backup :$backup)} ($UPSTREAM_FILE)"
  RELOAD_APPLIED_MS=''
  write_upstream "$port" "$backup" || {
    NGINX_FAILURE="cannot write $UPSTREAM_FILE"
    return 1
  }
  if ! "${NGINX[@]}" -t -q >&2; then
    restore_upstream "$previous"
    NGINX_FAILURE="nginx -t rejected the configuration (output above); upstream file restored"
    return 1
  fi
  old_workers=$(nginx_workers)
  if ! "${NGINX[@]}" -s reload >&2; then
    restore_upstream "$previous"
    NGINX_FAILURE="nginx -s reload failed (is nginx running? pid file $NGINX_PID_FILE); upstream file restored"
    return 1
  fi
  if ! wait_for_reload "$old_workers"; then
    restore_upstream "$previous"
    "${NGINX[@]}" -s reload >&2 || true
    NGINX_FAILURE="nginx started no new workers within ${DRAIN_TIMEOUT}s of the reload (see its error log); upstream file restored"
    return 1
  fi
}

# --- releases -----------------------------------------------------------------

install_dependencies() { # dir id
  local dir=$1 count
  if [[ -d $dir/node_modules ]]; then
    log "dependencies: shipped in the archive"
    return 0
  fi
  count=$(node -p 'Object.keys(require(process.argv[1]).dependencies || {}).length' "$dir/package.json") ||
    die "cannot read $dir/package.json"
  if ((count == 0)); then
    log "dependencies: none, skipping npm"
    return 0
  fi
  local npm_log=$SWITCH_LOG_DIR/npm.$2.log npm=(npm) verb=install
  [[ -f $dir/package-lock.json ]] && verb=ci
  # Install scripts are code from the archive's dependencies: they run as the
  # app user, never as root. The tree is the app user's while npm writes it,
  # then root's again (chown -R -h changes links, never what they point at),
  # so the app cannot change its own code once it runs.
  if [[ -n $APP_USER && $(id -u) == 0 ]]; then
    chown -R -h "$APP_USER:" "$dir"
    npm=(runuser -u "$APP_USER" -- npm)
  fi
  log "dependencies: installing $count with npm $verb${APP_USER:+ as $APP_USER} (log $npm_log)"
  (cd "$dir" && scrub_env keep-npm-config && exec "${npm[@]}" "$verb" --omit=dev --no-audit --no-fund) >"$npm_log" 2>&1 ||
    die "npm could not install the dependencies of $2 (see $npm_log)"
  if [[ -n $APP_USER && $(id -u) == 0 ]]; then chown -R -h root: "$dir"; fi
}

unpack_release() { # archive id
  local archive=$1 id=$2 dest=$RELEASES_DIR/$2 tmp src entries
  [[ -f $archive ]] || die "archive not found: $archive" 2
  # Left by a run that died while unpacking; we hold the lock, so none is live.
  rm -rf "$RELEASES_DIR"/.incoming.*
  tmp=$(mktemp -d "$RELEASES_DIR/.incoming.XXXXXX")
  # mktemp makes it 0700; the app user (npm) must be able to pass through.
  chmod 755 "$tmp"
  tar -xzf "$archive" -C "$tmp" --no-same-owner || {
    rm -rf "$tmp"
    die "cannot unpack $archive"
  }
  src=$tmp
  if [[ ! -f $src/package.json ]]; then
    entries=("$tmp"/*)
    [[ ${#entries[@]} -eq 1 && -f ${entries[0]}/package.json ]] || {
      rm -rf "$tmp"
      die "$archive has no package.json at its top or under a single folder"
    }
    src=${entries[0]}
  fi
  install_dependencies "$src" "$id"
  # Nothing in the release is writable by the app user or others, whatever
  # modes the archive carried (-R does not follow links).
  chmod -R go-w "$src"
  chmod 755 "$src"
  rm -rf "$dest"
  mv "$src" "$dest"
  rm -rf "$tmp"
  log "unpacked $id into $dest"
}

# Keeps the KEEP most recently deployed folders, and always the active and
# previous ones (rollback needs the latter).
prune_releases() {
  local id kept=0
  while read -r id; do
    if [[ $id == "$ACTIVE_RELEASE" || $id == "$PREVIOUS_RELEASE" ]] || ((kept < KEEP)); then
      kept=$((kept + 1))
      continue
    fi
    rm -rf "${RELEASES_DIR:?}/$id"
    log "removed old release $id"
  done < <(find "$RELEASES_DIR" -mindepth 1 -maxdepth 1 -type d ! -name '.*' -printf '%T@ %f\n' | sort -rn | cut -d' ' -f2-)
}

HEALTH_FAILURE=''

# Stops a candidate that failed its health gate and sets HEALTH_FAILURE to
# what failed, the last answer, what PM2 saw and where the logs are.
reject_candidate() { # id port
  local detail
  detail=$(pm2_describe "$(proc_name "$2")")
  stop_port "$2"
  HEALTH_FAILURE="release $1 failed its health check: GET http://127.0.0.1:$2$HEALTH_PATH did not answer 200 $HEALTH_SUCCESSES times in a row within ${HEALTH_TIMEOUT}s (last: $HEALTH_LAST; pm2: $detail). Logs: $(out_log "$1" "$2") $(err_log "$1" "$2")"
}

# in-place: new release on the idle port, health gate, nginx switch, watch
# window with the old release still running, then retire the old one (or
# switch back to it).
switch_in_place() { # id
  local id=$1 port old_port=$ACTIVE_PORT old_release=$ACTIVE_RELEASE t0
  t0=$(now_ms)
  port=$(idle_port)
  log "switching to $id (in-place): active ${old_release:-none}${old_port:+ on :$old_port}, candidate on :$port"
  start_release "$id" "$port"
  if ! health_gate "$port"; then
    reject_candidate "$id" "$port"
    die "$HEALTH_FAILURE. nginx was left untouched${old_release:+; $old_release is still served on :$old_port}." 3
  fi
  log "$id is healthy on :$port"
  local backup=''
  if [[ -n $old_port ]] && ((WATCH_SECONDS > 0)); then backup=$old_port; fi
  if ! switch_nginx "$port" "$backup"; then
    stop_port "$port"
    die "nginx did not take the switch to $id: $NGINX_FAILURE.${old_release:+ $old_release is still served on :$old_port.}" 4
  fi
  if [[ -z $backup ]]; then
    write_state "$id" "$port" "${old_release:-$PREVIOUS_RELEASE}"
    if [[ -n $old_port ]]; then
      log "stopping $old_release on :$old_port"
      stop_port "$old_port"
    fi
  else
    # Recorded before the watch, so a run killed in it leaves a state that
    # says both releases run and which one to go back to (see cmd_resume).
    write_state "$id" "$port" "$old_release" "$old_port" "$PREVIOUS_RELEASE"
    settle_watch 0
  fi
  prune_releases
  log "done: $id live on :$port in $(($(now_ms) - t0))ms"
}

WATCH_FAILURE=''

# Watches the active release for WATCH_SECONDS after the switch: it fails on
# a PM2 restart (beyond BASELINE: a crash, even one PM2 recovers from at
# once), on a worker that is not online, or on HEALTH_SUCCESSES failed health
# checks in a row. Sets WATCH_FAILURE ("restarted 3 times within 6.1 s of the
# switch (...)") and returns 1 on failure.
watch_release() { # id port baseline-restarts since-ms (the switch, for messages)
  local id=$1 port=$2 baseline=$3 since=$4 name t0 elapsed status restarts workers fails=0 code err last=''
  name=$(proc_name "$port")
  t0=$(now_ms)
  log "watching $id on :$port for ${WATCH_SECONDS}s (PM2 restarts and status, GET $HEALTH_PATH); the previous release keeps running until then"
  while (($(now_ms) - t0 < WATCH_SECONDS * 1000)); do
    read -r status restarts workers <<<"$(pm2_probe "$name")"
    status=${status:-unknown} restarts=${restarts:-0} workers=${workers:-0}
    elapsed=$(awk -v ms="$(($(now_ms) - since))" 'BEGIN { printf "%.1f", ms / 1000 }')
    if ((restarts > baseline)); then
      restarts=$((restarts - baseline))
      WATCH_FAILURE="restarted $restarts time$( ((restarts == 1)) || echo s) within $elapsed s of the switch (pm2: status $status, $workers worker(s))"
      return 1
    fi
    if [[ $status != online && $status != unknown ]]; then
      WATCH_FAILURE="was '$status' under PM2 $elapsed s after the switch ($workers worker(s))"
      return 1
    fi
    err=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port$HEALTH_PATH" 2>&1) && code=$err || code=''
    if [[ $code == 200 ]]; then
      fails=0
    else
      fails=$((fails + 1))
      if [[ -n $code ]]; then last="HTTP $code"; else last=${err%$'\n'000}; fi
      if ((fails >= HEALTH_SUCCESSES)); then
        WATCH_FAILURE="failed its health check $fails times in a row within $elapsed s of the switch (last: $last)"
        return 1
      fi
    fi
    sleep 0.5
  done
  log "$id stayed healthy for ${WATCH_SECONDS}s (${restarts} restart(s) before the watch)"
}

# The end of a switch in its watch window (state: ACTIVE_* is the new
# release, FALLBACK_PORT runs the previous one). Watch; on success stop the
# previous release, on failure point nginx back at it and exit 6.
#
# Order matters for a kill at any point: the state is always written before
# the step it announces, so `resume` redoes that step (see cmd_resume).
settle_watch() { # baseline-restarts
  local live_since=${RELOAD_APPLIED_MS:-}
  [[ -n $live_since ]] || live_since=$(now_ms)
  if watch_release "$ACTIVE_RELEASE" "$ACTIVE_PORT" "$1" "$live_since"; then
    local old_port=$FALLBACK_PORT
    write_state "$ACTIVE_RELEASE" "$ACTIVE_PORT" "$PREVIOUS_RELEASE"
    # Drop the backup before its release stops. If nginx refuses, it keeps
    # the backup line, which is harmless once nothing listens there.
    switch_nginx "$ACTIVE_PORT" || warn "nginx kept :$old_port as a backup ($NGINX_FAILURE); harmless once it is stopped"
    log "stopping $PREVIOUS_RELEASE on :$old_port"
    stop_port "$old_port"
    return 0
  fi
  switch_back "$live_since"
}

# Points nginx back at the fallback release after WATCH_FAILURE, removes the
# failed release from PM2 and exits 6 (4 if nginx refuses the switch back).
switch_back() { # live-since-ms
  local id=$ACTIVE_RELEASE port=$ACTIVE_PORT old_release=$PREVIOUS_RELEASE old_port=$FALLBACK_PORT
  local before_previous=$FALLBACK_PREVIOUS live_since=$1 back_at detail
  back_at=$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)
  log "watch failed at $back_at: $id $WATCH_FAILURE; switching nginx back to $old_release on :$old_port"
  detail="Logs: $(out_log "$id" "$port") $(err_log "$id" "$port")"
  write_state "$old_release" "$old_port" "$before_previous"
  if ! switch_nginx "$old_port"; then
    die "release $id $WATCH_FAILURE, and nginx did not take the switch back to $old_release on :$old_port: $NGINX_FAILURE. $id is still served and still running; fix nginx, then run resume. $detail" 4
  fi
  log "stopping the failed release $id on :$port"
  stop_port "$port"
  die "release $id $WATCH_FAILURE; switched back to $old_release on :$old_port ($id was live for $((${RELOAD_APPLIED_MS:-$(now_ms)} - live_since))ms: from nginx taking it to nginx taking $old_release again). $detail" 6
}

# all-at-once (dev only): stop the running release, start the new one on the
# same port. Requests fail in between; on a failed health check the previous
# release is started again.
switch_all_at_once() { # id
  local id=$1 port=${ACTIVE_PORT:-$PORT_A} old_release=$ACTIVE_RELEASE t0
  t0=$(now_ms)
  log "switching to $id (all-at-once): stopping ${old_release:-nothing} on :$port, requests fail until $id is up"
  start_release "$id" "$port" # stops what runs on the port first
  if ! health_gate "$port"; then
    reject_candidate "$id" "$port"
    local back=''
    if [[ -n $old_release ]]; then
      log "starting $old_release again on :$port"
      start_release "$old_release" "$port"
      if health_gate "$port"; then
        back=" $old_release is back on :$port."
      else
        back=" $old_release was started again on :$port but is not healthy either (last: $HEALTH_LAST)."
      fi
    fi
    die "$HEALTH_FAILURE.$back" 3
  fi
  if [[ $(upstream_port) != "$port" ]]; then
    switch_nginx "$port" || die "nginx did not take the switch to $id: $NGINX_FAILURE" 4
  fi
  write_state "$id" "$port" "${old_release:-$PREVIOUS_RELEASE}"
  prune_releases
  log "done: $id live on :$port in $(($(now_ms) - t0))ms"
}

switch_to() { # id
  touch "$RELEASES_DIR/$1"
  if [[ $STRATEGY == all-at-once ]]; then switch_all_at_once "$1"; else switch_in_place "$1"; fi
}

# --- commands -----------------------------------------------------------------

cmd_deploy() { # archive id
  (($# == 2)) || die "deploy needs ARCHIVE and RELEASE_ID" 2
  local archive=$1 id=$2
  [[ $id =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]] || die "RELEASE_ID may only use letters, digits, . _ - (got '$id')" 2
  prepare_dirs
  take_lock
  read_state
  finish_interrupted_watch
  if [[ $id == "$ACTIVE_RELEASE" ]]; then
    log "$id is already the active release on :$ACTIVE_PORT; nothing to do"
    return 0
  fi
  require_writable "$RELEASES_DIR" "releases folder"
  load_settings
  unpack_release "$archive" "$id"
  switch_to "$id"
}

cmd_rollback() {
  prepare_dirs
  take_lock
  read_state
  finish_interrupted_watch
  [[ -n $PREVIOUS_RELEASE ]] || die "no previous release recorded in $STATE_FILE"
  [[ -d $RELEASES_DIR/$PREVIOUS_RELEASE ]] || die "the previous release folder $RELEASES_DIR/$PREVIOUS_RELEASE is gone"
  require_writable "$RELEASES_DIR" "releases folder"
  log "rolling back from ${ACTIVE_RELEASE:-none} to $PREVIOUS_RELEASE"
  load_settings
  switch_to "$PREVIOUS_RELEASE"
}

# Resume brings PM2 and nginx back to what the state file records, whatever
# step a killed run stopped at:
# - killed in the watch window (the state keeps the fallback): watch again,
#   then stop the previous release or switch back to it, as the run would have;
# - killed while a candidate started or was health-checked: the state still
#   names the old release, so the candidate on the idle port is removed;
# - after a reboot: the active release is started again, health-gated.
cmd_resume() {
  prepare_dirs
  take_lock
  read_state
  if [[ -z $ACTIVE_RELEASE ]]; then
    remove_strays
    die "no active release recorded in $STATE_FILE; deploy one first"
  fi
  if [[ -n $FALLBACK_PORT ]]; then resume_watch; else resume_active; fi
  remove_strays
  log "done: $ACTIVE_RELEASE live on :$ACTIVE_PORT"
}

# A switch killed in its watch window: both releases should still run. If
# they do, nginx is put on the new one (a kill may have come mid switch) and
# the watch runs again in full, counting only restarts from now on. If the
# previous one no longer runs (a reboot), the new release was never proven:
# resume goes back to the previous one (started again, health-gated), so the
# next deploy tries the new one again with a full watch; keeping it would make
# that deploy "nothing to do" and leave an unproven release for good.
resume_watch() {
  local restarts status fallback new_release=$ACTIVE_RELEASE new_port=$ACTIVE_PORT
  fallback=$(pm2_describe "$(proc_name "$FALLBACK_PORT")")
  read -r status restarts _ <<<"$(pm2_probe "$(proc_name "$ACTIVE_PORT")")"
  if [[ $fallback != "status online,"* ]]; then
    warn "the switch to $new_release was interrupted in its watch window and $PREVIOUS_RELEASE no longer runs on :$FALLBACK_PORT ($fallback); going back to $PREVIOUS_RELEASE, the last release that passed its watch (the next deploy tries $new_release again)"
    write_state "$PREVIOUS_RELEASE" "$FALLBACK_PORT" "$FALLBACK_PREVIOUS"
    resume_active
    stop_port "$new_port"
    return 0
  fi
  if [[ $status != online ]]; then
    WATCH_FAILURE="was '$status' under PM2 when its interrupted watch was resumed"
    switch_back "$(now_ms)"
  fi
  # The interrupted switch's window, not this run's (a state written before
  # the window was recorded has none: this run's then).
  WATCH_SECONDS=${FALLBACK_WATCH_SECONDS:-$WATCH_SECONDS}
  log "a switch to $ACTIVE_RELEASE was interrupted in its watch window; $PREVIOUS_RELEASE still runs on :$FALLBACK_PORT: watching again"
  if [[ $(upstream_port) != "$ACTIVE_PORT" || $(upstream_backup_port) != "$FALLBACK_PORT" ]]; then
    switch_nginx "$ACTIVE_PORT" "$FALLBACK_PORT" || die "nginx did not take :$ACTIVE_PORT: $NGINX_FAILURE" 4
  fi
  settle_watch "${restarts:-0}"
}

# A deploy or rollback that finds the last switch killed in its watch window
# (an SSM timeout, no reboot since) finishes that watch first, as resume
# would: otherwise it would start its candidate on the fallback's port,
# stopping the only proven release, or skip an id that is "already active"
# but was never proven. A failed watch (exit 6) is reported and the new
# switch goes on from the release nginx went back to.
finish_interrupted_watch() {
  [[ -n $FALLBACK_PORT ]] || return 0
  local rc
  log "the switch to $ACTIVE_RELEASE was interrupted in its watch window; finishing it first"
  # A subshell, so its exit 6 does not end this run. errexit and the ERR
  # trap stay on inside it; out here neither may fire on its exit status
  # (`|| rc=$?` would switch errexit off inside the subshell too).
  set +e
  trap - ERR
  (
    set -e
    trap 'on_error "$LINENO" "$?"' ERR
    resume_watch
  )
  rc=$?
  trap 'on_error "$LINENO" "$?"' ERR
  set -e
  ((rc == 0 || rc == 6)) || die "could not finish the interrupted watch (exit $rc, see above); nothing else was changed" "$rc"
  read_state
}

# The active release's part of resume when no watch is pending.
resume_active() {
  local status
  status=$(pm2_describe "$(proc_name "$ACTIVE_PORT")")
  if [[ $status == "status online,"* ]]; then
    log "$ACTIVE_RELEASE already runs on :$ACTIVE_PORT ($status)"
  else
    load_settings
    start_release "$ACTIVE_RELEASE" "$ACTIVE_PORT"
    if ! health_gate "$ACTIVE_PORT"; then
      reject_candidate "$ACTIVE_RELEASE" "$ACTIVE_PORT"
      die "$HEALTH_FAILURE. nginx was left untouched." 3
    fi
  fi
  # A backup line left by a run killed at the end of its watch goes too.
  if [[ $(upstream_port) != "$ACTIVE_PORT" || -n $(upstream_backup_port) ]]; then
    switch_nginx "$ACTIVE_PORT" || die "nginx did not take :$ACTIVE_PORT: $NGINX_FAILURE" 4
  fi
}

# What a killed run leaves besides the active release: a candidate still
# under PM2 on the other port of the pair (deleted; nginx never pointed at it,
# or resume just moved nginx away from it) and half-unpacked folders.
remove_strays() {
  local port
  for port in "$PORT_A" "$PORT_B"; do
    [[ $port == "$ACTIVE_PORT" ]] && continue
    if [[ $(pm2_describe "$(proc_name "$port")") != "not running" ]]; then
      stop_port "$port"
      log "removed $(proc_name "$port"), left under PM2 by an interrupted switch"
    fi
  done
  rm -rf "$RELEASES_DIR"/.incoming.* 2>/dev/null || true
}

sed_escape() { printf '%s' "$1" | sed 's/[\\|&]/\\&/g'; }

# Renders the site template and, if there is none yet, an upstream include so
# `nginx -t` passes before the first deploy (nginx answers 502 until then).
cmd_install_site() {
  local tmp=$SITE_FILE.tmp.$$
  [[ -f $SITE_TEMPLATE ]] || die "site template not found: $SITE_TEMPLATE"
  mkdir -p "$(dirname "$SITE_FILE")"
  sed -e "s|@LISTEN@|$(sed_escape "$LISTEN")|g" \
    -e "s|@UPSTREAM_FILE@|$(sed_escape "$UPSTREAM_FILE")|g" \
    -e "s|@UPSTREAM_NAME@|$(sed_escape "$UPSTREAM_NAME")|g" \
    -e "s|@HEALTH_PATH@|$(sed_escape "$HEALTH_PATH")|g" \
    -e "s|@CLIENT_KEEPALIVE@|$CLIENT_KEEPALIVE|g" "$SITE_TEMPLATE" >"$tmp"
  mv -f "$tmp" "$SITE_FILE"
  log "wrote nginx site $SITE_FILE (listen $LISTEN)"
  if [[ ! -f $UPSTREAM_FILE ]]; then
    read_state
    write_upstream "${ACTIVE_PORT:-$PORT_A}"
    log "wrote nginx upstream $UPSTREAM_FILE (:${ACTIVE_PORT:-$PORT_A})"
  fi
}

cmd_status() {
  read_state
  if [[ -z $ACTIVE_RELEASE ]]; then
    echo "no release deployed ($STATE_FILE)"
    return 0
  fi
  cat "$STATE_FILE"
  echo "pm2: $(pm2_describe "$(proc_name "$ACTIVE_PORT")")"
}

main() {
  local command=${ARGS[0]:-help}
  validate_options
  case $command in
    deploy) cmd_deploy "${ARGS[@]:1}" ;;
    rollback) cmd_rollback ;;
    resume) cmd_resume ;;
    install-site) cmd_install_site ;;
    status) cmd_status ;;
    help) usage ;;
    *) die "unknown command '$command' (see: release-switch.sh help)" 2 ;;
  esac
}

main
