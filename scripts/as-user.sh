#!/bin/sh
# Runs a make target as an unprivileged user, so the suite also runs the
# way most people run it: files a test makes unreadable are unreadable, and
# nothing works only because root may write anywhere.
# As root: creates the user taxon-ci if it is missing, copies the tracked
# files of this checkout into a folder it owns, and runs the target there.
# As any other user: runs the target here.
# Usage: scripts/as-user.sh TARGET [VAR=VALUE]...
set -eu
cd "$(dirname "$0")/.."
if [ "$(id -u)" -ne 0 ]; then
  exec make "$@"
fi
user=taxon-ci
id -u "$user" >/dev/null 2>&1 || useradd --create-home --shell /bin/sh "$user"
# What the target needs of root (Debian packages) is installed first.
scripts/deps.sh build browser
home=$(getent passwd "$user" | cut -d: -f6)
copy=$home/taxon
rm -rf "$copy"
mkdir -p "$copy"
git ls-files -z | xargs -0 cp --parents -t "$copy"
chown -R "$user:" "$copy"
exec runuser -u "$user" -- make -C "$copy" "$@"
