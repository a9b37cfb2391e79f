#!/usr/bin/env bash
# Millisecond-resolution side by side of `groth16 prove` for small circuits, where compare.sh's /usr/bin/time (10 ms
# steps) cannot separate the provers: each run is timed by `date +%s%N` around the process (start and exit included),
# the provers alternating run by run (the machine may be shared: alternating spreads any load over all of them), and
# the best, median and mean wall in ms are printed per prover, with the load average before and after each circuit.
# Usage: benchmarks/peer/compare-ms.sh <runs> <dir>... (each dir holds one *.zkey and witness.wtns, as for compare.sh)
# Provers: ZKML (default: this checkout's built zkml), ZKML_BEFORE (optional: another build), ZKML_ENV (optional: extra
# `env` assignments for a second run of ZKML, e.g. ZKML_ENV=ZKML_AVX512=0), RAPIDSNARK (optional: a locally built
# iden3/rapidsnark `prover`). snarkjs is left out: at ~0.5 s it needs no millisecond clock (compare.sh has it).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
runs=$1; shift
zkml=${ZKML:-$root/src/ZkMl.Cli/bin/Release/net10.0/zkml}
tools=(zkml)
[ -n "${ZKML_BEFORE:-}" ] && tools+=(before)
[ -n "${ZKML_ENV:-}" ] && tools+=(zkml-env)
[ -n "${RAPIDSNARK:-}" ] && tools+=(rapidsnark)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for dir in "$@"; do
  zkey=$(ls "$dir"/*.zkey | head -1) wtns=$dir/witness.wtns
  echo "$dir: load average before $(cut -d' ' -f1-3 /proc/loadavg)"
  for i in $(seq "$runs"); do
    for t in "${tools[@]}"; do
      case $t in
        zkml) cmd=("$zkml" groth16 prove "$zkey" "$wtns" "$tmp/proof.json" "$tmp/public.json") ;;
        before) cmd=("$ZKML_BEFORE" groth16 prove "$zkey" "$wtns" "$tmp/proof.json" "$tmp/public.json") ;;
        zkml-env) cmd=(env $ZKML_ENV "$zkml" groth16 prove "$zkey" "$wtns" "$tmp/proof.json" "$tmp/public.json") ;;
        rapidsnark) cmd=("$RAPIDSNARK" "$zkey" "$wtns" "$tmp/proof.json" "$tmp/public.json") ;;
      esac
      start=$(date +%s%N)
      "${cmd[@]}" >/dev/null
      end=$(date +%s%N)
      echo $(( (end - start) / 1000 )) >> "$tmp/$t"
    done
  done
  for t in "${tools[@]}"; do
    sort -n "$tmp/$t" | awk -v d="$dir" -v t="$t" '{w[NR]=$1; s+=$1}
      END {printf "%s %s: best %.1f ms, median %.1f ms, mean %.1f ms (%d runs)\n", d, t, w[1]/1000, w[int((NR+1)/2)]/1000, s/NR/1000, NR}'
    rm "$tmp/$t"
  done
  echo "$dir: load average after $(cut -d' ' -f1-3 /proc/loadavg)"
done
