import { shellQuote } from "../../internal/shell";

/** Where webstack keeps its files on the instance. */
export const WEBSTACK_HOME = "/opt/webstack";
/** The deploy script inside the payload archive. */
export const DEPLOY_SCRIPT = "boot/deploy-release.sh";


/**
 * The commands that deploy the current release, shared by the user data
 * (first boot) and the SSM deploy document (every later release):
 *
 * 1. read the release settings parameter, retrying until it can be read
 *    and holds `revision` (SSM reads can briefly return the previous value
 *    after an update; "any" accepts whatever is there, as at first boot);
 * 2. download and unpack the instance scripts the settings name, checking
 *    their sha256;
 * 3. run the deploy script under a lock, so the boot and the association
 *    (which both fire when a new instance comes up) never run at once.
 *
 * Static for a given web tier: it names the parameter, never a release, so
 * a new release never changes the user data.
 *
 * Every value from outside goes through {@link shellQuote} once, into a
 * variable; the commands then use the variable in double quotes.
 */
export function deployCommands(settingsParameter: string, region: string, revision: string, home = WEBSTACK_HOME): string[] {
    return [
        "set -euo pipefail",
        `export AWS_DEFAULT_REGION=${shellQuote(region)} WEBSTACK_ROOT=${shellQuote(home)}`,
        // The settings hold plain env values: their folder is root:root 0750 from the
        // start (deploy-release.sh later gives it to the app group), so a file
        // written below with the default umask is never readable by others.
        'mkdir -p "$WEBSTACK_ROOT/payloads" && mkdir -p -m 0750 "$WEBSTACK_ROOT/settings"',
        `wanted=${shellQuote(revision)}`,
        'attempts=${WEBSTACK_SETTINGS_ATTEMPTS:-20}',
        'for attempt in $(seq 1 "$attempts"); do',
        // A failed read (IAM still propagating to a new instance profile) is retried too.
        "  got=unreadable",
        `  if aws ssm get-parameter --with-decryption --name ${shellQuote(settingsParameter)} --query Parameter.Value --output text > "$WEBSTACK_ROOT/settings/incoming.json"; then`,
        `    got=$(printf '%s' "$(cat "$WEBSTACK_ROOT/settings/incoming.json")" | sha256sum | cut -d' ' -f1)`,
        '    if [ "$wanted" = any ] || [ "$got" = "$wanted" ]; then break; fi',
        "  fi",
        '  if [ "$attempt" = "$attempts" ]; then echo "release settings never reached revision $wanted (last: $got)" >&2; exit 1; fi',
        "  sleep 3",
        "done",
        'settings="$WEBSTACK_ROOT/settings/$got.json"',
        `printf '%s' "$(cat "$WEBSTACK_ROOT/settings/incoming.json")" > "$settings"`,
        `field() { node -e 'process.stdout.write(String(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))[process.argv[2]]))' "$settings" "$1"; }`,
        'payload_sha=$(field payloadSha256)',
        'payload="$WEBSTACK_ROOT/payloads/$payload_sha"',
        'if [ ! -f "$payload/' + DEPLOY_SCRIPT + '" ]; then',
        '  aws s3 cp "s3://$(field bucket)/$(field payloadKey)" "$payload.tgz"',
        '  if [ "$(gzip -dc "$payload.tgz" | sha256sum | cut -d\' \' -f1)" != "$payload_sha" ]; then echo "payload archive does not match its sha256" >&2; exit 1; fi',
        '  mkdir -p "$payload.partial" && tar -xzf "$payload.tgz" -C "$payload.partial" && mv "$payload.partial" "$payload" && rm -f "$payload.tgz"',
        "fi",
        // Scripts are run through bash: archives do not keep the executable bit of files checked in without it.
        `flock "$WEBSTACK_ROOT/deploy.lock" bash "$payload/${DEPLOY_SCRIPT}" "$settings" deploy`,
    ];
}
