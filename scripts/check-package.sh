#!/bin/sh
# Installs the .deb that `make package` built, checks what it holds, runs the
# installed taxon-index and taxon-query on a small folder, builds a program
# against the installed library with pkg-config, then purges the package, so
# the machine ends as it began. Needs root (dpkg -i) and the package's runtime
# dependencies installed: they are wherever taxon was built, as the -dev
# packages depend on them.
# Usage: scripts/check-package.sh taxon_VERSION_ARCH.deb
set -eu

fail() { echo "check-package: $*" >&2; exit 1; }
if [ $# -ne 1 ] || [ ! -f "$1" ]; then
  echo "usage: scripts/check-package.sh PACKAGE.deb" >&2
  exit 2
fi
[ "$(id -u)" -eq 0 ] || { echo "check-package: needs root (dpkg -i)" >&2; exit 2; }
deb=$1
version=$(dpkg-deb -f "$deb" Version)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)

# Leave alone a machine that has taxon in /usr already: removing the package
# afterwards would take those files with it.
case "$(dpkg-query -W -f='${Status}' taxon 2>/dev/null || true)" in
  "" | *" not-installed") ;;
  *) fail "a taxon package is installed; remove it first (dpkg --purge taxon)" ;;
esac
for f in /usr/bin/taxon-index /usr/bin/taxon-query; do
  [ ! -e "$f" ] || fail "$f exists, not installed by a package; remove it first"
done

# What the package holds.
contents=$(dpkg-deb --contents "$deb")
for f in ./usr/bin/taxon-index ./usr/bin/taxon-query "./usr/lib/$multiarch/libtaxon.so" \
  ./usr/include/taxon/taxon.h "./usr/lib/$multiarch/pkgconfig/taxon.pc" \
  "./usr/lib/$multiarch/cmake/taxon/taxonConfig.cmake" ./usr/share/man/man1/taxon-index.1 \
  ./usr/share/man/man1/taxon-query.1 ./usr/share/doc/taxon/copyright \
  ./usr/share/bash-completion/completions/taxon-query ./usr/share/zsh/vendor-completions/_taxon \
  ./usr/share/fish/vendor_completions.d/taxon-query.fish; do
  echo "$contents" | grep -q " $f\( \|$\)" || fail "$deb does not hold $f"
done
depends=$(dpkg-deb -f "$deb" Depends)
for p in libxapian30 libicu72 libmd4c0 libyaml-cpp0.7 libtomlplusplus3; do
  echo "$depends" | grep -q "\b$p\b" || fail "Depends lacks $p: $depends"
done

work=$(mktemp -d)
cleanup() {
  dpkg --purge taxon >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
dpkg -i "$deb" >/dev/null || fail "dpkg -i $deb failed"

# The programs load the packaged library, found by the dynamic linker alone.
out=$(/usr/bin/taxon-query --version)
echo "$out" | grep -qF "$version" || fail "taxon-query --version printed: $out"
# (/lib is /usr/lib on Debian 12, and ld.so may name either.)
loaded=$(ldd /usr/bin/taxon-query | grep libtaxon || true)
echo "$loaded" | grep -Eq "=> (/usr)?/lib/$multiarch/libtaxon\.so\.[0-9.]+ " ||
  fail "taxon-query does not load the packaged libtaxon: ${loaded:-not linked}"

mkdir -p "$work/content/posts"
printf -- '---\ntitle: Orbits\n---\n# Orbits\n## 3. Objectives\n### 3.2 Debris Mitigation; cleanup\n' \
  >"$work/content/posts/orbits.md"
printf '# Ships\n## Hulls; plating\n' >"$work/content/ships.md"
/usr/bin/taxon-index --db "$work/.taxon" "$work/content" >/dev/null
out=$(/usr/bin/taxon-query --db "$work/.taxon" "debris cleanup")
echo "$out" | grep -q '^3\.2 Debris Mitigation ' || fail "taxon-query found: $out"
echo "$out" | grep -q 'Orbits › 3\. Objectives$' || fail "taxon-query found: $out"
echo "$out" | grep -q 'posts/orbits\.md:6$' || fail "taxon-query found: $out"

# A program built against the packaged library, as docs/library.md says.
[ "$(realpath "$(pkg-config --variable=prefix taxon)")" = /usr ] ||
  fail "taxon.pc: prefix $(pkg-config --variable=prefix taxon)"
# shellcheck disable=SC2046 # the flags are words
g++ -std=c++20 -o "$work/consumer" "$(dirname "$0")/../tests/find_package/consumer.cpp" \
  $(pkg-config --cflags --libs taxon)
out=$("$work/consumer" "$work/consumer-index")
echo "$out" | grep -qF "| 3.2 Debris Mitigation | Orbits > 3. Objectives |" ||
  fail "the program built with pkg-config printed: $out"

dpkg --purge taxon >/dev/null
if [ -e /usr/bin/taxon-query ] || [ -e "/usr/lib/$multiarch/libtaxon.so" ]; then
  fail "files left after dpkg --purge taxon"
fi
echo "check-package: $deb installs, indexes, searches and purges cleanly"
