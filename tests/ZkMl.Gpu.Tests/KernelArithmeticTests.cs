using System.Runtime.InteropServices;
using ILGPU;
using ILGPU.Runtime;
using ZkMl.Field;
using ZkMl.Gpu.Kernels;

namespace ZkMl.Gpu.Tests;

[Collection(CpuAcceleratorCollection.Name)]
public class KernelArithmeticTests(CpuAcceleratorFixture fixture)
{
    private static void Ops<TElement, TField>(Index1D i, ArrayView<TElement> a, ArrayView<TElement> b, ArrayView<TElement> sum, ArrayView<TElement> diff, ArrayView<TElement> prod)
        where TElement : unmanaged where TField : struct, IKernelField<TElement>
    {
        TField f = default;
        sum[i] = f.Add(a[i], b[i]);
        diff[i] = f.Sub(a[i], b[i]);
        prod[i] = f.Mul(a[i], b[i]);
    }

    private (TElement[] Sum, TElement[] Diff, TElement[] Prod) RunOps<TElement, TField>(TElement[] a, TElement[] b)
        where TElement : unmanaged where TField : struct, IKernelField<TElement>
    {
        Accelerator acc = fixture.Gpu.Accelerator;
        var kernel = acc.LoadAutoGroupedStreamKernel<Index1D, ArrayView<TElement>, ArrayView<TElement>, ArrayView<TElement>, ArrayView<TElement>, ArrayView<TElement>>(Ops<TElement, TField>);
        using var da = acc.Allocate1D(a);
        using var db = acc.Allocate1D(b);
        using var s = acc.Allocate1D<TElement>(a.Length);
        using var d = acc.Allocate1D<TElement>(a.Length);
        using var p = acc.Allocate1D<TElement>(a.Length);
        kernel(a.Length, da.View, db.View, s.View, d.View, p.View);
        acc.Synchronize();
        return (s.GetAsArray1D(), d.GetAsArray1D(), p.GetAsArray1D());
    }

    private static T[] WithEdges<T>(int count, Random rng, params T[] edges) where T : struct, IField<T>
    {
        var values = new T[count];
        for (int i = 0; i < count; i++) values[i] = i < edges.Length ? edges[i] : T.Random(rng);
        return values;
    }

    [Fact]
    public void GoldilocksKernelOpsMatchCpu()
    {
        var rng = new Random(1);
        var pm1 = Goldilocks.FromCanonical(Goldilocks.P - 1);
        var a = WithEdges(512, rng, Goldilocks.Zero, Goldilocks.One, pm1, pm1, Goldilocks.FromCanonical(0xFFFFFFFF), Goldilocks.FromCanonical(1UL << 63));
        var b = WithEdges(512, rng, pm1, pm1, pm1, Goldilocks.One, Goldilocks.FromCanonical(0xFFFFFFFF), Goldilocks.FromCanonical(1UL << 63));
        var (sum, diff, prod) = RunOps<ulong, GoldilocksKernelOps>(MemoryMarshal.Cast<Goldilocks, ulong>(a).ToArray(), MemoryMarshal.Cast<Goldilocks, ulong>(b).ToArray());
        for (int i = 0; i < a.Length; i++)
        {
            Assert.Equal((a[i] + b[i]).Value, sum[i]);
            Assert.Equal((a[i] - b[i]).Value, diff[i]);
            Assert.Equal((a[i] * b[i]).Value, prod[i]);
        }
    }

    [Fact]
    public void FrKernelOpsMatchCpu() => Bn254OpsMatch<Bn254Fr, FrKernelOps>();

    [Fact]
    public void FqKernelOpsMatchCpu() => Bn254OpsMatch<Bn254Fq, FqKernelOps>();

    private void Bn254OpsMatch<T, TField>() where T : struct, IPrimeField<T> where TField : struct, IKernelField<U256>
    {
        var rng = new Random(2);
        T pm1 = -T.One;
        var a = WithEdges(512, rng, T.Zero, T.One, pm1, pm1, T.FromUInt64(ulong.MaxValue));
        var b = WithEdges(512, rng, pm1, pm1, pm1, T.One, T.FromUInt64(ulong.MaxValue));
        var (sum, diff, prod) = RunOps<U256, TField>(MemoryMarshal.Cast<T, U256>(a).ToArray(), MemoryMarshal.Cast<T, U256>(b).ToArray());
        for (int i = 0; i < a.Length; i++)
        {
            Assert.Equal(a[i] + b[i], MemoryMarshal.Cast<U256, T>(sum.AsSpan(i, 1))[0]);
            Assert.Equal(a[i] - b[i], MemoryMarshal.Cast<U256, T>(diff.AsSpan(i, 1))[0]);
            Assert.Equal(a[i] * b[i], MemoryMarshal.Cast<U256, T>(prod.AsSpan(i, 1))[0]);
        }
    }

    [Fact]
    public void KernelOneAndLayoutsMatchFieldStructs()
    {
        Assert.Equal(Bn254Fr.One, MemoryMarshal.Cast<U256, Bn254Fr>(new[] { default(FrKernelOps).One })[0]);
        Assert.Equal(Bn254Fq.One, MemoryMarshal.Cast<U256, Bn254Fq>(new[] { default(FqKernelOps).One })[0]);
        var x = Bn254Fr.Random(new Random(3));
        x.GetMontgomeryLimbs(out ulong l0, out ulong l1, out ulong l2, out ulong l3);
        Assert.Equal(new U256(l0, l1, l2, l3), MemoryMarshal.Cast<Bn254Fr, U256>(new[] { x })[0]);
        x.GetCanonicalLimbs(out l0, out l1, out l2, out l3);
        Assert.Equal(new U256(l0, l1, l2, l3), FrKernelOps.FromMontgomery(MemoryMarshal.Cast<Bn254Fr, U256>(new[] { x })[0]));
    }

    [Fact]
    public void PortableMulHighMatchesBigMul()
    {
        var rng = new Random(4);
        ulong[] edge = [0, 1, ulong.MaxValue, 0xFFFFFFFF, 1UL << 32, 1UL << 63];
        foreach (ulong a in edge)
            foreach (ulong b in edge)
                Assert.Equal(Math.BigMul(a, b, out _), WideMul.MulHighPortable(a, b));
        for (int i = 0; i < 10000; i++)
        {
            ulong a = (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 40), b = (ulong)rng.NextInt64() * 3;
            Assert.Equal(Math.BigMul(a, b, out _), WideMul.MulHighPortable(a, b));
        }
    }
}
