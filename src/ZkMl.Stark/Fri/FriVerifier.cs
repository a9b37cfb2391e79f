using ZkMl.Hashing;
using System.Numerics;
using ZkMl.Field;
using ZkMl.Stark.Internal;

namespace ZkMl.Stark.Fri;

/// <summary>FRI query phase (verifier side): authenticate each layer's opened leaves, check them against the previous layer's fold, and the last against the remainder.</summary>
internal static class FriVerifier
{
    /// <summary>
    /// Checks the layers of <paramref name="proof"/> at <paramref name="positions"/>, where the first layer's values are
    /// <paramref name="values"/> (the DEEP values, overwritten while folding) and <paramref name="betas"/> the folding challenges.
    /// Returns null when they are consistent, else the reason.
    /// </summary>
    public static string? Verify(StarkLayout L, StarkProof proof, GoldilocksExt2[] betas, int[] positions, GoldilocksExt2[] values)
    {
        int kf = L.Parameters.FriFoldingFactor;
        var pos = positions;
        var shift = L.Shift;
        for (int l = 0; l < L.FriLayerSizes.Length; l++)
        {
            int size = L.FriLayerSizes[l], leaves = size / kf;
            var leafIdx = pos.Select(p => p % leaves).Distinct().Order().ToArray();
            var layer = proof.FriLayers[l];
            if (layer.Leaves.Length != leafIdx.Length) return $"FRI layer {l}: wrong number of opened leaves.";
            var digests = new List<byte[]>(leafIdx.Length);
            var buf = new byte[16 * kf];
            foreach (var leaf in layer.Leaves)
            {
                if (leaf.Length != kf) return $"FRI layer {l}: wrong leaf width.";
                for (int t = 0; t < kf; t++) Ext.Write(buf.AsSpan(16 * t), leaf[t]);
                var d = new byte[32];
                Blake3.Hasher.Hash(buf, d);
                digests.Add(d);
            }
            if (!Blake3MerkleTree.Verify(proof.FriRoots[l], leaves, leafIdx, digests, layer.Proof)) return $"FRI layer {l}: Merkle authentication failed.";
            int logSize = BitOperations.Log2((uint)size);
            var zeta = Goldilocks.RootOfUnity(BitOperations.Log2((uint)kf));
            var folded = new GoldilocksExt2[leafIdx.Length];
            for (int i = 0; i < leafIdx.Length; i++)
                folded[i] = FriFolding.FoldLeaf(layer.Leaves[i], StarkLayout.DomainPoint(shift, logSize, leafIdx[i]), zeta, betas[l]);
            for (int q = 0; q < pos.Length; q++)
            {
                int li = Array.BinarySearch(leafIdx, pos[q] % leaves);
                int t = pos[q] / leaves;
                if (layer.Leaves[li][t] != values[q]) return $"FRI layer {l}: opened value does not match the previous layer at query {q}.";
                values[q] = folded[li];
            }
            // Collapse to the distinct next-layer positions.
            pos = pos.Select(p => p % leaves).ToArray();
            shift = FieldMath.Pow(shift, (ulong)kf);
        }
        int logRem = BitOperations.Log2((uint)L.RemainderDomainSize);
        for (int q = 0; q < pos.Length; q++)
        {
            var x = Ext.Lift(StarkLayout.DomainPoint(shift, logRem, pos[q]));
            if (Ext.EvaluateAt(proof.Remainder, x) != values[q]) return "FRI remainder does not match the last layer.";
        }
        return null;
    }
}
