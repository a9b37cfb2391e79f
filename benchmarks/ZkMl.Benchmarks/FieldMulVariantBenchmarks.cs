using BenchmarkDotNet.Attributes;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Configs;
using ZkMl.Benchmarks.Variants;
using ZkMl.Field;

namespace ZkMl.Benchmarks;

/// <summary>
/// Forms of the BN254 Montgomery product side by side in one run (issue #18): the 4x64 CIOS (<c>Mont256.MulCios</c>,
/// the product before), the shipped five-digit unsaturated rows (<c>Mont256.Mul</c>, what Bn254Fr/Bn254Fq.Mul run),
/// and two unsaturated forms not kept (<see cref="Unsaturated52"/>); and the squares (<c>Mont256.SquareCios</c> against
/// the shipped unsaturated <c>Mont256.Square</c>). "Chain": each product feeds the next (latency);
/// "Independent": 4096 products of separate operands (throughput). Per product. Setup checks every form against
/// Bn254Fr.Mul on random operands and throws on any difference.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory), CategoriesColumn]
public class FieldMulVariantBenchmarks
{
    private const int Chain = 1000;
    private const int Length = 4096;
    private Bn254Fr _x, _s;
    private Bn254Fq _qx, _qs;
    private Bn254Fr[] _a = [], _b = [], _d = [];

    private delegate void Product(ulong a0, ulong a1, ulong a2, ulong a3, ulong b0, ulong b1, ulong b2, ulong b3,
        out ulong r0, out ulong r1, out ulong r2, out ulong r3);

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(11);
        (_x, _s) = (Bn254Fr.Random(rng), Bn254Fr.Random(rng));
        (_qx, _qs) = (Bn254Fq.Random(rng), Bn254Fq.Random(rng));
        _a = [.. Enumerable.Range(0, Length).Select(_ => Bn254Fr.Random(rng))];
        _b = [.. Enumerable.Range(0, Length).Select(_ => Bn254Fr.Random(rng))];
        _d = new Bn254Fr[Length];
        Product[] forms =
        [
            (ulong a0, ulong a1, ulong a2, ulong a3, ulong b0, ulong b1, ulong b2, ulong b3, out ulong r0, out ulong r1, out ulong r2, out ulong r3) =>
                Mont256.MulCios(a0, a1, a2, a3, b0, b1, b2, b3, Bn254Fr.Config.P0, Bn254Fr.Config.P1, Bn254Fr.Config.P2, Bn254Fr.Config.P3,
                    Bn254Fr.Config.Inv, out r0, out r1, out r2, out r3),
            Unsaturated52.Fips,
            Unsaturated52.RowsMasked,
            Fma52.Hybrid,
            Fma52.VectorRounds,
            Fma52.Split,
        ];
        for (int i = 0; i < Length; i++)
        {
            _a[i].GetMontgomeryLimbs(out ulong a0, out ulong a1, out ulong a2, out ulong a3);
            _b[i].GetMontgomeryLimbs(out ulong b0, out ulong b1, out ulong b2, out ulong b3);
            (Bn254Fr.Mul(_a[i], _b[i])).GetMontgomeryLimbs(out ulong e0, out ulong e1, out ulong e2, out ulong e3);
            foreach (Product f in forms)
            {
                f(a0, a1, a2, a3, b0, b1, b2, b3, out ulong r0, out ulong r1, out ulong r2, out ulong r3);
                if ((r0, r1, r2, r3) != (e0, e1, e2, e3)) throw new InvalidOperationException($"{f.Method.Name} differs from Bn254Fr.Mul");
            }
            Bn254Fr.Square(_a[i]).GetMontgomeryLimbs(out e0, out e1, out e2, out e3);
            Mont256.SquareCios(a0, a1, a2, a3, Bn254Fr.Config.P0, Bn254Fr.Config.P1, Bn254Fr.Config.P2, Bn254Fr.Config.P3,
                Bn254Fr.Config.Inv, out ulong q0, out ulong q1, out ulong q2, out ulong q3);
            if ((q0, q1, q2, q3) != (e0, e1, e2, e3)) throw new InvalidOperationException("SquareCios differs from Bn254Fr.Square");
        }
        CheckLanes8();
        // Edges (raw limbs, a up to 2^256 - 1, b up to p - 1) against the shipped Mont256.Mul, which accepts them.
        ulong[][] edgesA = [[0, 0, 0, 0], [1, 0, 0, 0], [ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue],
            [0, 0, 0, 1UL << 63], [Bn254Fr.Config.P0 - 1, Bn254Fr.Config.P1, Bn254Fr.Config.P2, Bn254Fr.Config.P3],
            [Bn254Fr.Config.P0, Bn254Fr.Config.P1, Bn254Fr.Config.P2, Bn254Fr.Config.P3], [(1UL << 52) - 1, ulong.MaxValue >> 24, 0, ulong.MaxValue]];
        ulong[][] edgesB = [[0, 0, 0, 0], [1, 0, 0, 0], [Bn254Fr.Config.P0 - 1, Bn254Fr.Config.P1, Bn254Fr.Config.P2, Bn254Fr.Config.P3],
            [(1UL << 52) - 1, (1UL << 40) - 1, 0, Bn254Fr.Config.P3 - 1], [0, 0, 0, Bn254Fr.Config.P3 - 1]];
        foreach (ulong[] x in edgesA)
            foreach (ulong[] y in edgesB)
            {
                Mont256.Mul(x[0], x[1], x[2], x[3], y[0], y[1], y[2], y[3], Bn254Fr.Config.P0, Bn254Fr.Config.P1, Bn254Fr.Config.P2, Bn254Fr.Config.P3,
                    Bn254Fr.Config.Inv, out ulong e0, out ulong e1, out ulong e2, out ulong e3);
                foreach (Product f in forms[3..])
                {
                    f(x[0], x[1], x[2], x[3], y[0], y[1], y[2], y[3], out ulong r0, out ulong r1, out ulong r2, out ulong r3);
                    if ((r0, r1, r2, r3) != (e0, e1, e2, e3)) throw new InvalidOperationException($"{f.Method.Name} differs from Mont256.Mul on an edge");
                }
            }
    }

    private void CheckLanes8()
    {
        if (!Fp256Vector512<Bn254Fr.Config>.IsSupported) return;
        FrIndependentLanes8();
        for (int i = 0; i < Length; i++)
            if (!_d[i].Equals(Bn254Fr.Mul(_a[i], _b[i]))) throw new InvalidOperationException("Mul8 differs from Bn254Fr.Mul");
        Array.Clear(_d);
        FrIndependentLanes4();
        for (int i = 0; i < Length; i++)
            if (!_d[i].Equals(Bn254Fr.Mul(_a[i], _b[i]))) throw new InvalidOperationException("Mul4 differs from Bn254Fr.Mul");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Chain), BenchmarkCategory("FrChain")]
    public ulong FrChainCios()
    {
        _x.GetMontgomeryLimbs(out ulong a0, out ulong a1, out ulong a2, out ulong a3);
        _s.GetMontgomeryLimbs(out ulong s0, out ulong s1, out ulong s2, out ulong s3);
        for (int i = 0; i < Chain; i++)
            Mont256.MulCios(a0, a1, a2, a3, s0, s1, s2, s3, Bn254Fr.Config.P0, Bn254Fr.Config.P1, Bn254Fr.Config.P2, Bn254Fr.Config.P3,
                Bn254Fr.Config.Inv, out a0, out a1, out a2, out a3);
        return a0 ^ a1 ^ a2 ^ a3;
    }

    [Benchmark(OperationsPerInvoke = Chain), BenchmarkCategory("FrChain")]
    public Bn254Fr FrChainUnsaturatedRows()
    {
        Bn254Fr x = _x, s = _s;
        for (int i = 0; i < Chain; i++) x = Bn254Fr.Mul(x, s);
        return x;
    }

    [Benchmark(OperationsPerInvoke = Chain), BenchmarkCategory("FrChain")]
    public ulong FrChainUnsaturatedRowsLimbs()
    {
        _x.GetMontgomeryLimbs(out ulong a0, out ulong a1, out ulong a2, out ulong a3);
        _s.GetMontgomeryLimbs(out ulong s0, out ulong s1, out ulong s2, out ulong s3);
        for (int i = 0; i < Chain; i++)
            Mont256.Mul(a0, a1, a2, a3, s0, s1, s2, s3, Bn254Fr.Config.P0, Bn254Fr.Config.P1, Bn254Fr.Config.P2, Bn254Fr.Config.P3,
                Bn254Fr.Config.Inv, out a0, out a1, out a2, out a3);
        return a0 ^ a1 ^ a2 ^ a3;
    }

    [Benchmark(OperationsPerInvoke = Chain), BenchmarkCategory("FrChain")]
    public ulong FrChainFips52()
    {
        _x.GetMontgomeryLimbs(out ulong a0, out ulong a1, out ulong a2, out ulong a3);
        _s.GetMontgomeryLimbs(out ulong s0, out ulong s1, out ulong s2, out ulong s3);
        for (int i = 0; i < Chain; i++) Unsaturated52.Fips(a0, a1, a2, a3, s0, s1, s2, s3, out a0, out a1, out a2, out a3);
        return a0 ^ a1 ^ a2 ^ a3;
    }

    [Benchmark(OperationsPerInvoke = Chain), BenchmarkCategory("FrChain")]
    public ulong FrChainRowsMasked()
    {
        _x.GetMontgomeryLimbs(out ulong a0, out ulong a1, out ulong a2, out ulong a3);
        _s.GetMontgomeryLimbs(out ulong s0, out ulong s1, out ulong s2, out ulong s3);
        for (int i = 0; i < Chain; i++) Unsaturated52.RowsMasked(a0, a1, a2, a3, s0, s1, s2, s3, out a0, out a1, out a2, out a3);
        return a0 ^ a1 ^ a2 ^ a3;
    }

    [Benchmark(OperationsPerInvoke = Chain), BenchmarkCategory("FrChain")]
    public ulong FrChainHybrid()
    {
        _x.GetMontgomeryLimbs(out ulong a0, out ulong a1, out ulong a2, out ulong a3);
        _s.GetMontgomeryLimbs(out ulong s0, out ulong s1, out ulong s2, out ulong s3);
        for (int i = 0; i < Chain; i++) Fma52.Hybrid(a0, a1, a2, a3, s0, s1, s2, s3, out a0, out a1, out a2, out a3);
        return a0 ^ a1 ^ a2 ^ a3;
    }

    [Benchmark(OperationsPerInvoke = Chain), BenchmarkCategory("FrChain")]
    public ulong FrChainSplit()
    {
        _x.GetMontgomeryLimbs(out ulong a0, out ulong a1, out ulong a2, out ulong a3);
        _s.GetMontgomeryLimbs(out ulong s0, out ulong s1, out ulong s2, out ulong s3);
        for (int i = 0; i < Chain; i++) Fma52.Split(a0, a1, a2, a3, s0, s1, s2, s3, out a0, out a1, out a2, out a3);
        return a0 ^ a1 ^ a2 ^ a3;
    }

    [Benchmark(OperationsPerInvoke = Chain), BenchmarkCategory("FrChain")]
    public ulong FrChainVectorRounds()
    {
        _x.GetMontgomeryLimbs(out ulong a0, out ulong a1, out ulong a2, out ulong a3);
        _s.GetMontgomeryLimbs(out ulong s0, out ulong s1, out ulong s2, out ulong s3);
        for (int i = 0; i < Chain; i++) Fma52.VectorRounds(a0, a1, a2, a3, s0, s1, s2, s3, out a0, out a1, out a2, out a3);
        return a0 ^ a1 ^ a2 ^ a3;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Chain), BenchmarkCategory("FqChain")]
    public ulong FqChainCios()
    {
        _qx.GetMontgomeryLimbs(out ulong a0, out ulong a1, out ulong a2, out ulong a3);
        _qs.GetMontgomeryLimbs(out ulong s0, out ulong s1, out ulong s2, out ulong s3);
        for (int i = 0; i < Chain; i++)
            Mont256.MulCios(a0, a1, a2, a3, s0, s1, s2, s3, Bn254Fq.Config.P0, Bn254Fq.Config.P1, Bn254Fq.Config.P2, Bn254Fq.Config.P3,
                Bn254Fq.Config.Inv, out a0, out a1, out a2, out a3);
        return a0 ^ a1 ^ a2 ^ a3;
    }

    [Benchmark(OperationsPerInvoke = Chain), BenchmarkCategory("FqChain")]
    public Bn254Fq FqChainUnsaturatedRows()
    {
        Bn254Fq x = _qx, s = _qs;
        for (int i = 0; i < Chain; i++) x = Bn254Fq.Mul(x, s);
        return x;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Chain), BenchmarkCategory("FrSquareChain")]
    public ulong FrSquareChainCios()
    {
        _x.GetMontgomeryLimbs(out ulong a0, out ulong a1, out ulong a2, out ulong a3);
        for (int i = 0; i < Chain; i++)
            Mont256.SquareCios(a0, a1, a2, a3, Bn254Fr.Config.P0, Bn254Fr.Config.P1, Bn254Fr.Config.P2, Bn254Fr.Config.P3,
                Bn254Fr.Config.Inv, out a0, out a1, out a2, out a3);
        return a0 ^ a1 ^ a2 ^ a3;
    }

    [Benchmark(OperationsPerInvoke = Chain), BenchmarkCategory("FrSquareChain")]
    public Bn254Fr FrSquareChainUnsaturated()
    {
        Bn254Fr x = _x;
        for (int i = 0; i < Chain; i++) x = Bn254Fr.Square(x);
        return x;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Chain), BenchmarkCategory("FqSquareChain")]
    public ulong FqSquareChainCios()
    {
        _qx.GetMontgomeryLimbs(out ulong a0, out ulong a1, out ulong a2, out ulong a3);
        for (int i = 0; i < Chain; i++)
            Mont256.SquareCios(a0, a1, a2, a3, Bn254Fq.Config.P0, Bn254Fq.Config.P1, Bn254Fq.Config.P2, Bn254Fq.Config.P3,
                Bn254Fq.Config.Inv, out a0, out a1, out a2, out a3);
        return a0 ^ a1 ^ a2 ^ a3;
    }

    [Benchmark(OperationsPerInvoke = Chain), BenchmarkCategory("FqSquareChain")]
    public Bn254Fq FqSquareChainUnsaturated()
    {
        Bn254Fq x = _qx;
        for (int i = 0; i < Chain; i++) x = Bn254Fq.Square(x);
        return x;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Length), BenchmarkCategory("FrIndependent")]
    public void FrIndependentCios()
    {
        Bn254Fr[] a = _a, b = _b, d = _d;
        for (int i = 0; i < a.Length; i++)
        {
            a[i].GetMontgomeryLimbs(out ulong a0, out ulong a1, out ulong a2, out ulong a3);
            b[i].GetMontgomeryLimbs(out ulong b0, out ulong b1, out ulong b2, out ulong b3);
            Mont256.MulCios(a0, a1, a2, a3, b0, b1, b2, b3, Bn254Fr.Config.P0, Bn254Fr.Config.P1, Bn254Fr.Config.P2, Bn254Fr.Config.P3,
                Bn254Fr.Config.Inv, out ulong r0, out ulong r1, out ulong r2, out ulong r3);
            d[i] = Bn254Fr.FromMontgomeryLimbs(r0, r1, r2, r3);
        }
    }

    [Benchmark(OperationsPerInvoke = Length), BenchmarkCategory("FrIndependent")]
    public void FrIndependentUnsaturatedRows()
    {
        Bn254Fr[] a = _a, b = _b, d = _d;
        for (int i = 0; i < a.Length; i++)
        {
            a[i].GetMontgomeryLimbs(out ulong a0, out ulong a1, out ulong a2, out ulong a3);
            b[i].GetMontgomeryLimbs(out ulong b0, out ulong b1, out ulong b2, out ulong b3);
            Mont256.Mul(a0, a1, a2, a3, b0, b1, b2, b3, Bn254Fr.Config.P0, Bn254Fr.Config.P1, Bn254Fr.Config.P2, Bn254Fr.Config.P3,
                Bn254Fr.Config.Inv, out ulong r0, out ulong r1, out ulong r2, out ulong r3);
            d[i] = Bn254Fr.FromMontgomeryLimbs(r0, r1, r2, r3);
        }
    }

    [Benchmark(OperationsPerInvoke = Length), BenchmarkCategory("FrIndependent")]
    public void FrIndependentHybrid()
    {
        Bn254Fr[] a = _a, b = _b, d = _d;
        for (int i = 0; i < a.Length; i++)
        {
            a[i].GetMontgomeryLimbs(out ulong a0, out ulong a1, out ulong a2, out ulong a3);
            b[i].GetMontgomeryLimbs(out ulong b0, out ulong b1, out ulong b2, out ulong b3);
            Fma52.Hybrid(a0, a1, a2, a3, b0, b1, b2, b3, out ulong r0, out ulong r1, out ulong r2, out ulong r3);
            d[i] = Bn254Fr.FromMontgomeryLimbs(r0, r1, r2, r3);
        }
    }

    [Benchmark(OperationsPerInvoke = Length), BenchmarkCategory("FrIndependent")]
    public void FrIndependentSplit()
    {
        Bn254Fr[] a = _a, b = _b, d = _d;
        for (int i = 0; i < a.Length; i++)
        {
            a[i].GetMontgomeryLimbs(out ulong a0, out ulong a1, out ulong a2, out ulong a3);
            b[i].GetMontgomeryLimbs(out ulong b0, out ulong b1, out ulong b2, out ulong b3);
            Fma52.Split(a0, a1, a2, a3, b0, b1, b2, b3, out ulong r0, out ulong r1, out ulong r2, out ulong r3);
            d[i] = Bn254Fr.FromMontgomeryLimbs(r0, r1, r2, r3);
        }
    }

    [Benchmark(OperationsPerInvoke = Length), BenchmarkCategory("FrIndependent")]
    public void FrIndependentVectorRounds()
    {
        Bn254Fr[] a = _a, b = _b, d = _d;
        for (int i = 0; i < a.Length; i++)
        {
            a[i].GetMontgomeryLimbs(out ulong a0, out ulong a1, out ulong a2, out ulong a3);
            b[i].GetMontgomeryLimbs(out ulong b0, out ulong b1, out ulong b2, out ulong b3);
            Fma52.VectorRounds(a0, a1, a2, a3, b0, b1, b2, b3, out ulong r0, out ulong r1, out ulong r2, out ulong r3);
            d[i] = Bn254Fr.FromMontgomeryLimbs(r0, r1, r2, r3);
        }
    }

    /// <summary>Reference, not a scalar product: the shipped 8-lane kernel (Fp256Vector512.Mul8), eight independent products per call, per product.</summary>
    [Benchmark(OperationsPerInvoke = Length), BenchmarkCategory("FrIndependent")]
    public void FrIndependentLanes8()
    {
        ref ulong a = ref Unsafe.As<Bn254Fr, ulong>(ref MemoryMarshal.GetArrayDataReference(_a));
        ref ulong b = ref Unsafe.As<Bn254Fr, ulong>(ref MemoryMarshal.GetArrayDataReference(_b));
        ref ulong d = ref Unsafe.As<Bn254Fr, ulong>(ref MemoryMarshal.GetArrayDataReference(_d));
        for (int i = 0; i < Length * 4; i += 32)
            Fp256Vector512<Bn254Fr.Config>.Mul8(ref Unsafe.Add(ref a, i), ref Unsafe.Add(ref b, i), ref Unsafe.Add(ref d, i));
    }

    /// <summary>Reference, not a scalar product: the shipped 4-lane AVX2 kernel (Fp256Vector.Mul4), four independent products per call, per product.</summary>
    [Benchmark(OperationsPerInvoke = Length), BenchmarkCategory("FrIndependent")]
    public void FrIndependentLanes4()
    {
        ref ulong a = ref Unsafe.As<Bn254Fr, ulong>(ref MemoryMarshal.GetArrayDataReference(_a));
        ref ulong b = ref Unsafe.As<Bn254Fr, ulong>(ref MemoryMarshal.GetArrayDataReference(_b));
        ref ulong d = ref Unsafe.As<Bn254Fr, ulong>(ref MemoryMarshal.GetArrayDataReference(_d));
        for (int i = 0; i < Length * 4; i += 16)
            Fp256Vector<Bn254Fr.Config>.Mul4(ref Unsafe.Add(ref a, i), ref Unsafe.Add(ref b, i), ref Unsafe.Add(ref d, i));
    }

    /// <summary>The clock actually reached: a dependent chain of 64-bit imul (3 cycles each on this core), per imul.</summary>
    [Benchmark(OperationsPerInvoke = Chain * 8), BenchmarkCategory("Clock")]
    public ulong ClockImulChain()
    {
        ulong x = (ulong)_x.GetHashCode() | 1UL, y = (ulong)_s.GetHashCode() | 3UL;
        for (int i = 0; i < Chain; i++)
        {
            x *= y; x *= y; x *= y; x *= y;
            x *= y; x *= y; x *= y; x *= y;
        }
        return x;
    }

    /// <summary>The same products through the public operator path (Bn254Fr.Mul, i.e. the unsaturated rows).</summary>
    [Benchmark(OperationsPerInvoke = Length), BenchmarkCategory("FrIndependent")]
    public void FrIndependentPublicMul()
    {
        Bn254Fr[] a = _a, b = _b, d = _d;
        for (int i = 0; i < a.Length; i++) d[i] = Bn254Fr.Mul(a[i], b[i]);
    }
}
