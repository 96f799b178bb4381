#!/usr/bin/env bash
# Compare what two podmortem binaries write, byte for byte: every report format
# (and standard error and the exit code) for the samples, the public eval cases
# (tarball and directory) and the real bundles. For refactors that must not
# change behaviour.
#
#   tests/compare_reports.sh OLD_BINARY NEW_BINARY
#
# Prints each difference and exits 1 if there is any; 0 when all are identical.
set -uo pipefail
[ $# -eq 2 ] || { sed -n '2,9p' "$0"; exit 2; }
OLD=$1; NEW=$2
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SHARED="$ROOT/../shared"
WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
inputs=()
for x in "$ROOT"/samples/*; do
    case "$(basename "$x")" in README.md|generate.py) ;; *) inputs+=("$x") ;; esac
done
for c in "$SHARED"/eval/pub*; do [ -d "$c" ] && inputs+=("$c/bundle" "$c/bundle.tar.gz"); done
if [ -d "$SHARED/real-bundles" ]; then
    while IFS= read -r b; do inputs+=("$b"); done < <(
        find "$SHARED/real-bundles" -maxdepth 2 \( -name '*.tar*' -o -name bundle \) | sort)
fi
run() { # BINARY OUTDIR
    mkdir -p "$2"
    for i in "${inputs[@]}"; do
        name=$(echo "${i#"$ROOT"/../}" | tr '/' '_')
        for f in json md html; do
            "$1" analyze "$i" --format $f -o - >"$2/$name.$f" 2>"$2/$name.$f.err"
            echo "exit $?" >>"$2/$name.$f.err"
        done
    done
}
run "$OLD" "$WORK/old"; run "$NEW" "$WORK/new"
if diff -r "$WORK/old" "$WORK/new"; then
    echo "identical: ${#inputs[@]} inputs x 3 formats"
else
    exit 1
fi
