using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>
/// One term of a public linear functional on committed table <see cref="Table"/> (of a <see cref="ZkLinearReduction"/>'s
/// commitments; 2^n base-field entries, first variable most significant), supported on an aligned region
/// [Offset, Offset + 2^k): either c eq(q, .) (<see cref="Eq"/>: a claim F_region~(q) scaled by c, e.g. a table of a
/// stack at a sumcheck's point) or explicit weights (<see cref="Dense"/>; <see cref="Scalar"/>: a mask scalar stored as
/// two base entries; <see cref="MaskValue"/>: a Libra mask's value from its stored coefficients). Its multilinear
/// extension at any point costs O(n + 2^k) for dense and O(n) for eq terms, so a verifier evaluates it without the
/// table's size.
/// </summary>
public sealed class ZkLinearTerm
{
    private readonly GoldilocksExt2[]? _point, _weights;

    private ZkLinearTerm(long offset, int variables, GoldilocksExt2 coefficient, GoldilocksExt2[]? point, GoldilocksExt2[]? weights, int table)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(table);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(table, ZkLinearReduction.MaxCommitments, nameof(table));
        Table = table;
        if ((offset & ((1L << variables) - 1)) != 0) throw new ArgumentException($"The region of 2^{variables} entries must start at a multiple of its size.", nameof(offset));
        (Offset, Variables, Coefficient, _point, _weights) = (offset, variables, coefficient, point, weights);
    }

    /// <summary>Most variables of a term's region.</summary>
    public const int MaxVariables = LigeroPcs.MaxVariables;
    /// <summary>Most explicit weights of a dense term.</summary>
    public const int MaxWeights = 1 << 16;

    /// <summary>The term c eq(q, x - offset) on [offset, offset + 2^|q|) of table <paramref name="table"/>, offset a multiple of 2^|q|.</summary>
    public static ZkLinearTerm Eq(long offset, GoldilocksExt2 coefficient, ReadOnlySpan<GoldilocksExt2> point, int table = 0)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(point.Length, MaxVariables, nameof(point));
        return new ZkLinearTerm(offset, point.Length, coefficient, point.ToArray(), null, table);
    }

    /// <summary>
    /// w c for the extension scalar c = F[offset] + X F[offset + 1] (offset even): the mask term of a masked final value
    /// f~(r) + w c, w = r_v (1 - r_v).
    /// </summary>
    public static ZkLinearTerm Scalar(long offset, GoldilocksExt2 weight, int table = 0) => Dense(offset, [weight, weight * X], table);

    /// <summary>
    /// g(r) for the Libra mask of a sumcheck of <paramref name="shape"/> whose coefficients are stored from
    /// <paramref name="offset"/> as base pairs (coefficient t = F[offset + 2t] + X F[offset + 2t + 1]; the region, twice
    /// <see cref="ZkSumcheckShape.MaskCoefficients"/> rounded up to a power of two, aligned).
    /// </summary>
    public static ZkLinearTerm MaskValue(long offset, ZkSumcheckShape shape, ReadOnlySpan<GoldilocksExt2> point, int table = 0)
    {
        ArgumentNullException.ThrowIfNull(shape);
        shape.Validate();
        if (point.Length != shape.Variables) throw new ArgumentException($"The point has {shape.Variables} coordinates.", nameof(point));
        var powers = shape.PowerTable(point, shape.MaskCoefficients);
        var weights = new GoldilocksExt2[2 * powers.Length];
        for (int t = 0; t < powers.Length; t++) (weights[2 * t], weights[2 * t + 1]) = (powers[t], powers[t] * X);
        return Dense(offset, weights, table);
    }

    /// <summary>The extension elements F[offset + 2t] + X F[offset + 2t + 1], t &lt; count: how a caller reads mask scalars and coefficients back from a table.</summary>
    public static GoldilocksExt2[] ReadPairs(ReadOnlySpan<Goldilocks> table, long offset, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (offset + 2L * count > table.Length) throw new ArgumentException("The pairs lie outside the table.", nameof(count));
        var pairs = new GoldilocksExt2[count];
        for (int t = 0; t < count; t++) pairs[t] = new GoldilocksExt2(table[(int)offset + 2 * t], table[(int)offset + 2 * t + 1]);
        return pairs;
    }

    private static readonly GoldilocksExt2 X = new(Goldilocks.Zero, Goldilocks.One);

    /// <summary>The weights w_i at offset + i of table <paramref name="table"/> (1..<see cref="MaxWeights"/> of them; the region, their count rounded up to a power of two, aligned).</summary>
    public static ZkLinearTerm Dense(long offset, ReadOnlySpan<GoldilocksExt2> weights, int table = 0)
    {
        if (weights.Length < 1 || weights.Length > MaxWeights) throw new ArgumentException($"1..{MaxWeights} weights.", nameof(weights));
        int variables = System.Numerics.BitOperations.Log2(System.Numerics.BitOperations.RoundUpToPowerOf2((uint)weights.Length));
        var padded = new GoldilocksExt2[1 << variables];
        weights.CopyTo(padded);
        return new ZkLinearTerm(offset, variables, GoldilocksExt2.One, null, padded, table);
    }

    /// <summary>Which of the reduction's commitments the term reads (0 for a single commitment).</summary>
    public int Table { get; }
    /// <summary>First entry of the region.</summary>
    public long Offset { get; }
    /// <summary>log2 of the region's length.</summary>
    public int Variables { get; }
    /// <summary>The eq term's coefficient (1 for a dense term).</summary>
    public GoldilocksExt2 Coefficient { get; }

    /// <summary>Whether the region lies inside a table of <paramref name="variables"/> variables.</summary>
    public bool Fits(int variables) => Variables <= variables && Offset + (1L << Variables) <= 1L << variables;

    /// <summary>sum over the region of weight(x) F[x].</summary>
    public GoldilocksExt2 Apply(ReadOnlySpan<Goldilocks> table)
    {
        var weights = Weights();
        GoldilocksExt2 sum = GoldilocksExt2.Zero;
        for (int i = 0; i < weights.Length; i++) sum += weights[i] * table[(int)Offset + i];
        return sum;
    }

    /// <summary>destination[offset + i] += scale weight(i) over the region.</summary>
    internal void AddTo(Span<GoldilocksExt2> destination, GoldilocksExt2 scale) => AddTo(destination, scale, 0, destination.Length, null);

    /// <summary>
    /// destination[x] += scale weight(x) for x in the region and in the aligned block [from, from + length) (length a power
    /// of two): the block of a parallel pass, so threads never write the same entries. An eq term's block is
    /// eq(q_high, block) eq(q_low, .), built in <paramref name="buffer"/> (length &gt;= half the block) and added in one pass.
    /// </summary>
    internal void AddTo(Span<GoldilocksExt2> destination, GoldilocksExt2 scale, long from, int length, GoldilocksExt2[]? buffer)
    {
        long size = 1L << Variables;
        long start = Math.Max(Offset, from), end = Math.Min(Offset + size, from + length);
        if (start >= end) return;
        var target = destination.Slice((int)start, (int)(end - start));
        if (_weights is not null)
        {
            var weights = _weights.AsSpan((int)(start - Offset), target.Length);
            for (int i = 0; i < target.Length; i++) target[i] += scale * weights[i];
            return;
        }
        // The block covers low = log2 |target| of the eq's variables; the high ones are fixed by its position.
        int low = System.Numerics.BitOperations.Log2((uint)target.Length), high = Variables - low;
        long block = (start - Offset) >> low;
        GoldilocksExt2 weight = scale * Coefficient;
        for (int i = 0; i < high; i++)
            weight *= ((block >> (high - 1 - i)) & 1) == 1 ? _point![i] : GoldilocksExt2.One - _point![i];
        AddEq(_point.AsSpan(high), weight, target, buffer);
    }

    /// <summary>target[x] += weight eq(q, x): the eq table built from weight by doubling, its last level added in place.</summary>
    private static void AddEq(ReadOnlySpan<GoldilocksExt2> q, GoldilocksExt2 weight, Span<GoldilocksExt2> target, GoldilocksExt2[]? buffer)
    {
        if (q.Length == 0)
        {
            target[0] += weight;
            return;
        }
        int half = target.Length / 2;
        var rented = buffer is null || buffer.Length < half ? System.Buffers.ArrayPool<GoldilocksExt2>.Shared.Rent(half) : null;
        var table = (rented ?? buffer!).AsSpan(0, half);
        table[0] = weight;
        for (int i = 0, size = 1; i < q.Length - 1; i++, size *= 2)
        {
            GoldilocksExt2 qi = q[i];
            for (int j = size - 1; j >= 0; j--)
            {
                GoldilocksExt2 v = table[j], hi = v * qi;
                table[2 * j + 1] = hi;
                table[2 * j] = v - hi;
            }
        }
        GoldilocksExt2 last = q[^1];
        for (int j = 0; j < half; j++)
        {
            GoldilocksExt2 v = table[j], hi = v * last;
            target[2 * j + 1] += hi;
            target[2 * j] += v - hi;
        }
        if (rented is not null) System.Buffers.ArrayPool<GoldilocksExt2>.Shared.Return(rented);
    }

    /// <summary>The multilinear extension of the term's weight vector (over all n = point.Length variables) at <paramref name="point"/>.</summary>
    internal GoldilocksExt2 Evaluate(ReadOnlySpan<GoldilocksExt2> point)
    {
        int high = point.Length - Variables;
        long block = Offset >> Variables;
        GoldilocksExt2 selector = GoldilocksExt2.One;
        for (int i = 0; i < high; i++)
            selector *= ((block >> (high - 1 - i)) & 1) == 1 ? point[i] : GoldilocksExt2.One - point[i];
        var tail = point[high..];
        if (_weights is not null) return selector * Multilinear.Evaluate(_weights, tail);
        GoldilocksExt2 eq = Coefficient;
        for (int i = 0; i < Variables; i++) eq *= _point![i] * tail[i] + (GoldilocksExt2.One - _point[i]) * (GoldilocksExt2.One - tail[i]);
        return selector * eq;
    }

    /// <summary>Absorbs the term's description (kind, region, coefficient, point or weights).</summary>
    internal void AbsorbInto(Transcript transcript)
    {
        transcript.Absorb("zklt.region", ((ulong)Offset << 16) | ((uint)Table << 8) | (uint)Variables);
        if (_weights is not null) transcript.Absorb("zklt.dense", _weights);
        else
        {
            transcript.Absorb("zklt.coefficient", [Coefficient]);
            transcript.Absorb("zklt.eq", _point);
        }
    }

    private GoldilocksExt2[] Weights()
    {
        if (_weights is not null) return _weights;
        var eq = Multilinear.EqTable(_point);
        for (int i = 0; i < eq.Length; i++) eq[i] *= Coefficient;
        return eq;
    }
}
