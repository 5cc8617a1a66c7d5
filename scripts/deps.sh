#!/bin/sh
# Installs the Debian packages taxon needs when they are missing.
# As root it runs apt-get itself; otherwise it prints the one line to run.
# Usage: scripts/deps.sh [build|bench|fuzz]...   (default: build)
set -eu

# xapian-tools: the tests serve shards with its xapian-tcpsrv.
pkgs="cmake make g++ pkg-config libxapian-dev libicu-dev libcli11-dev libboost-test-dev
libmd4c-dev libyaml-cpp-dev libtomlplusplus-dev nlohmann-json3-dev xapian-tools"
for extra in "$@"; do
  case "$extra" in
    build) ;;
    bench) pkgs="$pkgs libsqlite3-dev wamerican ripgrep time" ;;
    fuzz) pkgs="$pkgs clang libclang-rt-14-dev" ;;
    *) echo "deps.sh: unknown group '$extra'" >&2; exit 2 ;;
  esac
done

missing=""
for p in $pkgs; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  case "$status" in
    *"install ok installed"*) ;;
    *) missing="$missing $p" ;;
  esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  echo "Installing:$missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >&2
else
  echo "taxon needs these Debian packages; run:" >&2
  echo "  sudo apt-get install -y$missing" >&2
  exit 1
fi
