#!/usr/bin/env bash
# Set up everything the kiosk and its tests need on a fresh Debian machine with Python 3.11:
# Debian packages (only those missing), then a virtualenv in .venv from pyproject.toml.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  python3-venv           # python3 -m venv on Debian
  xvfb xauth             # a virtual screen for window-level tests and headless runs
  libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxkbcommon-x11-0  # Qt's xcb platform plugin
  libegl1 libgl1 libfontconfig1 libdbus-1-3
  fonts-dejavu-core      # the Latin and Cyrillic UI font (CJK comes with the project)
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup: installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'
echo "setup: ready (.venv)"
