#!/usr/bin/env bash
# Times `zkml groth16 prove` against `snarkjs groth16 prove` (0.7.6) on the same circom circuit, .zkey and witness,
# (and a `rapidsnark` binary on PATH, when there is one), process start included, peak memory from /usr/bin/time -v. Both proofs are checked with `snarkjs groth16 verify`.
# Usage: benchmarks/peer/run.sh <N> <M> [runs]   (dense layer with M*N multiplication constraints)
# The .zkey comes from `zkml groth16 devsetup` (snarkjs reads it; a ptau of the needed power would take far longer).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
n=$1; m=$2; runs=${3:-3}
work=${WORK:-/tmp/zkml-peer-$n-$m}
mkdir -p "$work"
nm="$root/interop/node_modules"
[ -f "$nm/snarkjs/package.json" ] || (cd "$root/interop" && npm ci --no-audit --no-fund --loglevel=error)
snarkjs="node $nm/snarkjs/build/cli.cjs"
dotnet build "$root/src/ZkMl.Cli" -c Release -v q -nologo >/dev/null
zkml="$root/src/ZkMl.Cli/bin/Release/net10.0/zkml"

cd "$work"
if [ ! -f dense.zkey ]; then
  python3 "$root/benchmarks/peer/gen_dense.py" "$n" "$m" .
  node "$nm/circom2/cli.js" dense.circom --r1cs --wasm -o . >/dev/null
  node dense_js/generate_witness.js dense_js/dense.wasm input.json witness.wtns
  "$zkml" groth16 devsetup dense.r1cs dense.zkey
  $snarkjs zkey export verificationkey dense.zkey vk.json >/dev/null
fi
"$zkml" r1cs info dense.r1cs

measure() { # name, command...
  local name=$1; shift
  for i in $(seq "$runs"); do
    /usr/bin/time -v "$@" 2> time.txt >/dev/null
    local wall rss cpu
    wall=$(grep "Elapsed (wall clock)" time.txt | awk '{print $NF}')
    rss=$(grep "Maximum resident set size" time.txt | awk '{print $NF}')
    cpu=$(awk '/User time|System time/ {s += $NF} END {printf "%.2f", s}' time.txt)
    echo "$name run $i: wall $wall, CPU (user+sys) ${cpu} s, peak RSS $((rss / 1024)) MiB"
  done
}
measure zkml "$zkml" groth16 prove dense.zkey witness.wtns proof_zkml.json public_zkml.json
measure snarkjs $snarkjs groth16 prove dense.zkey witness.wtns proof_snarkjs.json public_snarkjs.json
if command -v rapidsnark >/dev/null; then
  measure rapidsnark rapidsnark dense.zkey witness.wtns proof_rapidsnark.json public_rapidsnark.json
  $snarkjs groth16 verify vk.json public_rapidsnark.json proof_rapidsnark.json | tail -1
fi
$snarkjs groth16 verify vk.json public_zkml.json proof_zkml.json | tail -1
$snarkjs groth16 verify vk.json public_snarkjs.json proof_snarkjs.json | tail -1
"$zkml" groth16 verify vk.json public_snarkjs.json proof_snarkjs.json
