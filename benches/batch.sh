#!/usr/bin/env bash
# Folder throughput: a folder of 8 generated bundles, analyzed with --jobs 1 and --jobs 2, interleaved,
# medians and the paired ratio (issue 6: at least 1.7x). With --jobs 1, podmortem reads, scans and hashes
# each bundle on one thread (about one core); with more jobs each bundle also gets its pipeline threads.
# Where `taskset` exists, --jobs 2 pinned to one core is timed too: what the pipeline costs without a
# second core to run on.
#
#   [PODMORTEM=binary] benches/batch.sh [--bundles N] [--mb N] [--runs N] [--no-build]
set -euo pipefail
# now, elapsed, median, ratio
. "$(dirname "$0")/timing.sh"
cd "$(dirname "$0")/.."

BUNDLES=8
MB=40
RUNS=3
BUILD=1
while [ $# -gt 0 ]; do
    case "$1" in
        --bundles) BUNDLES="$2"; shift 2 ;;
        --mb) MB="$2"; shift 2 ;;
        --runs) RUNS="$2"; shift 2 ;;
        --no-build) BUILD=0; shift ;;
        *) echo "usage: benches/batch.sh [--bundles N] [--mb N] [--runs N] [--no-build]" >&2; exit 2 ;;
    esac
done

die() { echo "batch.sh: FAIL: $*" >&2; exit 1; }

if [ "$BUILD" = 1 ] && [ -z "${PODMORTEM:-}" ]; then
    cargo build --release --quiet
fi
PM="${PODMORTEM:-target/release/podmortem}"
[ -x "$PM" ] || die "no binary at $PM (build it, or set PODMORTEM)"

WORK="${PODMORTEM_BENCH_DIR:-/tmp/podmortem-bench}/batch-${BUNDLES}x${MB}mb"
mkdir -p "$WORK/in"
for i in $(seq 1 "$BUNDLES"); do
    b="$WORK/in/bundle-$i.tar.gz"
    if [ ! -s "$b" ] || [ benches/gen_bundle.py -nt "$b" ]; then
        echo "== generating $b (--mb $MB --seed $i)"
        python3 benches/gen_bundle.py --mb "$MB" --seed "$i" -o "$b.tmp" > /dev/null
        mv "$b.tmp" "$b"
    fi
done


# One timed batch; every bundle must have its report and the expected finding.
run_batch() {
    local out="$WORK/out-$1" jobs="$2"
    shift 2
    rm -rf "$out"
    local t0 t1
    t0=$(now)
    "$@" analyze "$WORK/in" -o "$out" --jobs "$jobs" --force -q > /dev/null 2>&1 || die "batch run failed: $*"
    t1=$(now)
    local reports
    reports=$(find "$out" -name report.json | wc -l)
    [ "$reports" = "$BUNDLES" ] || die "$reports reports for $BUNDLES bundles"
    grep -q nfs-client-helper-missing "$out/summary.csv" || die "the buried failure is missing from summary.csv"
    elapsed "$t0" "$t1"
}

PIN=()
if command -v taskset > /dev/null; then PIN=(taskset -c 0); fi

echo "== $BUNDLES bundles of about $MB MB in $WORK/in, $RUNS runs, $(nproc) cores"
J1=(); J2=(); P2=(); R12=()
for r in $(seq 1 "$RUNS"); do
    a=$(run_batch j1 1 "$PM")
    b=$(run_batch j2 2 "$PM")
    line="run $r: --jobs 1 ${a}s  --jobs 2 ${b}s"
    J1+=("$a"); J2+=("$b"); R12+=("$(ratio "$a" "$b")")
    if [ ${#PIN[@]} -gt 0 ]; then
        c=$(run_batch p2 2 "${PIN[@]}" "$PM")
        P2+=("$c")
        line="$line  --jobs 2 on one core ${c}s"
    fi
    echo "$line"
done
echo
echo "== medians of $RUNS runs ($(date +%F), $(nproc) cores, $(uname -m))"
echo "--jobs 1:              $(median "${J1[@]}")s"
echo "--jobs 2:              $(median "${J2[@]}")s"
if [ ${#PIN[@]} -gt 0 ]; then
    echo "--jobs 2, one core:    $(median "${P2[@]}")s"
fi
echo "speed-up, 2 jobs / 1 job: $(median "${R12[@]}") (median of paired runs); target >= 1.7"
