#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100: the last release that runs on Node 20) into a cache
# outside git, the way it works on a machine without GitHub downloads. Prints the install dir.
# Idempotent: a finished install is marked and reused (CI keeps it between runs).
set -euo pipefail
VERSION=4.100.3
DIR="${SWITCHBOARD_CACHE:-$HOME/.cache/switchboard}/code-server-$VERSION"
if [ -f "$DIR/.complete" ]; then echo "$DIR"; exit 0; fi

# Debian packages: rg replaces @vscode/ripgrep's download; kerberos builds against libkrb5.
missing=()
command -v rg >/dev/null || missing+=(ripgrep)
[ -f /usr/include/krb5.h ] || [ -f /usr/include/krb5/krb5.h ] || missing+=(libkrb5-dev)
command -v chromium >/dev/null || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq "${missing[@]}" >&2
  else
    echo "install-code-server: missing ${missing[*]}: apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

rm -rf "$DIR" && mkdir -p "$DIR" && cd "$DIR"
log() { echo "install-code-server: $*" >&2; }
quiet() { "$@" --no-audit --no-fund --loglevel=error >&2; }
echo '{"name":"code-server-cache","private":true}' > package.json
log "npm install code-server@$VERSION (no scripts: its own would download from GitHub)"
quiet npm install --ignore-scripts "code-server@$VERSION"
cd node_modules/code-server/lib/vscode
log "VS Code's own dependencies"
quiet npm install --omit=dev --ignore-scripts
mkdir -p node_modules/@vscode/ripgrep/bin
cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
log "native modules"
npm_config_yes=true quiet npm rebuild @parcel/watcher @vscode/spdlog kerberos native-watchdog node-pty @vscode/deviceid
ln -sfn node_modules node_modules.asar
(cd extensions && quiet npm install --omit=dev --ignore-scripts)
cd "$DIR"
quiet npm rebuild argon2
touch "$DIR/.complete"
echo "$DIR"
