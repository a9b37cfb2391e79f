using System.Runtime.InteropServices;
using FsCheck.Xunit;
using ZkMl.Field;
using ZkMl.Snark.Curves;
using ZkMl.Snark.Msm;

namespace ZkMl.Snark.Tests.Msm;

/// <summary>
/// The G2 MSM's batched additions in lanes (AVX-512, and AVX2 forced through <see cref="LaneBatchAdder.PreferAvx2"/>)
/// against the scalar ones (the tests return at once without AVX2).
/// </summary>
public class Fq2LaneBatchAdderTests
{
    private static Fq2 RandomFq2(Random rng) => rng.Next(16) switch
    {
        0 => new Fq2(-Bn254Fq.One, -Bn254Fq.One), // the largest canonical values
        1 => new Fq2(Bn254Fq.Zero, -Bn254Fq.One),
        _ => Fq2.Random(rng),
    };

    /// <summary>The chord formula on any coordinates (no curve needed): (x1, y1) + (x2, y2) with x1 != x2.</summary>
    private static (Fq2 X, Fq2 Y) Chord(Fq2 x1, Fq2 y1, Fq2 x2, Fq2 y2)
    {
        var lambda = (y2 - y1) * Fq2.Inverse(x2 - x1);
        var x3 = lambda * lambda - x1 - x2;
        return (x3, lambda * (x1 - x3) - y1);
    }

    /// <summary>Runs f with new adders on the 4-lane AVX2 form (where the CPU has AVX2).</summary>
    private static T OnAvx2<T>(Func<T> f)
    {
        LaneBatchAdder.PreferAvx2 = true;
        try
        {
            return f();
        }
        finally
        {
            LaneBatchAdder.PreferAvx2 = false;
        }
    }

    [Property(MaxTest = 20)]
    public void FlushMatchesScalarChord(int seed)
    {
        if (!LaneBatchAdder.IsSupported) return;
        CheckFlush(seed);
        OnAvx2(() => { CheckFlush(seed); return 0; }); // the adder reads the width when it is made
    }

    private static void CheckFlush(int seed)
    {
        var rng = new Random(seed);
        int count = rng.Next(1, 41);
        var buckets = new AffinePoint<Fq2>[count + 3];
        var pending = new bool[buckets.Length];
        var expected = new (Fq2 X, Fq2 Y)[count];
        var adder = new Fq2LaneBatchAdder(64);
        for (int k = 0; k < count; k++)
        {
            var b = new AffinePoint<Fq2>(RandomFq2(rng), RandomFq2(rng), false);
            var q = new AffinePoint<Fq2>(RandomFq2(rng), RandomFq2(rng), false);
            if (q.X == b.X) q.X += Fq2.One;
            buckets[k + 3] = b;
            expected[k] = Chord(b.X, b.Y, q.X, q.Y);
            adder.Add(k + 3, q);
            pending[k + 3] = true;
        }
        adder.Flush(buckets, pending);
        Assert.Equal(0, adder.Count);
        for (int k = 0; k < count; k++)
        {
            Assert.Equal(expected[k].X, buckets[k + 3].X);
            Assert.Equal(expected[k].Y, buckets[k + 3].Y);
            Assert.False(pending[k + 3]);
        }
    }

    private static G2Projective G2Msm(G2Affine[] bases, Bn254Fr[] scalars, bool lanes, bool? glv) =>
        new(PippengerCore<Fq2>.Compute(MemoryMarshal.Cast<G2Affine, AffinePoint<Fq2>>(bases), scalars, 2, lanes, glv));

    /// <summary>
    /// Bases k_i G on an arithmetic progression, so the answer is (sum s_i k_i) G; some repeated (doublings in a batch beside
    /// the lanes' additions), negated (cancellations) and infinity; windows wide enough for the batched path.
    /// </summary>
    [Property(MaxTest = 3)]
    public void G2LanesMatchScalarPath(int seed)
    {
        if (!LaneBatchAdder.IsSupported) return;
        var rng = new Random(seed);
        int n = 1500 + rng.Next(1000);
        var tau = Bn254Fr.Random(rng);
        var sigma = Bn254Fr.Random(rng);
        var step = G2Affine.Generator.Multiply(sigma);
        var acc = G2Affine.Generator.Multiply(tau);
        var proj = new G2Projective[n];
        var keys = new Bn254Fr[n];
        var scalars = new Bn254Fr[n];
        var key = tau;
        for (int i = 0; i < n; i++)
        {
            proj[i] = acc;
            keys[i] = key;
            acc += step;
            key += sigma;
            scalars[i] = rng.Next(4) switch
            {
                0 => Bn254Fr.FromUInt64((ulong)rng.Next(1 << 12)),
                1 => -Bn254Fr.FromUInt64((ulong)rng.Next(1 << 12)),
                _ => Bn254Fr.Random(rng),
            };
        }
        var bases = new G2Affine[n];
        G2Projective.BatchToAffine(proj, bases);
        for (int i = 0; i < 40; i++)
        {
            int a = rng.Next(n), b = rng.Next(n);
            switch (i % 3)
            {
                case 0: bases[b] = bases[a]; keys[b] = keys[a]; scalars[b] = scalars[a]; break; // same bucket, same point
                case 1: bases[b] = bases[a].Negate(); keys[b] = -keys[a]; break;
                default: bases[b] = G2Affine.Infinity; keys[b] = Bn254Fr.Zero; break;
            }
        }
        var dot = Bn254Fr.Zero;
        for (int i = 0; i < n; i++) dot += scalars[i] * keys[i];
        var expected = G2Affine.Generator.Multiply(dot);
        foreach (bool? glv in new bool?[] { null, true, false })
        {
            Assert.Equal(expected, G2Msm(bases, scalars, lanes: true, glv));
            Assert.Equal(expected, OnAvx2(() => G2Msm(bases, scalars, lanes: true, glv)));
            Assert.Equal(expected, G2Msm(bases, scalars, lanes: false, glv));
        }
    }
}
