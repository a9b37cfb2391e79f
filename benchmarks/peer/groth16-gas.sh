#!/usr/bin/env bash
# Gas of verifyProof: ZkMl's Solidity verifier (`zkml zkey export solidityverifier`) against snarkjs 0.7.6's own
# (`snarkjs zkey export solidityverifier`), for the same contributed key and the same snarkjs proof, with 1, 3 and 10
# public inputs. Both contracts are compiled by solc 0.8.28 (optimizer on, 200 runs) and called in @ethereumjs/evm
# 10.1.3 by interop/evm-verify.mjs (precompiles warm, as in a transaction).
# Usage: benchmarks/peer/groth16-gas.sh [public-input counts...]   (default: 1 3 10)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
counts=("${@:-1 3 10}")
read -r -a counts <<< "${counts[*]}"
work=${WORK:-/tmp/zkml-gas}
mkdir -p "$work"
nm="$root/interop/node_modules"
[ -f "$nm/solc/package.json" ] || (cd "$root/interop" && npm ci --no-audit --no-fund --loglevel=error)
snarkjs="node $nm/snarkjs/build/cli.cjs"
dotnet build "$root/src/ZkMl.Cli" -c Release -v q -nologo >/dev/null
zkml="$root/src/ZkMl.Cli/bin/Release/net10.0/zkml"

cd "$work"
if [ ! -f pot.ptau ]; then
  $snarkjs powersoftau new bn128 6 pot0.ptau >/dev/null
  $snarkjs powersoftau contribute pot0.ptau pot1.ptau -e="gas benchmark" >/dev/null
  $snarkjs powersoftau prepare phase2 pot1.ptau pot.ptau >/dev/null
fi

echo "| public inputs | ZkMl verifier gas | snarkjs verifier gas | difference | ZkMl tx gas | snarkjs tx gas |"
echo "|---|---|---|---|---|---|"
for n in "${counts[@]}"; do
  d="n$n"; mkdir -p "$d"; cd "$d"
  if [ ! -f proof.json ]; then
    # n public inputs x[i] and one private w: t[i] = x[i] * w.
    cat > c.circom <<CIRCOM
pragma circom 2.0.0;
template C(n) {
  signal input x[n];
  signal input w;
  signal t[n];
  for (var i = 0; i < n; i++) { t[i] <== x[i] * w; }
}
component main {public [x]} = C($n);
CIRCOM
    python3 -c "import json; print(json.dumps({'x': [str(7**(40 + i)) for i in range($n)], 'w': '12345'}))" > input.json
    node "$nm/circom2/cli.js" c.circom --r1cs --wasm -o . >/dev/null
    node c_js/generate_witness.js c_js/c.wasm input.json witness.wtns
    $snarkjs groth16 setup c.r1cs ../pot.ptau c0.zkey >/dev/null
    $snarkjs zkey contribute c0.zkey c.zkey -e="phase 2 $n" >/dev/null
    $snarkjs groth16 prove c.zkey witness.wtns proof.json public.json
  fi
  $snarkjs zkey export solidityverifier c.zkey snarkjs.sol >/dev/null
  "$zkml" zkey export solidityverifier c.zkey zkml.sol
  "$zkml" zkey export soliditycalldata public.json proof.json > calldata.txt
  ours=$(node "$root/interop/evm-verify.mjs" zkml.sol calldata.txt | tail -1)
  theirs=$(node "$root/interop/evm-verify.mjs" snarkjs.sol calldata.txt | tail -1)
  for r in "$ours" "$theirs"; do
    [ "$(echo "$r" | python3 -c 'import json,sys; print(json.load(sys.stdin)["result"])')" = True ] || { echo "not accepted: $r"; exit 1; }
  done
  python3 - "$n" "$ours" "$theirs" <<'PY'
import json, sys
n, o, t = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
print(f"| {n} | {o['gas']:,} | {t['gas']:,} | {o['gas'] - t['gas']:+,} | {o['txGas']:,} | {t['txGas']:,} |")
PY
  cd ..
done
