using System.Numerics;
using ZkMl.Circuits;
using ZkMl.Field;
using ZkMl.Models;

namespace ZkMl.Training.Circuits;

/// <summary>
/// Fixed-point neural-network gadgets (docs/fixed-point.md): signed integers embedded as p - |x|, each value bounded
/// by a declared signed width. Every gadget range-checks what its soundness relies on, so a prover cannot wrap
/// around the field. A multiply-accumulate costs one constraint (sums are free); rescales and range checks cost
/// one constraint per bit.
/// </summary>
/// <typeparam name="T">The field (its modulus must be much wider than the values; see <see cref="RequireFieldBits"/>).</typeparam>
public sealed class FixedPointGadgets<T> where T : struct, IPrimeField<T>
{
    /// <summary>Creates gadgets writing into <paramref name="builder"/>, with declared signed width <paramref name="valueBits"/>.</summary>
    public FixedPointGadgets(R1csBuilder<T> builder, int valueBits)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (valueBits < 2 || valueBits > 62) throw new ArgumentOutOfRangeException(nameof(valueBits));
        Builder = builder;
        ValueBits = valueBits;
    }

    /// <summary>The builder.</summary>
    public R1csBuilder<T> Builder { get; }

    /// <summary>The declared signed width B of rescaled values.</summary>
    public int ValueBits { get; }

    /// <summary>Throws <see cref="NotSupportedException"/> unless |values| &lt; 2^<paramref name="magnitudeBits"/> cannot wrap in <typeparamref name="T"/>.</summary>
    public static void RequireFieldBits(int magnitudeBits)
    {
        if (magnitudeBits + 2 > T.ModulusBits)
            throw new NotSupportedException($"{typeof(T).Name} ({T.ModulusBits} bits) is too small for intermediates of {magnitudeBits} bits");
    }

    /// <summary>The integer value of a combination (signed, as embedded).</summary>
    public BigInteger IntegerValue(LinearCombination<T> v) => SignedValues.ToBigInteger(Builder.Value(v));

    /// <summary>
    /// A fresh signed value in [-2^(bits-1), 2^(bits-1)) (bits boolean constraints; the value itself is a free
    /// combination of its bits). Throws <see cref="FixedPointOverflowException"/> in strict mode when it does not fit.
    /// </summary>
    public SignedWire<T> NewSigned(BigInteger value, int bits, string quantity)
    {
        var offset = BigInteger.One << (bits - 1);
        if (Builder.Strict && (value < -offset || value >= offset))
            throw new FixedPointOverflowException(quantity, (Int128)BigInteger.Clamp(value, (BigInteger)Int128.MinValue, (BigInteger)Int128.MaxValue), bits);
        var b = Builder.NewBoundedBits(value + offset, bits);
        return new SignedWire<T>(Builder.Pack(b) - T.FromBigInteger(offset), b);
    }

    /// <summary>
    /// Like <see cref="NewSigned"/> but the value is its own wire (bits + 1 constraints): worth the extra constraint
    /// for values used in many products, whose rows then hold one term instead of bits + 1.
    /// </summary>
    public SignedWire<T> NewSignedWire(BigInteger value, int bits, string quantity)
    {
        var w = NewSigned(value, bits, quantity);
        var wire = Builder.Hint(Builder.Value(w.Value));
        Builder.AssertEqual(w.Value, wire);
        return w with { Value = wire };
    }

    /// <summary>Proves that an existing combination lies in [-2^(bits-1), 2^(bits-1)) (bits + 1 constraints).</summary>
    public SignedWire<T> RangeCheckSigned(LinearCombination<T> v, int bits, string quantity)
    {
        var w = NewSigned(IntegerValue(v), bits, quantity);
        Builder.AssertEqual(w.Value, v);
        return w;
    }

    /// <summary>sum_i a[i] * b[i]: one constraint per product, the sum is free.</summary>
    public LinearCombination<T> Dot(IReadOnlyList<LinearCombination<T>> a, IReadOnlyList<LinearCombination<T>> b)
    {
        if (a.Count != b.Count) throw new ArgumentException($"length mismatch: {a.Count} vs {b.Count}");
        var products = new LinearCombination<T>[a.Count];
        for (int i = 0; i < a.Count; i++) products[i] = Builder.Mul(a[i], b[i]);
        return LinearCombination<T>.Sum(products);
    }

    /// <summary>Dense layer without bias, before rescaling: y = W x for W [rows x cols] row-major (rows * cols constraints).</summary>
    public LinearCombination<T>[] Dense(IReadOnlyList<LinearCombination<T>> weights, int rows, int cols, IReadOnlyList<LinearCombination<T>> x)
    {
        if (weights.Count != rows * cols || x.Count != cols) throw new ArgumentException("shape mismatch");
        var y = new LinearCombination<T>[rows];
        for (int r = 0; r < rows; r++)
        {
            var row = new LinearCombination<T>[cols];
            for (int c = 0; c < cols; c++) row[c] = weights[r * cols + c];
            y[r] = Dot(row, x);
        }
        return y;
    }

    /// <summary>The batched dense layer: Y[b] = W X[b] for each sample b.</summary>
    public LinearCombination<T>[][] DenseBatch(IReadOnlyList<LinearCombination<T>> weights, int rows, int cols, IReadOnlyList<IReadOnlyList<LinearCombination<T>>> xs) =>
        xs.Select(x => Dense(weights, rows, cols, x)).ToArray();

    /// <summary>
    /// Rescale_k(v) = floor((v + 2^(k-1)) / 2^k): the quotient q (B signed bits) and remainder r (k bits) are hints,
    /// bound by the single constraint q * 2^k + r = v + 2^(k-1). B + k + 1 constraints. The caller guarantees
    /// |v| + 2^(B+k) stays far below p/2 (true for every use here), so the integer relation is exact.
    /// </summary>
    /// <param name="v">The value to rescale.</param>
    /// <param name="shift">k.</param>
    /// <param name="quantity">Name for overflow errors.</param>
    /// <param name="asWire">Make the quotient its own wire (one more constraint) for a value used in many products.</param>
    public SignedWire<T> Rescale(LinearCombination<T> v, int shift, string quantity, bool asWire = false)
    {
        if (shift < 1 || shift > 62) throw new ArgumentOutOfRangeException(nameof(shift));
        var value = IntegerValue(v);
        var half = BigInteger.One << (shift - 1);
        var shifted = value + half;
        var q = BigInteger.DivRem(shifted, BigInteger.One << shift, out var r);
        if (r.Sign < 0) { q -= 1; r += BigInteger.One << shift; } // floor, also for negatives
        var quotient = asWire ? NewSignedWire(q, ValueBits, quantity) : NewSigned(q, ValueBits, quantity);
        var remainder = Builder.NewBoundedBits(r, shift);
        Builder.AssertEqual(quotient.Value * T.FromBigInteger(BigInteger.One << shift) + Builder.Pack(remainder), v + T.FromBigInteger(half));
        return quotient;
    }

    /// <summary>
    /// ReLU of a range-checked value: output max(z, 0) and the derivative mask (z &gt; 0). Three constraints:
    /// out = [z &gt;= 0] * z with the sign taken from z's bits, and mask = 1 - IsZero(out).
    /// </summary>
    public (LinearCombination<T> Output, LinearCombination<T> Positive) Relu(SignedWire<T> z)
    {
        var output = Builder.Mul(z.IsNonNegative, z.Value);
        var positive = Builder.Not(Builder.IsZero(output));
        return (output, positive);
    }

    /// <summary>The MSE gradient e = z - t (its constant factor folded into the learning rate): free.</summary>
    public LinearCombination<T>[] MseGradient(IReadOnlyList<LinearCombination<T>> outputs, IReadOnlyList<LinearCombination<T>> targets)
    {
        if (outputs.Count != targets.Count) throw new ArgumentException("length mismatch");
        return outputs.Select((z, i) => z - targets[i]).ToArray();
    }

    /// <summary>
    /// One-hot encoding of a label in [0, classes): boolean indicators summing to 1 (classes + 1 constraints);
    /// the label itself is the free combination sum i * indicator[i].
    /// </summary>
    public (LinearCombination<T>[] Indicators, LinearCombination<T> Label) OneHot(int label, int classes)
    {
        if (Builder.Strict && (label < 0 || label >= classes)) throw new ArgumentOutOfRangeException(nameof(label), label, $"labels are in [0, {classes})");
        var ind = new LinearCombination<T>[classes];
        for (int i = 0; i < classes; i++)
        {
            ind[i] = Builder.Hint(i == label ? T.One : T.Zero);
            Builder.AssertBoolean(ind[i]);
        }
        Builder.AssertEqual(LinearCombination<T>.Sum(ind), Builder.One);
        var labelLc = LinearCombination<T>.Sum(ind.Select((x, i) => x * T.FromUInt64((ulong)i)));
        return (ind, labelLc);
    }

    /// <summary>
    /// Packs signed values of a declared width into as few field elements as fit (offset form v + 2^(bits-1) in
    /// bits-wide slots, injective because each value was range-checked to that width): free.
    /// </summary>
    public static LinearCombination<T>[] PackSigned(IReadOnlyList<SignedWire<T>> values)
    {
        var result = new List<LinearCombination<T>>();
        if (values.Count == 0) return [];
        int bits = values[0].Bits.Length;
        int perElement = SlotsPerElement(bits);
        for (int start = 0; start < values.Count; start += perElement)
        {
            var terms = new List<LinearCombination<T>>();
            var shift = T.One;
            var slot = T.FromBigInteger(BigInteger.One << bits);
            for (int i = start; i < Math.Min(values.Count, start + perElement); i++)
            {
                if (values[i].Bits.Length != bits) throw new ArgumentException("all packed values must have the same width");
                terms.Add((values[i].Value + T.FromBigInteger(BigInteger.One << (bits - 1))) * shift);
                shift *= slot;
            }
            result.Add(LinearCombination<T>.Sum(terms));
        }
        return result.ToArray();
    }

    /// <summary>Native twin of the packing gadget: the same field elements from plain integers.</summary>
    public static T[] PackSigned(ReadOnlySpan<long> values, int bits)
    {
        int perElement = SlotsPerElement(bits);
        var result = new T[(values.Length + perElement - 1) / perElement];
        var offset = BigInteger.One << (bits - 1);
        for (int e = 0; e < result.Length; e++)
        {
            BigInteger acc = BigInteger.Zero;
            int end = Math.Min(values.Length, (e + 1) * perElement);
            for (int i = end - 1; i >= e * perElement; i--)
            {
                var v = values[i] + offset;
                if (v.Sign < 0 || v >= (offset << 1)) throw new FixedPointOverflowException($"packed value {i}", values[i], bits);
                acc = (acc << bits) + v;
            }
            result[e] = T.FromBigInteger(acc);
        }
        return result;
    }

    /// <summary>How many bits-wide slots fit below the modulus.</summary>
    public static int SlotsPerElement(int bits) => Math.Max(1, (T.ModulusBits - 1) / bits);
}
