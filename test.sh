#!/usr/bin/env bash
# Runs every LifeOs test on a fresh machine: installs Debian's chromium for the browser tests, Debian's postgresql
# for the PostgreSQL tests (and Node.js for the web build) if missing, restores NuGet packages, builds, tests, and
# prints "N passed, N failed". The tests start their own throwaway PostgreSQL cluster in a temporary directory on a
# free port (LifeOs.Tests/TestSupport/PostgresServer.cs); LIFEOS_TEST_POSTGRES names an existing server instead.
set -uo pipefail
cd "$(dirname "$0")"

# Installs Debian packages: the install sometimes fails midway on these machines, and one retry fixes it.
apt_install() {
    local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    for attempt in 1 2; do
        if $sudo apt-get update -q >/dev/null && $sudo apt-get install -y -q "$@" >/dev/null; then return 0; fi
        echo "install of $* failed (attempt $attempt)"
        $sudo dpkg --configure -a >/dev/null 2>&1 || true
    done
    return 1
}

if ! command -v chromium >/dev/null 2>&1 && [ -z "${LIFEOS_CHROMIUM:-}" ]; then
    echo "Installing Debian's chromium for the browser tests..."
    apt_install chromium
    command -v chromium >/dev/null 2>&1 || { echo "Could not install chromium; set LIFEOS_CHROMIUM to a Chromium binary."; echo "0 passed, 1 failed"; exit 1; }
fi

# The tests make their own cluster, so the package's default one is not needed.
if [ -z "${LIFEOS_TEST_POSTGRES:-}" ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    echo "Installing Debian's postgresql for the PostgreSQL tests..."
    apt_install postgresql
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { echo "Could not install postgresql; set LIFEOS_TEST_POSTGRES to a server's connection string."; echo "0 passed, 1 failed"; exit 1; }
fi

# The web build runs `npm ci` for its browser libraries (ECharts); Node comes with these machines, but
# install Debian's if it ever does not.
if ! command -v npm >/dev/null 2>&1; then
    echo "Installing Node.js and npm for the web build..."
    apt_install nodejs npm
fi

log=$(mktemp)
dotnet test LifeOs.sln 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# dotnet test prints one "Passed!/Failed!  - Failed: n, Passed: n, ..." line per test assembly.
awk '/(Passed|Failed)! +- Failed:/ { gsub(",",""); for(i=1;i<=NF;i++){ if($i=="Failed:") f+=$(i+1); if($i=="Passed:") p+=$(i+1); if($i=="Skipped:") s+=$(i+1)} }
     END { if (p + f == 0) f = 1; printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit "$status"
