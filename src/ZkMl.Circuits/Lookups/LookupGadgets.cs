namespace ZkMl.Circuits.Lookups;

/// <summary>
/// Range checks and ReLU in lookup form. A signed B-bit value v is shifted to u = v + 2^(B-1) in [0, 2^B) and split
/// into limbs of <c>limbBits</c> bits (u = sum limb_i 2^(i*limbBits)); every limb but the top one is looked up in
/// <see cref="Range"/>(limbBits) and the top limb in <see cref="TopLimb"/>, whose second column is the limb's top bit,
/// the sign of v (1 when v &gt;= 0). ReLU then needs one product (out = sign * v) and, for the derivative mask
/// (v &gt; 0), a zero test of out: the same algebra as the R1CS form, with lookups in place of bit decompositions.
/// </summary>
public static class LookupGadgets
{
    /// <summary>The table of [0, 2^bits): one column.</summary>
    public static LookupTable Range(int bits)
    {
        if (bits < 1 || bits > 24) throw new ArgumentOutOfRangeException(nameof(bits), bits, "range tables hold 2^1 .. 2^24 rows");
        var cells = new long[1L << bits];
        for (long i = 0; i < cells.Length; i++) cells[i] = i;
        return new LookupTable($"range{bits}", ["value"], cells);
    }

    /// <summary>The top-limb table for B-bit values split in limbBits-bit limbs: rows (limb, top bit of the B-bit value).</summary>
    public static LookupTable TopLimb(int valueBits, int limbBits)
    {
        int top = TopLimbBits(valueBits, limbBits);
        var cells = new long[2L << top];
        for (long l = 0; l < 1L << top; l++)
        {
            cells[2 * l] = l;
            cells[2 * l + 1] = l >> (top - 1);
        }
        return new LookupTable($"toplimb{valueBits}/{limbBits}", ["limb", "sign"], cells);
    }

    /// <summary>
    /// The ReLU table for small signed widths (whole values looked up at once): rows (x, max(x, 0), [x &gt; 0])
    /// for x in [-2^(bits-1), 2^(bits-1)).
    /// </summary>
    public static LookupTable Relu(int bits)
    {
        if (bits < 1 || bits > 20) throw new ArgumentOutOfRangeException(nameof(bits), bits, "direct ReLU tables hold up to 2^20 rows; split wider values into limbs");
        long lo = -(1L << (bits - 1)), n = 1L << bits;
        var cells = new long[3 * n];
        for (long i = 0; i < n; i++)
        {
            long x = lo + i;
            cells[3 * i] = x;
            cells[3 * i + 1] = Math.Max(x, 0);
            cells[3 * i + 2] = x > 0 ? 1 : 0;
        }
        return new LookupTable($"relu{bits}", ["x", "relu", "positive"], cells);
    }

    /// <summary>Bits of the top limb.</summary>
    public static int TopLimbBits(int valueBits, int limbBits)
    {
        if (limbBits < 1 || valueBits < 1) throw new ArgumentOutOfRangeException(nameof(limbBits));
        int rest = valueBits % limbBits;
        return rest == 0 ? limbBits : rest;
    }

    /// <summary>Limbs of v + 2^(valueBits-1), least significant first (the top limb may be narrower).</summary>
    public static long[] Limbs(long value, int valueBits, int limbBits)
    {
        if (valueBits < 2 || valueBits > 62) throw new ArgumentOutOfRangeException(nameof(valueBits));
        int count = (valueBits + limbBits - 1) / limbBits;
        long u = value + (1L << (valueBits - 1));
        var limbs = new long[count];
        for (int i = 0; i < count; i++)
        {
            // A value outside the width leaves a negative or oversized top limb, which no table row matches.
            limbs[i] = i == count - 1 ? u >> (i * limbBits) : (u >> (i * limbBits)) & ((1L << limbBits) - 1);
        }
        return limbs;
    }

    /// <summary>
    /// Adds the lookups proving value in [-2^(B-1), 2^(B-1)) and returns its sign bit (1 when value &gt;= 0):
    /// lower limbs into <paramref name="range"/>, the top limb (with the sign) into <paramref name="topLimb"/>.
    /// The backend also constrains value + 2^(B-1) = sum limb_i 2^(i*limbBits) (a linear constraint).
    /// </summary>
    public static long RangeCheckSigned(long value, int valueBits, int limbBits, LookupColumns range, LookupColumns topLimb, string label)
    {
        var limbs = Limbs(value, valueBits, limbBits);
        for (int i = 0; i < limbs.Length - 1; i++) range.Add([limbs[i]], $"{label} limb {i}");
        long top = limbs[^1];
        long sign = value >= 0 ? 1 : 0;
        topLimb.Add([top, sign], $"{label} top limb");
        return sign;
    }

    /// <summary>
    /// ReLU in lookup form: range-checks value (limbs), returns (max(value, 0), [value &gt; 0]). The backend constrains
    /// out = sign * value and positive = 1 - IsZero(out).
    /// </summary>
    public static (long Output, long Positive) Relu(long value, int valueBits, int limbBits, LookupColumns range, LookupColumns topLimb, string label)
    {
        long sign = RangeCheckSigned(value, valueBits, limbBits, range, topLimb, label);
        long output = sign * value;
        return (output, output != 0 ? 1 : 0);
    }
}
