using ZkMl.Field;
using ZkMl.Snark.Curves;
using ZkMl.Common;

namespace ZkMl.Snark.Groth16;

/// <summary>
/// Fixed-base scalar multiplication by byte windows: table[k][j] = j·2^(8k)·P, so k·P costs at most 32 mixed additions.
/// Used by key generation, where millions of multiples of one generator are needed. Variable time (table index depends on
/// the scalar): acceptable for the single-party development setup this serves, documented there.
/// </summary>
internal abstract class FixedBaseTable
{
    public static readonly G1Table G1Generator = new(G1Affine.Generator);
    public static readonly G2Table G2Generator = new(G2Affine.Generator);

    protected static void ScalarBytes(in Bn254Fr k, Span<byte> bytes)
    {
        k.GetCanonicalLimbs(out var l0, out var l1, out var l2, out var l3);
        BitConverter.TryWriteBytes(bytes, l0);
        BitConverter.TryWriteBytes(bytes[8..], l1);
        BitConverter.TryWriteBytes(bytes[16..], l2);
        BitConverter.TryWriteBytes(bytes[24..], l3);
    }
}

// G1Table and G2Table are the G1/G2 twins again; they go with the generic curve types (performance issue).
internal sealed class G1Table : FixedBaseTable
{
    private readonly G1Affine[] _table = new G1Affine[32 * 256];

    public G1Table(G1Affine point)
    {
        var proj = new G1Projective[32 * 256];
        var b = point.ToProjective();
        for (int k = 0; k < 32; k++)
        {
            proj[k * 256] = G1Projective.Infinity;
            for (int j = 1; j < 256; j++) proj[k * 256 + j] = proj[k * 256 + j - 1] + b;
            for (int d = 0; d < 8; d++) b = G1Projective.Double(b);
        }
        G1Projective.BatchToAffine(proj, _table);
    }

    public G1Projective MultiplyProjective(in Bn254Fr k)
    {
        Span<byte> bytes = stackalloc byte[32];
        ScalarBytes(k, bytes);
        var acc = G1Projective.Infinity;
        for (int i = 0; i < 32; i++)
            if (bytes[i] != 0) acc = G1Projective.AddMixed(acc, _table[i * 256 + bytes[i]]);
        bytes.Clear();
        return acc;
    }

    public G1Affine Multiply(in Bn254Fr k) => MultiplyProjective(k).ToAffine();

    /// <summary>Every scalar times the base; <paramref name="chunkDone"/> gets the size of each finished chunk (for progress).</summary>
    public G1Affine[] MultiplyMany(Bn254Fr[] scalars, Action<int>? chunkDone = null)
    {
        var proj = new G1Projective[scalars.Length];
        ParallelChunks.For(scalars.Length, 256, (from, to) =>
        {
            for (int i = from; i < to; i++) proj[i] = MultiplyProjective(scalars[i]);
            chunkDone?.Invoke(to - from);
        });
        var result = new G1Affine[scalars.Length];
        G1Projective.BatchToAffine(proj, result);
        return result;
    }
}

internal sealed class G2Table : FixedBaseTable
{
    private readonly G2Affine[] _table = new G2Affine[32 * 256];

    public G2Table(G2Affine point)
    {
        var proj = new G2Projective[32 * 256];
        var b = point.ToProjective();
        for (int k = 0; k < 32; k++)
        {
            proj[k * 256] = G2Projective.Infinity;
            for (int j = 1; j < 256; j++) proj[k * 256 + j] = proj[k * 256 + j - 1] + b;
            for (int d = 0; d < 8; d++) b = G2Projective.Double(b);
        }
        G2Projective.BatchToAffine(proj, _table);
    }

    public G2Projective MultiplyProjective(in Bn254Fr k)
    {
        Span<byte> bytes = stackalloc byte[32];
        ScalarBytes(k, bytes);
        var acc = G2Projective.Infinity;
        for (int i = 0; i < 32; i++)
            if (bytes[i] != 0) acc = G2Projective.AddMixed(acc, _table[i * 256 + bytes[i]]);
        bytes.Clear();
        return acc;
    }

    public G2Affine Multiply(in Bn254Fr k) => MultiplyProjective(k).ToAffine();

    /// <summary>Every scalar times the base; <paramref name="chunkDone"/> gets the size of each finished chunk (for progress).</summary>
    public G2Affine[] MultiplyMany(Bn254Fr[] scalars, Action<int>? chunkDone = null)
    {
        var proj = new G2Projective[scalars.Length];
        ParallelChunks.For(scalars.Length, 256, (from, to) =>
        {
            for (int i = from; i < to; i++) proj[i] = MultiplyProjective(scalars[i]);
            chunkDone?.Invoke(to - from);
        });
        var result = new G2Affine[scalars.Length];
        G2Projective.BatchToAffine(proj, result);
        return result;
    }
}
