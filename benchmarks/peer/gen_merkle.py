#!/usr/bin/env python3
"""Writes a Poseidon Merkle-path circom circuit (circomlib Poseidon(2) per level, the root as the one public output) and
an input file. Unlike the dense layer, almost every wire enters the B matrix, so every B2 point of the key is a real one.
Compile with the circomlib circuits folder on the include path (circom2 reads only below the working directory):
  cp -r interop/node_modules/circomlib/circuits lib && circom2 merkle.circom --r1cs --wasm --O2 -l lib"""
import json, sys

depth, out_dir = int(sys.argv[1]), sys.argv[2]
with open(f"{out_dir}/merkle.circom", "w") as f:
    f.write(f"""pragma circom 2.0.0;
include "poseidon.circom";
template Merkle(D) {{
  signal input leaf;
  signal input path[D];
  signal output root;
  component h[D];
  signal cur[D + 1];
  cur[0] <== leaf;
  for (var i = 0; i < D; i++) {{
    h[i] = Poseidon(2);
    h[i].inputs[0] <== cur[i];
    h[i].inputs[1] <== path[i];
    cur[i + 1] <== h[i].out;
  }}
  root <== cur[D];
}}
component main = Merkle({depth});
""")
with open(f"{out_dir}/input.json", "w") as f:
    json.dump({"leaf": "1", "path": [str(i + 2) for i in range(depth)]}, f)
