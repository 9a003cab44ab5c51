#!/usr/bin/env bash
# After changing user-visible strings: extract them from the code and merge them
# into every catalog; then translate what is new (empty or "fuzzy") in the .po
# files. tests/unit/test_translations.py fails while any string lacks Spanish.
set -euo pipefail
cd "$(dirname "$0")/.."
pybabel=${PYBABEL:-.venv/bin/pybabel}
locale=mutualaid_desktop/resources/locale
template=$(mktemp --suffix=.pot)
trap 'rm -f "$template"' EXIT
"$pybabel" -q extract -F babel.cfg -k N_ -k ngettext:1,2 --no-location --sort-output \
  --project "Mutual Aid Desktop" -o "$template" .
"$pybabel" -q update -D mutualaid -i "$template" -d "$locale" --width 100 \
  --ignore-obsolete
grep -c '^msgid' "$locale"/*/LC_MESSAGES/mutualaid.po
