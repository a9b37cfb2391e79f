using ZkMl.Common;
using ZkMl.Hashing;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using ZkMl.Field;
using ZkMl.Stark.Internal;

namespace ZkMl.Stark.Prover;

/// <summary>What every prover phase shares: the layout, the NTT engine, and low-degree extension and commitment of columns.</summary>
internal sealed class ProverContext(StarkLayout layout, INtt<Goldilocks> ntt, bool strict)
{
    public StarkLayout Layout { get; } = layout;
    public INtt<Goldilocks> Ntt { get; } = ntt;
    /// <summary>Check the prover's own invariants (degree bounds, LogUp sum); off only to forge proofs in tests.</summary>
    public bool Strict { get; } = strict;
    public Air Air => Layout.Air;
    public bool ZeroKnowledge => Layout.Parameters.ZeroKnowledge;

    /// <summary>Interpolates a trace column, blinds it (zero knowledge) as T + Z_H * R, and extends it to the LDE domain.</summary>
    public (Goldilocks[] Coeffs, Goldilocks[] Lde) Extend(Goldilocks[] column, Randomness rng, int index)
    {
        int n = Layout.N;
        var coeffs = LargeArray.New<Goldilocks>(Layout.TraceDegreeBound);
        column.AsSpan().CopyTo(coeffs);
        Ntt.Inverse(coeffs.AsSpan(0, n));
        if (ZeroKnowledge)
        {
            // T + Z_H * R with Z_H = X^n - 1: unchanged on the trace domain, random elsewhere.
            var r = rng.FieldElements("trace blinding", index, Layout.Blinding);
            for (int i = 0; i < r.Length; i++)
            {
                coeffs[i] -= r[i];
                coeffs[n + i] += r[i];
            }
        }
        return (coeffs, LowDegreeExtend(coeffs));
    }

    public Goldilocks[] LowDegreeExtend(Goldilocks[] coeffs) => Extend(coeffs, Layout.LdeSize, Layout.Shift);

    /// <summary>Evaluations of the polynomial over shift * &lt;omega_size&gt; (natural order).</summary>
    public Goldilocks[] Extend(ReadOnlySpan<Goldilocks> coeffs, int size, Goldilocks shift)
    {
        var lde = LargeArray.New<Goldilocks>(size);
        if (Ntt is Ntt<Goldilocks> cpu) cpu.CosetExtend(coeffs, lde, shift);
        else
        {
            coeffs.CopyTo(lde);
            Ntt.CosetForward(lde, shift);
        }
        return lde;
    }

    /// <summary>Commits the rows of <paramref name="lde"/> (salted with zero knowledge) in a Blake3 Merkle tree.</summary>
    public (Blake3MerkleTree Tree, byte[]? Salts) Commit(Goldilocks[][] lde, Randomness rng)
    {
        int bigN = Layout.LdeSize;
        int width = lde.Length;
        int saltLen = ZeroKnowledge ? StarkProof.SaltLength : 0;
        byte[]? salts = null;
        if (ZeroKnowledge)
        {
            salts = LargeArray.New<byte>(bigN * saltLen);
            rng.Fill("leaf salts", 0, salts);
        }
        int leafBytes = saltLen + 8 * width;
        var tree = new Blake3MerkleTree(bigN, leafBytes, (first, count, dst) =>
        {
            if (salts is not null)
                for (int i = 0; i < count; i++) salts.AsSpan((first + i) * saltLen, saltLen).CopyTo(dst[(i * leafBytes)..]);
            var words = MemoryMarshal.Cast<byte, ulong>(dst);
            for (int c = 0; c < width; c++)
            {
                var column = lde[c].AsSpan(first, count);
                int at = (saltLen + 8 * c) / 8, stride = leafBytes / 8;
                if (BitConverter.IsLittleEndian && saltLen % 8 == 0)
                    for (int i = 0; i < count; i++) words[at + i * stride] = column[i].Value;
                else
                    for (int i = 0; i < count; i++) BinaryPrimitives.WriteUInt64LittleEndian(dst[(i * leafBytes + saltLen + 8 * c)..], column[i].Value);
            }
        });
        return (tree, salts);
    }

    /// <summary>Runs <paramref name="body"/>(start, end) over [0, count) in parallel chunks.</summary>
    public static void ParallelRange(int count, Action<int, int> body)
    {
        int parts = count < 4096 ? 1 : Environment.ProcessorCount * 4;
        int per = (count + parts - 1) / parts;
        Parallel.For(0, parts, p =>
        {
            int s = p * per, e = Math.Min(count, s + per);
            if (s < e) body(s, e);
        });
    }

    /// <summary>Each polynomial's value at <paramref name="x"/>.</summary>
    public static GoldilocksExt2[] EvaluateAll(Goldilocks[][] coeffs, GoldilocksExt2 x)
    {
        var r = new GoldilocksExt2[coeffs.Length];
        Parallel.For(0, coeffs.Length, c => r[c] = Ext.EvaluateAt(coeffs[c], x));
        return r;
    }

    /// <summary>Uniform base-field elements from system randomness, drawn in one bulk request (rejection sampling).</summary>
    public static Goldilocks[] RandomBase(int count) => Randomness.Secure.FieldElements("random base elements", 0, count);
}
