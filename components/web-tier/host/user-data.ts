import { deployCommands, WEBSTACK_HOME } from "./boot-command";
import { NodeVersion } from "../args";
import { shellCommentText, shellQuote } from "../../internal/shell";

export interface UserDataOptions {
    /** The component name, for the log line. */
    name: string;
    nodeVersion: NodeVersion;
    settingsParameter: string;
    region: string;
    /**
     * autoscaling mode: the release settings parameter's version (SSM counts
     * every change of its value), written as a comment so that every release
     * or setting changes the user data and so makes a new launch template
     * version, which is what starts an instance refresh. The version, not a
     * hash of the settings: a hash of settings that hold a secret value is
     * itself secret-marked (and a guessable secret could be checked against
     * it). The instance still reads the release from the parameter at boot.
     * Instance mode leaves it out (its instance is never replaced for a
     * release; see below).
     */
    settingsVersion?: number;
}

/** The PM2 major version installed on the instance (the project tests its payload against PM2 6). */
export const PM2_VERSION = "6";
/** The unprivileged user the app runs as. */
export const APP_USER = "webapp";

/**
 * The instance's first-boot script. It installs Node.js (Amazon Linux 2023
 * packages it per major version, `nodejs<N>` with `node-<N>`/`npm-<N>`
 * binaries: AL2023 user guide, "Node.js in AL2023"), nginx and PM2,
 * registers PM2 with systemd for the app user so the app comes back after a
 * reboot, then deploys the current release.
 *
 * It holds no secret and no release id: only the name of the parameter that
 * says which release is current. A new release therefore never changes it,
 * which matters because the instance sets `userDataReplaceOnChange` (user
 * data only runs on first boot, so a changed script needs a new instance).
 *
 * Every interpolated value is single-quoted with {@link shellQuote} (the
 * name, in a comment, has its control characters replaced): the component
 * name and the parameter path are validated too, but the script does not
 * rely on that.
 */
export function renderUserData(options: UserDataOptions): string {
    const node = options.nodeVersion;
    const q = shellQuote;
    return [
        "#!/bin/bash",
        `# webstack WebTier ${shellCommentText(options.name)}: first-boot setup (no secrets here; they are read from SSM at deploy time).`,
        ...(options.settingsVersion === undefined ? [] : [`# release settings version ${Number(options.settingsVersion)}`]),
        "set -euo pipefail",
        "exec > >(tee -a /var/log/webstack-boot.log) 2>&1",
        `dnf install -y ${q(`nodejs${node}`)} ${q(`nodejs${node}-npm`)} nginx`,
        // Make the chosen version the one `node` and `npm` mean.
        `alternatives --set node ${q(`/usr/bin/node-${node}`)}`,
        `${q(`npm-${node}`)} install --global ${q(`pm2@${PM2_VERSION}`)}`,
        `id ${q(APP_USER)} >/dev/null 2>&1 || useradd --system --create-home --home-dir ${q(`/home/${APP_USER}`)} --shell /sbin/nologin ${q(APP_USER)}`,
        // A systemd unit that resurrects the app user's saved PM2 process list at boot.
        `env PATH="$PATH:/usr/local/bin:/usr/bin" pm2 startup systemd --user ${q(APP_USER)} --hp ${q(`/home/${APP_USER}`)}`,
        // The stock nginx.conf has a welcome-page server on 80; if it is marked
        // default_server it would answer requests by IP address instead of the
        // app, so webstack's site (listen "80 default_server") takes that role.
        "sed -i 's/ default_server//' /etc/nginx/nginx.conf",
        "systemctl enable --now nginx",
        `mkdir -p ${q(WEBSTACK_HOME)}`,
        ...deployCommands(options.settingsParameter, options.region, "any"),
        "",
    ].join("\n");
}
