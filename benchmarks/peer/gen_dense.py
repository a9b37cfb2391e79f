#!/usr/bin/env python3
"""Writes a dense-layer circom circuit (private weights W[M][N], private inputs x[N], public outputs y = W·x)
and a random input file. Constraints: M*N products (one per weight) plus one linear sum per output."""
import json, random, sys

n, m, out_dir = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
with open(f"{out_dir}/dense.circom", "w") as f:
    f.write(f"""pragma circom 2.0.0;
template Dense(N, M) {{
  signal input w[M][N];
  signal input x[N];
  signal output y[M];
  signal prod[M][N];
  for (var j = 0; j < M; j++) {{
    var acc = 0;
    for (var i = 0; i < N; i++) {{
      prod[j][i] <== w[j][i] * x[i];
      acc += prod[j][i];
    }}
    y[j] <== acc;
  }}
}}
component main = Dense({n}, {m});
""")
rng = random.Random(1)
# NN-like values: small signed fixed-point integers (negatives are field elements p - k).
p = 21888242871839275222246405745257275088548364400416034343698204186575808495617
val = lambda: str(rng.randint(-127, 127) % p)
with open(f"{out_dir}/input.json", "w") as f:
    json.dump({"w": [[val() for _ in range(n)] for _ in range(m)], "x": [val() for _ in range(n)]}, f)
