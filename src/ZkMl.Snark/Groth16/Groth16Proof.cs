using ZkMl.Field;
using ZkMl.Snark.Curves;
using ZkMl.Common;

namespace ZkMl.Snark.Groth16;

/// <summary>
/// A Groth16 proof: A and C in G1, B in G2 (affine). Serialised to and from snarkjs's proof.json by
/// <see cref="Formats.SnarkjsJson"/>.
/// </summary>
/// <param name="A">π_A in G1.</param>
/// <param name="B">π_B in G2.</param>
/// <param name="C">π_C in G1.</param>
public sealed record Groth16Proof(G1Affine A, G2Affine B, G1Affine C);
