#!/usr/bin/env bash
# Set up (idempotent) and run the main job on sample calls:
#   build sample calls (real human digits + synthetic speech) -> redact them -> store the
#   redacted audio, transcript and report encrypted in a local S3 server (SeaweedFS).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export REDACTOR_HOME="${REDACTOR_HOME:-$PWD/var}"
R=.venv/bin/redactor
samples="$REDACTOR_HOME/samples"
out="$REDACTOR_HOME/redacted"
rm -rf "$out"
echo "== building sample calls in $samples"
$R samples --out "$samples"
echo "== redacting"
shopt -s nullglob
inputs=()
for f in "$samples"/*; do
    case "$f" in *.json) ;; *) inputs+=("$f") ;; esac
done
$R redact "${inputs[@]}" -o "$out"
echo "== storing the redacted recordings encrypted in a local S3 server"
$R s3 start
trap '$R s3 stop >/dev/null 2>&1 || true' EXIT
$R vault init
for f in "$out"/*.report.json; do
    audio="${f%.report.json}"
    id="demo-$(basename "${audio%.*}")"
    $R vault put "$id" audio "$audio" >/dev/null
    $R vault put "$id" report "$f" >/dev/null
    echo "stored $id"
done
$R vault keys
echo
echo "Done. Listen to the redacted calls in $out (reports beside them: *.report.json)."
