#!/usr/bin/env bash
# Rebuild static/css/uswds-proficio.min.css from USWDS's Sass source (run from anywhere; needs npm).
# The packages are fetched into a temporary directory, so nothing from npm lands in the repository.
set -euo pipefail
USWDS=3.14.0 SASS=1.108.2
HERE=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
npm install --silent --no-save --no-audit --no-fund --prefix "$T" "@uswds/uswds@$USWDS" "sass@$SASS" >/dev/null
"$T/node_modules/.bin/sass" --no-source-map --style=compressed --quiet \
  --load-path="$T/node_modules/@uswds/uswds/packages" \
  "$HERE/uswds-proficio.scss" "$HERE/../uswds-proficio.min.css"
printf '/*! USWDS %s, the parts Proficio uses: static/css/source/ */\n' "$USWDS" | cat - "$HERE/../uswds-proficio.min.css" > "$T/out.css"
mv "$T/out.css" "$HERE/../uswds-proficio.min.css"
wc -c "$HERE/../uswds-proficio.min.css"
