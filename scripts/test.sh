#!/usr/bin/env bash
# `npm test`: everything, in order: Debian packages the real test servers need, lint, type-check against
# Electron's real types, build, electron-builder config check, then unit, integration (real servers on
# loopback) and e2e (the built renderer in Chromium) tests in one vitest run.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian package -> a file it installs that the tests use (a glob where the path holds a version).
declare -A needed=(
  [chromium]=/usr/bin/chromium
  [dbus]=/usr/bin/dbus-daemon
  [gnome-keyring]=/usr/bin/gnome-keyring-daemon
  [libsecret-1-0]=/usr/lib/x86_64-linux-gnu/libsecret-1.so.0
  [libsecret-tools]=/usr/bin/secret-tool
  [dovecot-core]=/usr/sbin/dovecot
  [dovecot-imapd]=/usr/lib/dovecot/imap
  [dovecot-submissiond]=/usr/lib/dovecot/submission
  [openssl]=/usr/bin/openssl
  [fonts-dejavu-core]=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
  # Debian installs PostgreSQL majors side by side, off PATH: /usr/lib/postgresql/15/bin on Debian 12.
  [postgresql]='/usr/lib/postgresql/*/bin/postgres'
)
if [ "$(uname -m)" != x86_64 ]; then needed[libsecret-1-0]=/usr/share/doc/libsecret-1-0; fi
missing=()
for package in "${!needed[@]}"; do
  compgen -G "${needed[$package]}" >/dev/null || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian packages the tests need: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "The tests need these Debian packages, which are missing: ${missing[*]}" >&2
    echo "Install them with: sudo apt-get install --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 22 ]; then
  echo "The tests need Node 22 or newer (found $(node --version)). Run them through npm (npm test), which puts the project's Node 22 first on PATH." >&2
  exit 1
fi

step() { printf '\n== %s\n' "$1"; }
step "lint";                 npx eslint --max-warnings 0 .
step "type-check";           npm run --silent typecheck
step "build";                npx electron-vite build
step "electron-builder.yml"; node scripts/validate-builder-config.mjs
step "tests";                npx vitest run "$@"
