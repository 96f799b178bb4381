#!/usr/bin/env bash
# Throughput bench of podmortem's hot path (inflate + tar + prefilter + regex) against gzip -dc and,
# when installed, ripgrep with the pack's own signal regexes. See benches/README.md.
#
#   [PODMORTEM=binary] benches/bench.sh [--mb N] [--runs N] [--bundle PATH] [--no-build]
#
# Needs: cargo, python3 (>= 3.11 for tomllib), gzip, GNU date. Optional: rg, /usr/bin/time (GNU).
set -euo pipefail
# now, elapsed, median, ratio
. "$(dirname "$0")/timing.sh"

MB=500
RUNS=5
BUNDLE=""
BUILD=1
while [ $# -gt 0 ]; do
    case "$1" in
        --mb) MB="$2"; shift 2 ;;
        --runs) RUNS="$2"; shift 2 ;;
        --bundle) BUNDLE="$2"; shift 2 ;;
        --no-build) BUILD=0; shift ;;
        -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
        *) echo "bench.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PM="${PODMORTEM:-$ROOT/target/release/podmortem}"   # PODMORTEM=path: time another build
WORK="${PODMORTEM_BENCH_DIR:-${TMPDIR:-/tmp}/podmortem-bench}"
mkdir -p "$WORK"

die() { echo "bench.sh: FAIL: $*" >&2; exit 1; }

if [ "$BUILD" = 1 ]; then
    echo "== cargo build --release"
    cargo build --release --quiet
fi
[ -x "$PM" ] || die "$PM not built"

# ---------------------------------------------------------------- bundle
if [ -z "$BUNDLE" ]; then
    BUNDLE="$WORK/bench-${MB}mb.tar.gz"
    if [ ! -s "$BUNDLE" ] || [ ! -s "$BUNDLE.node" ] || [ "$BUNDLE" -ot benches/gen_bundle.py ]; then
        echo "== generating $BUNDLE (python3 benches/gen_bundle.py --mb $MB)"
        python3 benches/gen_bundle.py --mb "$MB" -o "$BUNDLE.tmp" > "$BUNDLE.node.tmp"
        mv "$BUNDLE.tmp" "$BUNDLE"
        mv "$BUNDLE.node.tmp" "$BUNDLE.node"
    fi
    NODE="$(cat "$BUNDLE.node")"
else
    NODE="${EXPECT_NODE:-}"   # a bundle of your own: set EXPECT_NODE to check the finding's node
fi
if [ ! -s "$BUNDLE.bytes" ] || [ "$BUNDLE.bytes" -ot "$BUNDLE" ]; then
    gzip -dc "$BUNDLE" | wc -c | tr -d ' ' > "$BUNDLE.bytes"
fi
RAW_BYTES="$(cat "$BUNDLE.bytes")"
GZ_BYTES="$(wc -c < "$BUNDLE" | tr -d ' ')"

# ---------------------------------------------------------------- peers
PATTERNS="$WORK/patterns.txt"
python3 - "$PATTERNS" rules/*.toml <<'EOF'
import re, sys, tomllib
# rg joins the patterns into one regex: named groups would clash, so they become plain groups
out = []
for path in sys.argv[2:]:
    with open(path, "rb") as f:
        for s in tomllib.load(f).get("signal", []):
            out.append(re.sub(r"\(\?P<[A-Za-z_][A-Za-z0-9_]*>", "(?:", s["regex"]).replace("\n", " "))
with open(sys.argv[1], "w") as f:
    f.write("\n".join(out) + "\n")
EOF
NPAT="$(wc -l < "$PATTERNS" | tr -d ' ')"
HAVE_RG=0
if command -v rg > /dev/null 2>&1; then
    HAVE_RG=1
else
    echo "== rg not installed: the ripgrep comparison is skipped (cargo install ripgrep)"
fi

# ---------------------------------------------------------------- timing helpers

OUT="$WORK/report.json"
check_report() {
    python3 - "$OUT" "$NODE" <<'EOF' || die "podmortem did not report nfs-client-helper-missing (confirmed) on ${NODE:-the failing node}; report: $OUT"
import json, sys
report = json.load(open(sys.argv[1]))
node = sys.argv[2]
hits = [f for f in report["findings"] if f["rule"] == "nfs-client-helper-missing"]
assert hits, "no nfs-client-helper-missing finding"
f = hits[0]
assert f["confidence"] == "confirmed", f["confidence"]
nodes = f["affected"]["nodes"]
assert not node or nodes == [node], f"on {nodes}, expected [{node}]"
EOF
}

run_pm() {
    local t0 t1 rc=0
    t0=$(now)
    "$PM" analyze "$BUNDLE" --format json -o - > "$OUT" || rc=$?
    t1=$(now)
    [ "$rc" -le 1 ] || die "podmortem exited with $rc"
    check_report
    elapsed "$t0" "$t1"
}
run_pm_plain() {
    # The same analysis without the unrecognized-error clustering: its cost is the difference.
    local t0 t1 rc=0
    t0=$(now)
    "$PM" analyze "$BUNDLE" --no-unrecognized --format json -o - > /dev/null || rc=$?
    t1=$(now)
    [ "$rc" -le 1 ] || die "podmortem exited with $rc"
    elapsed "$t0" "$t1"
}
run_gzip() {
    local t0 t1
    t0=$(now)
    gzip -dc "$BUNDLE" > /dev/null
    t1=$(now)
    elapsed "$t0" "$t1"
}
run_rg() {
    local t0 t1 rc=0
    t0=$(now)
    rg -z -c -f "$PATTERNS" "$BUNDLE" > /dev/null || rc=$?
    t1=$(now)
    [ "$rc" -le 1 ] || die "rg exited with $rc"
    elapsed "$t0" "$t1"
}

mbs() { awk -v n="$RAW_BYTES" -v s="$1" 'BEGIN { printf "%.0f", n / 1e6 / s }'; }

echo "== bundle $BUNDLE: $(awk -v n="$RAW_BYTES" 'BEGIN { printf "%.1f", n / 1e6 }') MB uncompressed tar," \
     "$(awk -v n="$GZ_BYTES" 'BEGIN { printf "%.1f", n / 1e6 }') MB gzip; failure expected on ${NODE:-?}"
echo "== $NPAT signal regexes from rules/*.toml in $PATTERNS"
echo "== warm-up (page cache, and the report check)"
run_pm > /dev/null
run_gzip > /dev/null
[ "$HAVE_RG" = 0 ] || run_rg > /dev/null

PM_T=(); GZ_T=(); RG_T=(); R_GZ=(); R_RG=(); NU_T=(); R_NU=()
for i in $(seq 1 "$RUNS"); do
    # interleaved, with the order flipped every run so slow drift of the VM cancels in the pair ratios
    if [ $((i % 2)) = 1 ]; then
        p=$(run_pm); u=$(run_pm_plain); g=$(run_gzip); r=""; [ "$HAVE_RG" = 0 ] || r=$(run_rg)
    else
        r=""; [ "$HAVE_RG" = 0 ] || r=$(run_rg); g=$(run_gzip); u=$(run_pm_plain); p=$(run_pm)
    fi
    PM_T+=("$p"); GZ_T+=("$g"); R_GZ+=("$(ratio "$p" "$g")"); NU_T+=("$u"); R_NU+=("$(ratio "$p" "$u")")
    line="run $i: podmortem ${p}s  (--no-unrecognized ${u}s)  gzip -dc ${g}s"
    if [ -n "$r" ]; then RG_T+=("$r"); R_RG+=("$(ratio "$p" "$r")"); line="$line  rg -z ${r}s"; fi
    echo "$line"
done

# peak RSS: one more run, untimed
RSS_KB=""
if /usr/bin/time -f %M true > /dev/null 2>&1; then
    RSS_KB=$( { /usr/bin/time -f %M "$PM" analyze "$BUNDLE" --format json -o - > /dev/null; } 2>&1 | tail -n 1)
    RSS_HOW="/usr/bin/time"
else
    "$PM" analyze "$BUNDLE" --format json -o - > /dev/null &
    pid=$!
    while kill -0 "$pid" 2> /dev/null; do
        v=$(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status" 2> /dev/null || true)
        [ -z "$v" ] || RSS_KB="$v"
        sleep 0.05
    done
    wait "$pid" || true
    RSS_HOW="/proc VmHWM polling (a lower bound)"
fi

pm=$(median "${PM_T[@]}"); gz=$(median "${GZ_T[@]}")
echo
echo "== medians of $RUNS runs ($(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m))"
printf '%-48s %8ss %7s MB/s\n' "podmortem analyze --format json -o -" "$pm" "$(mbs "$pm")"
printf '%-48s %8ss %7s MB/s\n' "gzip -dc > /dev/null" "$gz" "$(mbs "$gz")"
if [ "$HAVE_RG" = 1 ]; then
    rgm=$(median "${RG_T[@]}")
    printf '%-48s %8ss %7s MB/s\n' "rg -z -c -f patterns.txt ($NPAT regexes)" "$rgm" "$(mbs "$rgm")"
fi
echo
nu=$(median "${NU_T[@]}")
printf '%-48s %8ss %7s MB/s\n' "podmortem analyze --no-unrecognized" "$nu" "$(mbs "$nu")"
echo "clustering cost:     $(median "${R_NU[@]}") (median of paired podmortem / --no-unrecognized); target <= 1.10"
echo "podmortem/gzip wall: $(ratio "$pm" "$gz") (ratio of medians), $(median "${R_GZ[@]}") (median of paired runs); target <= 0.55"
if [ "$HAVE_RG" = 1 ]; then
    echo "podmortem/rg wall:   $(ratio "$pm" "$rgm") (ratio of medians), $(median "${R_RG[@]}") (median of paired runs); target <= 0.50"
else
    echo "podmortem/rg wall:   skipped, rg not installed"
fi
if [ -n "$RSS_KB" ]; then
    echo "podmortem peak RSS:  $(awk -v k="$RSS_KB" 'BEGIN { printf "%.1f", k / 1024 }') MiB ($RSS_HOW)"
fi
