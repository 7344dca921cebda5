#!/usr/bin/env bash
# settings-files.sh SETTINGS_DIR RELEASES_DIR APP_USER [IN_USE_FILE]
#
# The release settings files (SETTINGS_DIR/<sha256>.json, written by the boot
# command) hold the app's environment: make them readable by root and the app
# user only (folder 0750, files 0640, root:<app group>), and remove those
# whose release folder the release switch has pruned (it keeps the active and
# the previous release). A release id ends with the first 8 hex digits of its
# settings' sha256 (deploy-release.sh), which is how a file finds its release.
# IN_USE_FILE, the settings being deployed now, is always kept, and so is any
# file newer than it (a deploy queued behind this one).
# Run as root by deploy-release.sh, before and after the switch.
set -Eeuo pipefail
DIR=${1:?usage: settings-files.sh SETTINGS_DIR RELEASES_DIR APP_USER [IN_USE_FILE]}
RELEASES=${2:?usage: settings-files.sh SETTINGS_DIR RELEASES_DIR APP_USER [IN_USE_FILE]}
APP_USER=${3:?usage: settings-files.sh SETTINGS_DIR RELEASES_DIR APP_USER [IN_USE_FILE]}
IN_USE=${4:-}
GROUP=$(id -g "$APP_USER")

# Only root writes here, so nothing in it was planted by the app user; links
# (settings/current.json) are still skipped, never chowned through.
[[ -d $DIR && ! -L $DIR ]] || {
  echo "[settings-files] error: $DIR is not a folder" >&2
  exit 1
}
chown root:"$GROUP" "$DIR"
chmod 750 "$DIR"
shopt -s nullglob
for file in "$DIR"/*.json; do
  [[ -f $file && ! -L $file ]] || continue
  name=${file##*/}
  # Newer than the one in use: written for a deploy that waits for the lock.
  if [[ $file != "$IN_USE" && ! (-n $IN_USE && $file -nt $IN_USE) && $name =~ ^([0-9a-f]{8})[0-9a-f]{56}\.json$ ]]; then
    releases=("$RELEASES"/*-"${BASH_REMATCH[1]}")
    if ((${#releases[@]} == 0)); then
      rm -f "$file"
      printf '[settings-files] removed %s (its release was pruned)\n' "$name"
      continue
    fi
  fi
  chown root:"$GROUP" "$file"
  chmod 640 "$file"
done
