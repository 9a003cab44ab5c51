#!/usr/bin/env bash
# The one-folder build: makes dist/mutualaid/mutualaid (the program and all it needs),
# then starts it to check that it runs, prints and shows its window.
#   packaging/build.sh            build and check
#   packaging/build.sh --no-check build only
set -euo pipefail
cd "$(dirname "$0")/.."

# A build venv of its own, with a regular (not editable) install, as a user's.
python3 -m venv .venv-build
.venv-build/bin/pip install -q --upgrade pip
.venv-build/bin/pip install -q '.[freeze]'
.venv-build/bin/pyinstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/mutualaid.spec

program=dist/mutualaid/mutualaid
[ -x "$program" ] || program=dist/mutualaid/mutualaid.exe
echo "Built $program: $(du -sh dist/mutualaid | cut -f1)"
if command -v objdump >/dev/null && [ "$(uname)" = Linux ]; then
  # The newest C library any file in the folder asks for is the oldest Linux it runs on.
  glibc=$(find dist/mutualaid -type f \( -name '*.so*' -o -name mutualaid \) -print0 \
    | xargs -0 objdump -T 2>/dev/null | grep -o 'GLIBC_[0-9.]*' | sort -u -V | tail -1)
  echo "Needs ${glibc/_/ } or newer (the C library of the machine it was built on)."
fi
[ "${1:-}" = "--no-check" ] && exit 0

# Check the frozen program as a user would use it, away from the checkout.
check=$(mktemp -d)
trap 'rm -rf "$check"' EXIT
export MUTUALAID_HOME="$check/home"
(cd "$check" && "$OLDPWD/$program" --version)
# An encrypted database (SQLCipher inside the build) prints; a plain one opens the
# window without a passphrase prompt.
printf 'lantern quiet mango harbor violet seventy\n' >"$check/passphrase"
(cd "$check" && "$OLDPWD/$program" demo --db "$check/secret.sqlite" --households 30 \
  --passphrase-file "$check/passphrase" >/dev/null)
(cd "$check" && "$OLDPWD/$program" demo --db "$check/demo.sqlite" --households 30 \
  --no-encryption >/dev/null)
day=$(date -d tomorrow +%F 2>/dev/null || date -v+1d +%F)
(cd "$check" && "$OLDPWD/$program" print routes --db "$check/secret.sqlite" --date "$day" \
  --passphrase-file "$check/passphrase" --out "$check/routes.pdf")
head -c 5 "$check/routes.pdf" | grep -q '%PDF-' || { echo "no PDF printed" >&2; exit 1; }
# The window: it must still be running after a few seconds (a crash ends it sooner).
QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen} "$program" "$check/demo.sqlite" &
pid=$!
sleep 6
if ! kill -0 "$pid" 2>/dev/null; then
  wait "$pid" || true
  echo "the window did not stay up" >&2
  exit 1
fi
kill "$pid"
echo "Checked: --version, demo (encrypted and plain), a route sheet printed from the encrypted one, the window starts."
