#!/usr/bin/env bash
# Issue 14's table, measured in one go: ScaleBenchmark (JMH, every figure a ratio to Arrays.sort of 1 M longs in the
# same run) and the cold processes (the distribution's bin/cidrguard: check of the 65 536-node YAML against the check
# of the seed; check, reach and import --nodes of 65 536 nodes with -Xmx1g and their peak heap from -Xlog:gc).
#
#   benchmarks/scale.sh            # the full run for benchmarks/README.md (quiet machine: about 30-60 min)
#   benchmarks/scale.sh --quick    # one short pass to see that everything runs (figures not for the README)
#
# Needs a JDK 17 and python3 (for the table); builds cli and benchmarks (offline, skipping tests) when a jar is missing.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
cd "$root"
quick=false
[ "${1:-}" = "--quick" ] && quick=true

jar=benchmarks/target/benchmarks.jar
dist=$(ls -d cli/target/cidrguard-*/cidrguard-*/ 2>/dev/null | head -n 1 || true)
if [ ! -f "$jar" ] || [ -z "$dist" ]; then
  ./mvnw -B -o -ntp -q -pl cli,benchmarks -am -DskipTests -Dinvoker.skip package
  dist=$(ls -d cli/target/cidrguard-*/cidrguard-*/ | head -n 1)
fi
cidrguard="${dist%/}/bin/cidrguard"
work=$(mktemp -d /tmp/cidrguard-scale.XXXXXX)
trap 'rm -rf "$work"' EXIT
out="$root/benchmarks/target/scale"
mkdir -p "$out"

echo "== machine: $(nproc) cores, $(uptime | sed 's/.*load average/load average/'), $(java -version 2>&1 | head -n 1)"
echo "== plans (65 536 nodes: YAML, JSON, kubectl get nodes -o json) in $work"
java -cp "$jar" io.github.cidrguard.benchmarks.Plans "$work" 65536 >/dev/null
ls -l "$work" | awk 'NR > 1 {print "   ", $5, $9}'

# ---- JMH: one run, so the ratios share their conditions
if $quick; then
  jmh=(-f 1 -wi 1 -i 1 -w 1 -r 1)
else
  jmh=(-f 1 -wi 3 -i 5 -w 2 -r 2)
fi
echo "== JMH ScaleBenchmark ${jmh[*]} (results: $out/jmh.json)"
java -jar "$jar" 'ScaleBenchmark\.' "${jmh[@]}" -rf json -rff "$out/jmh.json" | tee "$out/jmh.txt" \
  | grep -E '^(Benchmark|ScaleBenchmark)|^# Run complete'

# ---- cold processes: wall time (median of runs) and peak heap
runs=5
$quick && runs=1
cold() { # label, command... : wall seconds of each run
  local label=$1
  shift
  local times=()
  for i in $(seq "$runs"); do
    /usr/bin/time -f "%e" -o "$work/t" "$@" >/dev/null 2>&1 || true
    times+=("$(tail -n 1 "$work/t")")
  done
  printf '%s\t%s\n' "$label" "${times[*]}" >> "$out/cold.tsv"
}
heap() { # label, command... : one run with -Xmx1g and -Xlog:gc; peak heap = the largest "before" of any GC
  local label=$1 log="$work/gc-$1.log" rc=0
  shift
  JAVA_OPTS="-Xmx1g -Xlog:gc:file=$log" /usr/bin/time -f "%e %M" -o "$work/time-$label" "$@" \
    >"$work/out-$label" 2>"$work/err-$label" || rc=$?
  local peak
  peak=$(grep -oE '[0-9]+M->[0-9]+M' "$log" 2>/dev/null | sed 's/M->.*//' | sort -n | tail -n 1 || true)
  printf '%s\t%s\t%s\t%s\n' "$label" "$rc" "$(tail -n 1 "$work/time-$label")" "${peak:-0}" >> "$out/heap.tsv"
}
: > "$out/cold.tsv"
: > "$out/heap.tsv"
echo "== cold processes ($runs runs each): $cidrguard"
"$cidrguard" check examples/scenarios/seed.yaml >/dev/null 2>&1 || true # creates the AppCDS archive once
cold seed "$cidrguard" check examples/scenarios/seed.yaml
cold yaml65536 env JAVA_OPTS=-Xmx1g "$cidrguard" check "$work/plan-65536.yaml"
echo "== -Xmx1g: check, reach, import --nodes of 65 536 nodes (exit code, wall, max RSS, peak heap)"
heap check "$cidrguard" check "$work/plan-65536.yaml"
heap reach "$cidrguard" reach --limit 20 "$work/plan-65536.yaml"
heap import "$cidrguard" import --name scale --nodes "$work/nodes-65536.json"

python3 - "$out" <<'PY'
import json, statistics, sys
out = sys.argv[1]
res = {}
for b in json.load(open(out + "/jmh.json")):
    name = b["benchmark"].rsplit(".", 1)[1]
    nodes = b.get("params", {}).get("nodes", "")
    ms = b["primaryMetric"]["score"]
    if b["primaryMetric"]["scoreUnit"] == "s/op":
        ms *= 1000
    res[(name, nodes)] = ms
base = res[("sortLongsBaseline", "")]
print("\n== ratio table (x Arrays.sort of 1 M longs = %.1f ms, same run)" % base)
rows = [("Scenario.load YAML, 65 536", "loadYaml", "65536", 4), ("Scenario.load JSON, 65 536", "loadJson", "65536", 4),
        ("Analysis.of healthy, 65 536", "checkHealthy", "65536", 0.1),
        ("Analysis.of findings, 16 384", "checkFindings", "16384", None),
        ("Analysis.of findings, 65 536", "checkFindings", "65536", 1), ("reach() all sources, 65 536 (263 LANs)", "reach", "65536", 8),
        ("reach() all sources, 65 536 (one flat LAN)", "reachFlat", "65536", 8),
        ("import kubectl nodes, 65 536, -Xmx1g", "importNodes", "65536", 25)]
print("| what | ms | x baseline | target | |\n|---|---:|---:|---:|---|")
for label, b, n, target in rows:
    ms = res.get((b, n))
    if ms is None:
        print("| %s | not run | | | |" % label)
        continue
    r = ms / base
    verdict = "" if target is None else ("met" if r <= target else "MISSED")
    print("| %s | %.1f | %.3f | %s | %s |" % (label, ms, r, "" if target is None else "<= %g" % target, verdict))
f16, f64 = res.get(("checkFindings", "16384")), res.get(("checkFindings", "65536"))
if f16 and f64:
    print("| findings linearity 65 536 / 16 384 | | %.2f | 4 (5 +- noise) | %s |" % (f64 / f16, "met" if f64 / f16 <= 5 else "MISSED"))
cold = {}
for line in open(out + "/cold.tsv"):
    label, times = line.rstrip("\n").split("\t")
    cold[label] = [float(t) for t in times.split() if t.replace(".", "", 1).isdigit()]
if cold.get("seed") and cold.get("yaml65536"):
    s, y = statistics.median(cold["seed"]), statistics.median(cold["yaml65536"])
    print("| cold check 65 536 YAML / cold check seed | %.2f s / %.2f s | %.2f | <= 2.5 | %s |" % (y, s, y / s, "met" if y / s <= 2.5 else "MISSED"))
print("\n== -Xmx1g runs: exit code, wall s, max RSS, peak heap (largest heap before a GC)")
for line in open(out + "/heap.tsv"):
    label, rc, t, peak = line.rstrip("\n").split("\t")
    wall, rss = t.split()[-2:]
    print("  %-7s exit %s  %6s s  RSS %5d MB  peak heap %s MB" % (label, rc, wall, int(rss) // 1024, peak))
PY
