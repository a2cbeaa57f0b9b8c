#!/bin/sh
# Installs what the project needs and is missing; does nothing when all is there.
# Debian packages with apt-get when run as root, otherwise prints the command to run.
#   tools/deps.sh        what building, running and `make test` need
#   tools/deps.sh pg     and what `make test-pg` needs: a PostgreSQL server, nginx, psql
#   tools/deps.sh deb    what `make deb` needs to build the Debian package (debhelper, lintian)
#   tools/deps.sh deb-test  and what `make test-deb` needs: nginx, systemd-analyze, openssl
set -eu

PACKAGES="gcc make pkg-config libmicrohttpd-dev libjansson-dev libsqlite3-dev libsodium-dev libcsv-dev
libcmocka-dev libpq-dev libcurl4-openssl-dev sqlite3 nodejs npm ca-certificates curl chromium fonts-wqy-microhei
clang libclang-rt-14-dev faketime python3-lunardate libxlsxwriter-dev python3-openpyxl"
case "${1:-}" in
pg) PACKAGES="$PACKAGES postgresql postgresql-client nginx" ;;
deb) PACKAGES="$PACKAGES build-essential debhelper dpkg-dev fakeroot lintian" ;;
deb-test) PACKAGES="$PACKAGES build-essential debhelper dpkg-dev fakeroot lintian nginx systemd openssl python3" ;;
esac

missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || {
		# node and npm may come from elsewhere than Debian (a newer Node.js): accept them on PATH.
		case $p in
		nodejs) command -v node >/dev/null 2>&1 && continue ;;
		npm) command -v npm >/dev/null 2>&1 && continue ;;
		esac
		missing="$missing $p"
	}
done

if [ -n "$missing" ]; then
	if [ "$(id -u)" = 0 ]; then
		echo "deps: installing Debian packages:$missing"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		apt-get install -y -qq --no-install-recommends $missing
	else
		echo "deps: missing Debian packages:$missing" >&2
		echo "deps: run as root:  apt-get install -y$missing" >&2
		exit 1
	fi
fi

# npm packages for the web UI and the browser tests (package.json); only when changed.
if [ -f package.json ]; then
	if [ ! -d node_modules ] || [ package.json -nt node_modules/.install-stamp ] ||
	   { [ -f package-lock.json ] && [ package-lock.json -nt node_modules/.install-stamp ]; }; then
		echo "deps: installing npm packages"
		if [ -f package-lock.json ]; then
			npm ci --no-audit --no-fund --loglevel=error
		else
			npm install --no-audit --no-fund --loglevel=error
		fi
		touch node_modules/.install-stamp
	fi
fi
