#!/usr/bin/env bash
# Side-by-side `groth16 prove` timings, alternating the provers run by run on the same .zkey and .wtns, process start
# included: best and median wall time, median CPU (user+sys) and peak RSS over the runs.
# Usage: benchmarks/peer/compare.sh <runs> <dir>... where each dir holds one *.zkey and witness.wtns (run.sh makes them).
# Provers: ZKML (default: this checkout's built zkml), ZKML_BEFORE and ZKML_R2R (optional: another build to compare with,
# e.g. `dotnet publish src/ZkMl.Cli -c Release -r linux-x64 -o DIR`, Native AOT; add -p:PublishAot=false -p:PublishReadyToRun=true for ReadyToRun),
# snarkjs, and RAPIDSNARK (optional: the path of an iden3/rapidsnark `prover` binary built locally; it has no start-up-only
# command, so it skips `--version`).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
runs=$1; shift
snarkjs=(node "$root/interop/node_modules/snarkjs/build/cli.cjs")
zkml=${ZKML:-$root/src/ZkMl.Cli/bin/Release/net10.0/zkml}
tools=(after)
[ -n "${ZKML_BEFORE:-}" ] && tools=(before after)
[ -n "${ZKML_R2R:-}" ] && tools+=(r2r)
tools+=(snarkjs)
[ -n "${RAPIDSNARK:-}" ] && tools+=(rapidsnark)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

command_for() { # tool, zkey, wtns: sets cmd (no zkey: `--version`, the start-up alone)
  local args=(groth16 prove "$2" "$3" "$tmp/proof.json" "$tmp/public.json")
  [ -z "$2" ] && args=(--version)
  case $1 in
    before) cmd=("$ZKML_BEFORE" "${args[@]}") ;;
    after) cmd=("$zkml" "${args[@]}") ;;
    r2r) cmd=("$ZKML_R2R" "${args[@]}") ;;
    snarkjs) cmd=("${snarkjs[@]}" "${args[@]}") ;;
    rapidsnark) cmd=("$RAPIDSNARK" "$2" "$3" "$tmp/proof.json" "$tmp/public.json") ;;
  esac
}

stats() { # file with "wall cpu rss" lines
  sort -n "$1" | awk '{w[NR]=$1} END {printf "best %.2f s, median %.2f s", w[1], w[int((NR+1)/2)]}'
  awk '{print $2}' "$1" | sort -n | awk '{c[NR]=$1} END {printf ", median CPU %.2f s", c[int((NR+1)/2)]}'
  awk '{print $3}' "$1" | sort -n | awk '{r[NR]=$1} END {printf ", peak RSS %d MiB\n", r[NR]/1024}'
}

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for dir in --version "$@"; do
  zkey="" wtns=""
  [ "$dir" != --version ] && zkey=$(ls "$dir"/*.zkey | head -1) && wtns=$dir/witness.wtns
  for i in $(seq "$runs"); do
    for t in "${tools[@]}"; do
      [ "$t" = rapidsnark ] && [ -z "$zkey" ] && continue
      command_for "$t" "$zkey" "$wtns"
      /usr/bin/time -f "%e %U %S %M" -o "$tmp/t" "${cmd[@]}" >/dev/null || [ "$t$zkey" = snarkjs ] # snarkjs --version exits 99
      tail -1 "$tmp/t" | awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' >> "$tmp/$t"
    done
  done
  for t in "${tools[@]}"; do [ -f "$tmp/$t" ] || continue; echo "$dir $t: $(stats "$tmp/$t")"; rm "$tmp/$t"; done
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
