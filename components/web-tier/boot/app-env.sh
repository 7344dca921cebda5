#!/usr/bin/env bash
# app-env.sh SETTINGS_JSON: print the app's settings as KEY=VALUE lines for
# the release switch's --env-command. Plain variables come from the settings
# file; secrets are read from SSM Parameter Store now (decrypted), so they
# exist only in this pipe and in the app's process environment.
set -Eeuo pipefail
SETTINGS=${1:?usage: app-env.sh SETTINGS_JSON}

# Plain variables, then "NAME PARAMETER" pairs for the secrets.
node - "$SETTINGS" <<'JS'
const s = JSON.parse(require("fs").readFileSync(process.argv[2], "utf8"));
for (const [key, value] of Object.entries(s.environment ?? {})) {
  // WebTier refuses these at plan time; a computed value is checked here.
  if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)) { console.error(`app-env: ${key} contains a control character (line break, NUL...), which KEY=VALUE lines cannot carry`); process.exit(1); }
  // Printed as given: the release switch takes env-command values byte-for-byte.
  console.log(`${key}=${value}`);
}
JS
# shellcheck disable=SC2016 # JavaScript template literal, not shell
node -e 'for (const [k, v] of Object.entries(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).secrets ?? {})) console.log(`${k} ${v}`)' "$SETTINGS" |
  while read -r key parameter; do
    value=$(aws ssm get-parameter --with-decryption --name "$parameter" --query Parameter.Value --output text) || {
      echo "app-env: cannot read SSM parameter $parameter for $key" >&2
      exit 1
    }
    if [[ $value == *[$'\n\r']* ]]; then
      echo "app-env: the value of $parameter ($key) has a line break, which KEY=VALUE lines cannot carry" >&2
      exit 1
    fi
    printf '%s=%s\n' "$key" "$value"
  done
