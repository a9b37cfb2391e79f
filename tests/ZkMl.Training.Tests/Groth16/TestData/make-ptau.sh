#!/usr/bin/env bash
# Regenerates pot12.ptau, the phase-1 (powers of tau, 2^12) file the ceremony test starts from: two contributions,
# a beacon and `prepare phase2`, with the snarkjs pinned in interop/package.json. Phase 1 is universal and slow in
# JavaScript (minutes for `prepare phase2` on two cores), so the test reuses this file and runs the circuit-specific
# phase-2 ceremony live.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../.." && pwd)
(cd "$root/interop" && [ -d node_modules/snarkjs ] || npm ci --no-audit --no-fund --loglevel=error)
snarkjs="node $root/interop/node_modules/snarkjs/build/cli.cjs"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
$snarkjs powersoftau new bn128 12 pot0.ptau
$snarkjs powersoftau contribute pot0.ptau pot1.ptau --name=first -e="zkml phase 1 entropy one"
$snarkjs powersoftau contribute pot1.ptau pot2.ptau --name=second -e="zkml phase 1 entropy two"
$snarkjs powersoftau beacon pot2.ptau pot3.ptau 0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20 10 -n="final beacon"
$snarkjs powersoftau prepare phase2 pot3.ptau pot12.ptau
$snarkjs powersoftau verify pot12.ptau
mv pot12.ptau "$here/pot12.ptau"
