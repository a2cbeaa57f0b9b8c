#!/bin/sh
# Builds the Debian package (debian/) with dpkg-buildpackage in a copy of the checkout under build/deb/, so
# the checkout's own build/ and ./yuanluo are left alone, then runs lintian on the result.
#   tools/deb-build.sh                the version of debian/changelog
#   DEB_VERSION=0.1.1 tools/deb-build.sh   the same source as version 0.1.1 (a changelog entry is added
#                                     to the copy only: the upgrade test)
#   DEB_EXTRA_MIGRATION=FILE.sql      and FILE.sql added to the copy's migrations (the upgrade test's
#                                     schema change)
# Needs web/vendor/ filled (make web) and the build dependencies (tools/deps.sh deb); `make deb` does both.
# Prints the .deb's path last.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)

[ -f web/vendor/echarts.esm.min.js ] || { echo "deb-build: web/vendor/ is empty: run make web" >&2; exit 1; }
base=$(dpkg-parsechangelog -S Version)
version=${DEB_VERSION:-$base}
out=build/deb/$version
src=$out/yuanluo-$version
rm -rf "$out"
mkdir -p "$src"

# The tracked files and the untracked ones not ignored (work not yet committed), and the vendored npm files.
{
	git ls-files -co --exclude-standard
	ls web/vendor/*
} | while read -r f; do [ -f "$f" ] && printf '%s\n' "$f"; done | tar -cf - -T - | tar -xf - -C "$src"

# The unminified form of the vendored chart library, for the source package (Debian's missing-sources).
mkdir -p "$src/debian/missing-sources"
cp -p node_modules/echarts/dist/echarts.esm.js "$src/debian/missing-sources/echarts.esm.js"

if [ -n "${DEB_EXTRA_MIGRATION:-}" ]; then
	cp "$DEB_EXTRA_MIGRATION" "$src/src/store/schema/"
fi

if [ "$version" != "$base" ]; then
	{
		printf 'yuanluo (%s) bookworm; urgency=medium\n\n  * Rebuilt as %s.\n\n' "$version" "$version"
		printf ' -- %s  %s\n\n' "$(dpkg-parsechangelog -S Maintainer)" "$(date -R)"
		cat debian/changelog
	} >"$src/debian/changelog"
fi

echo "deb-build: dpkg-buildpackage -us -uc in $src"
(cd "$src" && dpkg-buildpackage -us -uc >"$top/$out/build.log" 2>&1) || {
	tail -n 40 "$out/build.log" >&2
	echo "deb-build: dpkg-buildpackage failed; the whole log is $out/build.log" >&2
	exit 1
}
deb=$(ls "$out"/yuanluo_"$version"_*.deb)
changes=$(ls "$out"/yuanluo_"$version"_*.changes)
echo "deb-build: lintian $changes"
lintian --display-info --pedantic "$changes" | tee "$out/lintian.txt" || true
echo "deb-build: lintian: $(grep -c '^[EWIP]:' "$out/lintian.txt" || true) tags (overridden ones not shown; $out/lintian.txt)"
echo "$deb"
