#!/usr/bin/env bash
# deploy-release.sh: webstack's glue between the release settings WebTier
# writes to SSM and the release switch (../payload/release-switch.sh).
#
#   deploy-release.sh SETTINGS_JSON [deploy|resume]
#
# deploy: download the release archive the settings name, check its sha256,
#         and hand it to the release switch (health-gated, zero downtime).
# resume: at boot, start the active release again if PM2 does not run it.
#
# Run as root by the first-boot user data and by the SSM deploy document,
# both under a lock. App settings reach the switch through --env-command
# (app-env.sh), so secret values are read from SSM at start and never written
# to disk or put on a command line.
set -Eeuo pipefail

SETTINGS=${1:?usage: deploy-release.sh SETTINGS_JSON [deploy|resume]}
COMMAND=${2:-deploy}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SCRIPTS=$(dirname "$HERE")
ROOT=${WEBSTACK_ROOT:-/opt/webstack}
APP_USER=${WEBSTACK_APP_USER:-webapp}

log() { printf '[deploy-release] %s\n' "$*"; }

# One field of the settings JSON; dots walk into objects (ports.blue).
field() {
  node -e '
    let v = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    for (const k of process.argv[2].split(".")) v = v?.[k];
    if (v === undefined || v === null) process.exit(3);
    process.stdout.write(String(v));' "$SETTINGS" "$1"
}

# The app runs as an unprivileged user under that user's PM2 daemon; its log
# files are written by that daemon, into a folder that user owns. Root's own
# logs (the switch's, npm's) go to a root-only folder instead, so root never
# writes through a link the app user could plant.
install -d -m 755 "$ROOT" "$ROOT/archives"
install -d -m 750 -o "$APP_USER" -g "$APP_USER" "$ROOT/logs"
SWITCH_LOGS=${WEBSTACK_SWITCH_LOG_DIR:-/var/log/webstack}
install -d -m 750 "$SWITCH_LOGS"

# The settings hold the app's environment: root and the app user only, and
# those of pruned releases removed (again after the switch).
bash "$HERE/settings-files.sh" "$(dirname "$SETTINGS")" "$ROOT/releases" "$APP_USER" "$SETTINGS"

# Settings written before the watch window existed have no watchSeconds:
# keep the switch's own default for them.
watch_seconds=$(field watchSeconds) || watch_seconds=30

switch=(
  bash "$SCRIPTS/payload/release-switch.sh"
  --root "$ROOT"
  --name app
  --ports "$(field ports.blue),$(field ports.green)"
  --instances "$(field instances)"
  --strategy "$(field strategy)"
  --health-path "$(field healthCheckPath)"
  # After the switch the previous release keeps running this long; if the
  # new one crashes or fails its health check meanwhile, nginx goes back to
  # the previous one and the switch (so this deploy, so SSM) fails.
  --watch-seconds "$watch_seconds"
  # The active release and the previous one (rollback); settings follow.
  --keep 2
  # npm ci and its install scripts run as the app user, never as root.
  --app-user "$APP_USER"
  --switch-log-dir "$SWITCH_LOGS"
  # The webstack site answers every request that reaches the instance (user
  # data removes default_server from the stock server in nginx.conf).
  --listen "80 default_server"
  --env-command "bash $HERE/app-env.sh $SETTINGS"
  --pm2 "runuser -u $APP_USER -- pm2"
)

# Render the nginx site on every run (it depends on the health path); the
# switch's reload applies it.
"${switch[@]}" install-site

if [[ $COMMAND == resume ]]; then
  exec "${switch[@]}" resume
fi

sha=$(field releaseSha256)
archive=$ROOT/archives/$sha.tgz
if [[ ! -f $archive ]]; then
  log "downloading s3://$(field bucket)/$(field releaseKey)"
  aws s3 cp --only-show-errors "s3://$(field bucket)/$(field releaseKey)" "$archive.partial"
  # The hash covers the tar stream (see release-archive.ts).
  got=$(gzip -dc "$archive.partial" | sha256sum | cut -d' ' -f1)
  if [[ $got != "$sha" ]]; then
    rm -f "$archive.partial"
    echo "[deploy-release] error: the downloaded release hashes to $got, not $sha" >&2
    exit 1
  fi
  mv "$archive.partial" "$archive"
fi

# The release id joins the archive hash and the settings revision, so a
# change of environment alone is also a new release (the switch skips an id
# that is already active).
revision=$(sha256sum "$SETTINGS" | cut -d' ' -f1)
"${switch[@]}" deploy "$archive" "${sha:0:16}-${revision:0:8}"
bash "$HERE/settings-files.sh" "$(dirname "$SETTINGS")" "$ROOT/releases" "$APP_USER" "$SETTINGS"

# Keep the last few archives (rollback uses the unpacked release folders).
# shellcheck disable=SC2012 # archive names are hex digests
ls -1t "$ROOT"/archives/*.tgz 2>/dev/null | tail -n +4 | xargs -r rm -f

# Remember what to resume at boot, and register the unit that does it.
mkdir -p "$ROOT/settings"
ln -sfn "$SETTINGS" "$ROOT/settings/current.json"
ln -sfn "$SCRIPTS" "$ROOT/scripts-current"
# Only where systemd runs (always on the instance).
if [[ ! -d /run/systemd/system ]]; then
  log "release $sha is live (no systemd here: boot resume not registered)"
  exit 0
fi
unit=/etc/systemd/system/webstack-resume.service
bash "$HERE/resume-unit.sh" "$ROOT" "$APP_USER" "${AWS_DEFAULT_REGION:-}" >"$unit.tmp"
mv -f "$unit.tmp" "$unit"
systemctl daemon-reload
systemctl enable webstack-resume.service >/dev/null 2>&1
log "release $sha is live"
