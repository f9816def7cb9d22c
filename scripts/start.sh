#!/usr/bin/env bash
# Installs what is needed and starts the whole system with the demo data, on a fresh Debian
# machine with Node 20. Open http://localhost:${PORT:-3000}/ afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

# better-sqlite3 compiles from source here (its prebuilt binary is not reachable): it needs
# python3, make and a C++ compiler, which the full Node images have and slim ones lack.
if ! command -v make >/dev/null || ! command -v g++ >/dev/null || ! command -v python3 >/dev/null; then
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 make g++ >/dev/null
fi

# The batch print of a county's registration forms (登记表) into one PDF runs Debian's Chromium
# on the server (CHROMIUM_PATH, default /usr/bin/chromium), with a Chinese font for the forms.
# Without them everything else works, and the print page says what to install.
print_packages=()
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || print_packages+=(chromium)
[ -n "$(fc-list :lang=zh 2>/dev/null || true)" ] || print_packages+=(fonts-noto-cjk)
if [ ${#print_packages[@]} -gt 0 ]; then
	{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${print_packages[@]}" >/dev/null; } ||
		echo "warning: could not install ${print_packages[*]}: the batch print of registration forms needs them (apt-get install -y ${print_packages[*]})" >&2
fi

# `npm install` (not `npm ci`): see scripts/test-all.sh.
npm install --no-audit --no-fund
npm run build

export PORT="${PORT:-3000}"
export HOST="${HOST:-0.0.0.0}"
export ORIGIN="${ORIGIN:-http://localhost:$PORT}"
export DATA_DIR="${DATA_DIR:-./data}"
export SEED_DEMO="${SEED_DEMO:-1}"
export DEMO_PASSWORD="${DEMO_PASSWORD:-ordos-demo}"
export BODY_SIZE_LIMIT="${BODY_SIZE_LIMIT:-25M}"
mkdir -p "$DATA_DIR"

# The server accepts logins and changes only from pages opened at ORIGIN exactly: the same
# server opened as http://127.0.0.1:3000 while ORIGIN is http://localhost:3000 refuses them.
cat <<TXT

  Open this address, exactly:   $ORIGIN
  请在浏览器中打开（必须用这个地址）：$ORIGIN

  Opened under another address (127.0.0.1, a LAN address) the server refuses logins and
  changes. To serve tablets on the team's Wi-Fi, start it with that address as ORIGIN, e.g.
    ORIGIN=https://192.168.1.20 bash scripts/start.sh     (behind HTTPS: see README)
TXT
for ip in $(hostname -I 2>/dev/null); do
	case "$ip" in *:*) ;; *) echo "  this machine's LAN address: $ip" ;; esac
done
echo ""
echo "Starting on $ORIGIN (data in $DATA_DIR, demo data: $SEED_DEMO)"
exec node build
