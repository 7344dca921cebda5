#!/usr/bin/env bash
# resume-unit.sh: prints the systemd unit that starts the active release
# again after a reboot (deploy-release.sh installs it as
# webstack-resume.service). Kept apart so tests can render the exact unit
# and check it with `systemd-analyze verify`.
#
#   resume-unit.sh ROOT APP_USER [REGION]
set -Eeuo pipefail

ROOT=${1:?usage: resume-unit.sh ROOT APP_USER [REGION]}
APP_USER=${2:?usage: resume-unit.sh ROOT APP_USER [REGION]}
REGION=${3:-}

# PM2's own unit (`pm2 startup systemd --user APP_USER` names it
# pm2-APP_USER.service: pm2 lib/API/Startup.js) resurrects the saved process
# list. Resume runs after it (After=, and Wants= so it is started at all):
# run before it, resume would find PM2 idle and start the release a second
# time beside the one PM2 is about to resurrect. PM2's unit is Type=forking,
# so "after" means after its daemon forked and resurrect returned.
pm2_unit="pm2-$APP_USER.service"

cat <<UNIT
[Unit]
Description=webstack: start the active release after a reboot (secrets are read from SSM again)
Wants=network-online.target $pm2_unit
After=network-online.target nginx.service $pm2_unit

[Service]
Type=oneshot
Environment=AWS_DEFAULT_REGION=$REGION
ExecStart=/usr/bin/flock $ROOT/deploy.lock /bin/bash $ROOT/scripts-current/boot/deploy-release.sh $ROOT/settings/current.json resume

[Install]
WantedBy=multi-user.target
UNIT
