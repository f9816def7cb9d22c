#!/usr/bin/env bash
# Installs what the checks need on a fresh Debian machine with Node 20 (Chromium from Debian,
# the npm packages) and runs every check and test. Every step runs even when an earlier one
# fails; the script exits non-zero if any step failed.
set -u
cd "$(dirname "$0")/.."

passed=0
failed=0
failures=()

step() {
	local name=$1
	shift
	printf '\n===== %s =====\n' "$name"
	local start=$SECONDS
	if "$@"; then
		passed=$((passed + 1))
		printf -- '----- %s: ok (%ss)\n' "$name" $((SECONDS - start))
	else
		failed=$((failed + 1))
		failures+=("$name")
		printf -- '----- %s: FAILED (%ss)\n' "$name" $((SECONDS - start))
	fi
}

install_chromium() {
	if [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
		echo "chromium present: $("${CHROMIUM_PATH:-/usr/bin/chromium}" --version 2>/dev/null)"
		return 0
	fi
	if [ "$(id -u)" != 0 ]; then
		echo "Chromium is missing and this is not root: run 'sudo apt-get install -y chromium'" >&2
		return 1
	fi
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
}

# GDAL's command-line tools (ogrinfo, ogr2ogr, gdalsrsinfo) and unzip: the registry downloads'
# API test reads every export with them, as a GIS user's tools would (issue 13 point 5).
install_gdal() {
	if command -v ogrinfo >/dev/null && command -v ogr2ogr >/dev/null && command -v unzip >/dev/null; then
		echo "GDAL present: $(ogrinfo --version)"
		return 0
	fi
	if [ "$(id -u)" != 0 ]; then
		echo "GDAL is missing and this is not root: run 'sudo apt-get install -y gdal-bin unzip'" >&2
		return 1
	fi
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gdal-bin unzip >/dev/null
}

# better-sqlite3 compiles from source here (its prebuilt binary is not reachable): it needs
# python3, make and a C++ compiler, which the full Node images have and slim ones lack.
build_tools() {
	if command -v make >/dev/null && command -v g++ >/dev/null && command -v python3 >/dev/null; then
		echo "build tools present"
		return 0
	fi
	if [ "$(id -u)" != 0 ]; then
		echo "python3, make and g++ are missing and this is not root: install them" >&2
		return 1
	fi
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 make g++ >/dev/null
}

# The API and data-layer tests run a second time on PostgreSQL 15 (Debian's), in a throw-away
# cluster on a temporary directory, owned by the postgres user when this runs as root.
on_postgres() {
	local dir status
	dir=$(mktemp -d /tmp/survey-pg.XXXXXX)
	local url
	url=$(bash scripts/pg-cluster.sh start "$dir") || { rm -rf "$dir"; return 1; }
	echo "PostgreSQL cluster: $url"
	# both run, whatever the first answers
	TEST_PG_URL=$url npx vitest run tests/unit/server/data-layer.test.ts
	status=$?
	TEST_PG_URL=$url npm run test:api || status=1
	bash scripts/pg-cluster.sh stop "$dir"
	return $status
}

step "install Chromium (Debian)" install_chromium
step "install PostgreSQL (Debian)" bash scripts/pg-cluster.sh install
step "install GDAL (Debian)" install_gdal
step "install build tools (for better-sqlite3)" build_tools
# `npm install`, not `npm ci`: the lock cannot list @lix-js/sdk's optional builds for other
# platforms (the registry here does not serve them), so `npm ci` refuses the lock; `npm install`
# installs exactly the locked versions and leaves the lock unchanged.
step "install npm packages" npm install --no-audit --no-fund
step "lint (prettier + eslint)" npm run lint
step "type-check (svelte-check)" npm run check
step "unit tests (vitest)" npm run test:unit
step "browser tests (vitest in Chromium)" npm run test:browser
step "build (production)" npm run build
step "API tests (real server process, SQLite)" npm run test:api
step "API tests (real server process, PostgreSQL)" on_postgres
step "e2e tests (playwright, production build)" npm run test:e2e

printf '\n===== summary =====\n'
for f in "${failures[@]+"${failures[@]}"}"; do echo "failed step: $f"; done
echo "steps: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
