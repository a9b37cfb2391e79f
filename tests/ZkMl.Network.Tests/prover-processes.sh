#!/usr/bin/env bash
# Proving throughput against the number of prover PROCESSES (benchmarks/RESULTS.md, "Proving network"); not part of the suite.
# Usage: tests/ZkMl.Network.Tests/prover-processes.sh [steps] [process counts...]   (after: dotnet build src/ZkMl.Node -c Release)
# One embedded silo, three verifier processes, N `zkml-node prover` processes on an all-steps STARK job (4-3-3 tiny network);
# throughput = steps / (last accepted proof - first lease), from the provers' time-stamped output; prover-cpu = user+sys
# seconds of the prover processes (bash `time`), the load-independent figure on a shared machine.
set -euo pipefail
steps=${1:-12}; shift || true
counts=("${@:-1 2}"); counts=(${counts[@]})
node="dotnet src/ZkMl.Node/bin/Release/net10.0/zkml-node.dll"
for n in "${counts[@]}"; do
  work=$(mktemp -d); gw=$((31000 + RANDOM % 1000)); sp=$((12000 + RANDOM % 1000)); run="bench-$n"
  $node init --job "$work/job" --steps "$steps" --audit 0 --verifiers 3 >/dev/null
  $node silo --gateway $gw --silo-port $sp >"$work/silo.log" 2>&1 & silo=$!
  pids=()
  for i in 0 1 2; do $node verifier --gateway $gw --run $run --job "$work/job" --index $i >"$work/verifier-$i.log" 2>&1 & pids+=($!); done
  for i in $(seq 1 "$n"); do
    ( { TIMEFORMAT="cpu %U %S"; time $node prover --gateway $gw --run $run --job "$work/job" --id "p$i"; } 2>&1 | while IFS= read -r l; do echo "$(date +%s.%N) $l"; done ) >"$work/prover-$i.log" 2>&1 & pids+=($!)
  done
  $node submit --gateway $gw --run $run --job "$work/job" --deadline-seconds 20 >"$work/trainer.log" 2>&1
  for p in "${pids[@]}"; do wait "$p" || true; done
  kill "$silo" 2>/dev/null || true; wait "$silo" 2>/dev/null || true
  load=$(cut -d' ' -f1 /proc/loadavg)
  cat "$work"/prover-*.log | awk -v n="$n" -v steps="$steps" -v load="$load" '
    / leased$/ { if (first == "" || $1 < first) first = $1 }
    / accepted$/ { accepted++; if ($1 > last) last = $1 }
    $2 == "cpu" { cpu += $3 + $4 }
    END { w = last - first; printf "processes=%d steps=%d accepted=%d wall=%.1fs throughput=%.3f steps/s prover-cpu=%.1fs (%.2f cpu-s per proof, start-up included) load=%s\n", n, steps, accepted, w, accepted / w, cpu, cpu / accepted, load }'
  rm -rf "$work"
done
