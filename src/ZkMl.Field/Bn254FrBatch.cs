using System.Runtime.InteropServices;

namespace ZkMl.Field;

/// <summary>
/// Element-wise <see cref="Bn254Fr"/> products over spans, eight at a time with AVX-512, four where AVX2 and FMA are
/// available (exact 52-bit limb products in doubles; see <c>Fp256Vector</c>), a scalar loop elsewhere and for the tail. Results are
/// the canonical values the scalar <see cref="Bn254Fr.Mul"/> returns.
/// </summary>
public static class Bn254FrBatch
{
    /// <summary>destination[i] = a[i] * b[i]. The destination may be a or b itself, or not overlap them at all.</summary>
    /// <exception cref="ArgumentException">The lengths differ, or the destination partially overlaps an input.</exception>
    public static void Multiply(ReadOnlySpan<Bn254Fr> a, ReadOnlySpan<Bn254Fr> b, Span<Bn254Fr> destination)
    {
        if (a.Length != b.Length || a.Length != destination.Length)
            throw new ArgumentException($"Lengths differ: {a.Length}, {b.Length} and destination {destination.Length}.");
        ReadOnlySpan<Bn254Fr> target = destination;
        bool isA = target == a, isB = target == b;
        if ((!isA && target.Overlaps(a)) || (!isB && target.Overlaps(b)))
            throw new ArgumentException("The destination must be one of the inputs or not overlap them.", nameof(destination));
        ReadOnlySpan<Bn254Fr> factors = b;
        if (isB && !isA) factors = a; // destination already holds b
        else if (!isA) a.CopyTo(destination);
        Fp256Butterflies<Bn254Fr.Config>.Multiply(
            MemoryMarshal.Cast<Bn254Fr, Fp256<Bn254Fr.Config>>(destination),
            MemoryMarshal.Cast<Bn254Fr, Fp256<Bn254Fr.Config>>(factors));
    }
}
