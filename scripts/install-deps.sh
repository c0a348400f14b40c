#!/usr/bin/env bash
# Installs the Debian 12 packages SyncDesk needs to build, run and test. Idempotent: when every
# package is present it does nothing (no network needed).
set -euo pipefail

packages=(
    build-essential cmake ninja-build pkg-config git
    qt6-base-dev qt6-base-dev-tools libqt6sql6-psql qt6-httpserver-dev qt6-websockets-dev
    qt6-charts-dev qt6-svg-dev libqt6svg6 qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
    qt6-qpa-plugins libgl-dev libqt6opengl6-dev
    libpq-dev libjwt-dev libssl-dev libyaml-cpp-dev libnats-dev nats-server openssl
    postgresql postgresql-client
    clang-14 libfuzzer-14-dev llvm-14
)

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
fi
echo "Installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
