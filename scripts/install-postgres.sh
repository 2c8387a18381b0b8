#!/bin/sh
# Install what the PostgreSQL store's tests need: Debian's PostgreSQL server (initdb, pg_ctl). The tests start
# their own server in a temporary folder on a loopback port (tests/pgserver.py); nothing is configured system-wide
# and no service is started. Idempotent: does nothing when initdb is found.
#
# Usage: scripts/install-postgres.sh
set -eu

if command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
echo "install-postgres: installing postgresql (Debian package)" >&2
$SUDO apt-get update
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql
