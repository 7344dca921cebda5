#!/bin/bash
# Boot script of a webstack ManagedDatabase in ec2 mode (Amazon Linux 2023).
#
# It runs at every boot (cloud-init user data runs once per instance, and the
# instance is replaced rather than re-provisioned, so "every boot of this
# instance" means "the first boot"). It installs the engine from the AL2023
# repositories, mounts the separate data volume (formatting it only when it
# is blank), takes the password from the component's Secrets Manager secret
# or, on the very first boot, generates it and stores it there, and makes the
# engine listen on the private address for the VPC only, over TLS.
#
# ManagedDatabase replaces the @NAME@ values below when it renders the user
# data. None of them is secret: the password never appears in user data.
set -euo pipefail

DB_ENGINE='@DB_ENGINE@'          # postgres | mariadb
DB_MAJOR_VERSION='@DB_MAJOR_VERSION@'
DB_NAME='@DB_NAME@'
DB_USER='@DB_USER@'
DB_PORT='@DB_PORT@'
SECRET_ARN='@SECRET_ARN@'        # the secret the password lives in
VOLUME_ID='@VOLUME_ID@'          # the data volume, attached as /dev/sdf
AWS_REGION='@AWS_REGION@'
export AWS_REGION

log() { echo "webstack-db: $*" >&2; }

# Runs an AWS CLI command until it succeeds, waiting 2, 4, 8 ... (at most 60)
# seconds between attempts, AWS_RETRY_ATTEMPTS times in all (about 3
# minutes). At first boot the role's new policy may not have reached IAM
# everywhere yet, and a VPC endpoint's private DNS may still be settling.
# Prints the command's output on success; on failure prints its error
# message (for the caller to inspect) and returns 1. An answer that will not
# change by waiting (ResourceNotFoundException: e.g. a secret with no value
# yet) is returned at once.
AWS_RETRY_ATTEMPTS=8
aws_retry() {
    local attempt=1 delay=2 output errors
    errors=$(mktemp)
    while true; do
        if output=$("$@" 2>"$errors"); then
            rm -f "$errors"
            printf '%s\n' "$output"
            return 0
        fi
        if grep -q ResourceNotFoundException "$errors" || [ "$attempt" -ge "$AWS_RETRY_ATTEMPTS" ]; then
            cat "$errors"
            rm -f "$errors"
            return 1
        fi
        log "attempt ${attempt}/${AWS_RETRY_ATTEMPTS} of '$1 $2 $3' failed, retrying in ${delay}s: $(tr '\n' ' ' <"$errors")"
        sleep "$delay"
        attempt=$((attempt + 1))
        delay=$((delay * 2 > 60 ? 60 : delay * 2))
    done
}

# Instance metadata through IMDSv2 (the instance requires session tokens).
imds() {
    local token
    token=$(curl -sSf -X PUT "http://169.254.169.254/latest/api/token" -H "X-aws-ec2-metadata-token-ttl-seconds: 300")
    curl -sSf -H "X-aws-ec2-metadata-token: ${token}" "http://169.254.169.254/latest/meta-data/$1"
}

PRIVATE_IP=$(imds local-ipv4)
MAC=$(imds mac)
VPC_CIDR=$(imds "network/interfaces/macs/${MAC}/vpc-ipv4-cidr-block")

# The data volume's device. On Nitro instances an EBS volume is an NVMe
# device whose serial is the volume id without its dash; older instance
# types keep the requested name. The attachment may come after boot: wait.
data_device() {
    local link="/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_${VOLUME_ID//-/}"
    local attempt
    for attempt in $(seq 1 120); do
        if [ -e "$link" ]; then readlink -f "$link"; return 0; fi
        if [ -e /dev/sdf ]; then readlink -f /dev/sdf; return 0; fi
        log "waiting for data volume ${VOLUME_ID} (${attempt}/120)"
        sleep 5
    done
    log "data volume ${VOLUME_ID} was never attached"
    return 1
}

# Mounts the data volume at $1, formatting it only if it holds no file system.
mount_data() {
    local mount_point="$1" device probe=0 uuid
    device=$(data_device)
    # blkid exits 2 only when the device holds nothing it recognises; any
    # other failure must not lead to formatting a volume that holds data.
    blkid -p "$device" >/dev/null 2>&1 || probe=$?
    if [ "$probe" -eq 2 ]; then
        log "formatting blank data volume ${device}"
        mkfs.xfs -L dbdata "$device"
    elif [ "$probe" -ne 0 ]; then
        log "cannot probe ${device} (blkid exit ${probe})"
        return 1
    fi
    uuid=$(blkid -o value -s UUID "$device")
    mkdir -p "$mount_point"
    if ! grep -q "UUID=${uuid}" /etc/fstab; then
        echo "UUID=${uuid} ${mount_point} xfs defaults,nofail 0 2" >>/etc/fstab
    fi
    mountpoint -q "$mount_point" || mount "$mount_point"
}

# Prints the password: the secret's, or a new one stored in the secret first.
# The only way the password travels is Secrets Manager over TLS; it is never
# on a command line (other users could read it from /proc).
database_password() {
    local output password payload
    if output=$(aws_retry aws secretsmanager get-secret-value --secret-id "$SECRET_ARN" --query SecretString --output text); then
        printf '%s' "$output" | python3 -c 'import json, sys; print(json.load(sys.stdin)["password"])'
        return 0
    fi
    # A secret with no value yet answers ResourceNotFoundException (no
    # AWSCURRENT version); anything else is a real failure.
    if ! grep -q ResourceNotFoundException <<<"$output"; then
        log "cannot read ${SECRET_ARN}: ${output}"
        return 1
    fi
    log "first boot: generating the database password"
    password=$(openssl rand -hex 24)
    payload=$(mktemp /run/webstack-db-secret.XXXXXX)
    DB_PASSWORD="$password" python3 - "$payload" <<'PY'
import json, os, sys
with open(sys.argv[1], "w") as out:
    json.dump({
        "username": os.environ["DB_USER"],
        "password": os.environ["DB_PASSWORD"],
        "engine": os.environ["DB_ENGINE"],
        "port": int(os.environ["DB_PORT"]),
        "dbname": os.environ["DB_NAME"],
    }, out)
PY
    if ! output=$(aws_retry aws secretsmanager put-secret-value --secret-id "$SECRET_ARN" --secret-string "file://${payload}"); then
        rm -f "$payload"
        log "cannot store the password in ${SECRET_ARN}: ${output}"
        return 1
    fi
    rm -f "$payload"
    printf '%s\n' "$password"
}

# A self-signed certificate so clients can (and must) use TLS, as with RDS.
make_certificate() {
    local directory="$1" owner="$2"
    if [ ! -f "${directory}/server.key" ]; then
        openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=${PRIVATE_IP}" \
            -keyout "${directory}/server.key" -out "${directory}/server.crt"
    fi
    chown "$owner" "${directory}/server.key" "${directory}/server.crt"
    chmod 600 "${directory}/server.key"
}

setup_postgres() {
    local password="$1" data=/var/lib/pgsql/data
    dnf install -y "postgresql${DB_MAJOR_VERSION}-server"
    mount_data /var/lib/pgsql
    chown postgres:postgres /var/lib/pgsql
    chmod 700 /var/lib/pgsql
    if [ ! -f "${data}/PG_VERSION" ]; then postgresql-setup --initdb; fi
    # A new major version does not read an old data directory: upgrading it
    # (pg_upgrade) is manual in this mode (docs/managed-database.md).
    if [ "$(cat "${data}/PG_VERSION")" != "$DB_MAJOR_VERSION" ]; then
        log "the data volume holds PostgreSQL $(cat "${data}/PG_VERSION") data; PostgreSQL ${DB_MAJOR_VERSION} cannot use it. Set the version back, or upgrade the data with pg_upgrade first"
        return 1
    fi
    make_certificate "$data" postgres:postgres
    grep -q "include_if_exists = 'webstack.conf'" "${data}/postgresql.conf" ||
        echo "include_if_exists = 'webstack.conf'" >>"${data}/postgresql.conf"
    cat >"${data}/webstack.conf" <<CONF
listen_addresses = 'localhost,${PRIVATE_IP}'
port = ${DB_PORT}
ssl = on
ssl_cert_file = 'server.crt'
ssl_key_file = 'server.key'
password_encryption = 'scram-sha-256'
CONF
    # Local administration over the socket; the app user from the VPC only, over TLS.
    cat >"${data}/pg_hba.conf" <<HBA
local   all        postgres                  peer
local   all        all                       peer
hostssl ${DB_NAME} ${DB_USER} ${VPC_CIDR} scram-sha-256
HBA
    chown postgres:postgres "${data}/webstack.conf" "${data}/pg_hba.conf"
    systemctl enable postgresql
    systemctl restart postgresql
    if [ -z "$(sudo -u postgres psql -tAc "SELECT 1 FROM pg_roles WHERE rolname = '${DB_USER}'")" ]; then
        sudo -u postgres psql -v ON_ERROR_STOP=1 <<SQL
CREATE ROLE "${DB_USER}" LOGIN PASSWORD '${password}';
SQL
    fi
    if [ -z "$(sudo -u postgres psql -tAc "SELECT 1 FROM pg_database WHERE datname = '${DB_NAME}'")" ]; then
        sudo -u postgres createdb -O "$DB_USER" "$DB_NAME"
    fi
}

# MySQL host patterns take an address and a netmask: 10.10.0.0/16 → 10.10.0.0/255.255.0.0.
mysql_host_pattern() {
    local network="${VPC_CIDR%/*}" prefix="${VPC_CIDR#*/}" mask=() octet bits
    for octet in 0 1 2 3; do
        bits=$((prefix - octet * 8))
        if [ "$bits" -ge 8 ]; then mask+=(255); elif [ "$bits" -le 0 ]; then mask+=(0); else mask+=($((256 - (1 << (8 - bits))))); fi
    done
    echo "${network}/${mask[0]}.${mask[1]}.${mask[2]}.${mask[3]}"
}

setup_mariadb() {
    local password="$1" tls=/etc/my.cnf.d/webstack-tls host
    # AL2023 names its MariaDB servers by version: 10.5 → mariadb105-server,
    # 10.11 → mariadb1011-server.
    dnf install -y "mariadb${DB_MAJOR_VERSION//./}-server"
    mount_data /var/lib/mysql
    chown mysql:mysql /var/lib/mysql
    mkdir -p "$tls"
    make_certificate "$tls" mysql:mysql
    cat >/etc/my.cnf.d/webstack.cnf <<CNF
[mysqld]
bind-address = ${PRIVATE_IP}
port = ${DB_PORT}
require_secure_transport = ON
ssl_cert = ${tls}/server.crt
ssl_key = ${tls}/server.key
CNF
    systemctl enable mariadb
    systemctl restart mariadb
    host=$(mysql_host_pattern)
    mariadb --protocol=socket -uroot <<SQL
CREATE DATABASE IF NOT EXISTS \`${DB_NAME}\`;
CREATE USER IF NOT EXISTS '${DB_USER}'@'${host}' IDENTIFIED BY '${password}' REQUIRE SSL;
GRANT ALL PRIVILEGES ON \`${DB_NAME}\`.* TO '${DB_USER}'@'${host}';
SQL
}

main() {
    local password
    export DB_USER DB_ENGINE DB_PORT DB_NAME
    password=$(database_password)
    case "$DB_ENGINE" in
        postgres) setup_postgres "$password" ;;
        mariadb) setup_mariadb "$password" ;;
        *) log "unknown engine ${DB_ENGINE}"; return 1 ;;
    esac
    log "${DB_ENGINE} ready on ${PRIVATE_IP}:${DB_PORT} for ${VPC_CIDR}"
}

main "$@"
