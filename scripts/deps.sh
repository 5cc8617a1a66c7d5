#!/bin/sh
# Installs the Debian packages taxon needs when they are missing.
# As root it runs apt-get itself; otherwise it prints the one line to run.
# Usage: scripts/deps.sh [build|browser|bench|fuzz|tidy|package]...   (default: build)
set -eu

# xapian-tools: the tests serve shards with its xapian-tcpsrv.
pkgs="cmake make g++ pkg-config libxapian-dev libicu-dev libcli11-dev libboost-test-dev
libmd4c-dev libyaml-cpp-dev libtomlplusplus-dev nlohmann-json3-dev libcpp-httplib-dev xapian-tools"
for extra in "$@"; do
  case "$extra" in
    build) ;;
    # The search page's test drives headless Chromium through its DevTools
    # protocol; the Hugo partial's test renders it with hugo.
    browser) pkgs="$pkgs chromium python3 python3-websocket hugo" ;;
    bench) pkgs="$pkgs libsqlite3-dev wamerican ripgrep time python3" ;;
    fuzz) pkgs="$pkgs clang libclang-rt-14-dev" ;;
    tidy) pkgs="$pkgs clang-tidy" ;;
    package) pkgs="$pkgs dpkg-dev file" ;;
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
