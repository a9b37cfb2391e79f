using ZkMl.Hashing;
using ZkMl.Field;
using ZkMl.Stark.Internal;
using ZkMl.Stark.Prover;

namespace ZkMl.Stark.Fri;

/// <summary>
/// FRI commit phase (prover side): commit each layer (leaf i holds the k values that fold into position i), draw its folding
/// challenge, fold; send the remainder's coefficients. Then open the layers at the query positions.
/// </summary>
internal sealed class FriProver
{
    private readonly StarkLayout _layout;
    private readonly List<GoldilocksExt2[]> _layerValues = [];
    private readonly List<Blake3MerkleTree> _layerTrees = [];

    private FriProver(StarkLayout layout) => _layout = layout;

    public byte[][] Roots => _layerTrees.Select(t => t.Root).ToArray();
    public GoldilocksExt2[] Remainder { get; private set; } = [];

    /// <summary>Commits the layers of <paramref name="values"/> (the DEEP polynomial on the LDE domain), absorbing each root into <paramref name="schedule"/>.</summary>
    public static FriProver Commit(ProverContext ctx, GoldilocksExt2[] values, ChallengeSchedule schedule)
    {
        var L = ctx.Layout;
        var fri = new FriProver(L);
        int kf = L.Parameters.FriFoldingFactor;
        var cur = values;
        var shift = L.Shift;
        foreach (int size in L.FriLayerSizes)
        {
            var layer = cur;
            int leaves = size / kf;
            var tree = new Blake3MerkleTree(leaves, 16 * kf, (first, count, dst) =>
            {
                for (int i = 0; i < count; i++)
                    for (int t = 0; t < kf; t++) Ext.Write(dst[(16 * (i * kf + t))..], layer[first + i + t * leaves]);
            });
            fri._layerValues.Add(layer);
            fri._layerTrees.Add(tree);
            var beta = schedule.AbsorbFriLayer(tree.Root);
            cur = FriFolding.FoldLayer(layer, shift, kf, beta);
            shift = FieldMath.Pow(shift, (ulong)kf);
        }
        var r0 = new Goldilocks[cur.Length];
        var r1 = new Goldilocks[cur.Length];
        for (int i = 0; i < cur.Length; i++) { r0[i] = Ext.Re(cur[i]); r1[i] = Ext.Im(cur[i]); }
        ctx.Ntt.CosetInverse(r0, shift);
        ctx.Ntt.CosetInverse(r1, shift);
        if (ctx.Strict)
            for (int i = L.RemainderDegreeBound; i < cur.Length; i++)
                if (!r0[i].IsZero || !r1[i].IsZero) throw new InvalidOperationException("FRI remainder exceeds its degree bound (internal error).");
        var remainder = new GoldilocksExt2[L.RemainderDegreeBound];
        for (int i = 0; i < remainder.Length; i++) remainder[i] = Ext.Make(r0[i], r1[i]);
        fri.Remainder = remainder;
        schedule.AbsorbRemainder(remainder);
        return fri;
    }

    /// <summary>Each layer's opened leaves at the (folded) query positions, with Merkle multi-proofs.</summary>
    public FriLayerOpening[] Open(int[] positions)
    {
        int kf = _layout.Parameters.FriFoldingFactor;
        var layers = new FriLayerOpening[_layerTrees.Count];
        var pos = positions;
        for (int l = 0; l < layers.Length; l++)
        {
            int leaves = _layout.FriLayerSizes[l] / kf;
            var leafIdx = pos.Select(p => p % leaves).Distinct().Order().ToArray();
            var vals = _layerValues[l];
            layers[l] = new FriLayerOpening(
                leafIdx.Select(i => Enumerable.Range(0, kf).Select(t => vals[i + t * leaves]).ToArray()).ToArray(),
                _layerTrees[l].Open(leafIdx).ToArray());
            pos = leafIdx;
        }
        return layers;
    }
}
