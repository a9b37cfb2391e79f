using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ZkMl.Gpu.Kernels;

/// <summary>A BN254 G1 affine point on the device, coordinates in Montgomery form; (0, 0) (not on the curve) encodes infinity.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct DeviceAffine
{
    public U256 X, Y;

    public DeviceAffine(U256 x, U256 y) { X = x; Y = y; }

    public readonly bool IsInfinity
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => X.IsZero && Y.IsZero;
    }
}

/// <summary>A BN254 G1 Jacobian point (x, y) = (X/Z^2, Y/Z^3) on the device; Z = 0 is infinity.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct DeviceJacobian
{
    public U256 X, Y, Z;

    public DeviceJacobian(U256 x, U256 y, U256 z) { X = x; Y = y; Z = z; }

    public static DeviceJacobian Infinity
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(default(FqKernelOps).One, default(FqKernelOps).One, default);
    }

    public readonly bool IsInfinity
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Z.IsZero;
    }
}

/// <summary>
/// BN254 G1 (y^2 = x^3 + 3) group law in Jacobian coordinates, branchy but complete, for kernels.
/// <typeparamref name="TFq"/> picks how Fq products are compiled: inlined (<see cref="FqKernelOps"/>, for CUDA)
/// or as calls (<see cref="FqKernelOpsOutlined"/>, which cuts ILGPU compile time on the CPU accelerator fourfold).
/// </summary>
internal static class G1Kernel<TFq> where TFq : struct, IKernelField<U256>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static U256 Mul(U256 a, U256 b) => default(TFq).Mul(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static U256 Add(U256 a, U256 b) => Mont256.Add(a, b, FqKernelOps.P0, FqKernelOps.P1, FqKernelOps.P2, FqKernelOps.P3);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static U256 Sub(U256 a, U256 b) => Mont256.Sub(a, b, FqKernelOps.P0, FqKernelOps.P1, FqKernelOps.P2, FqKernelOps.P3);

    /// <summary>dbl-2009-l (a = 0).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // one copy per kernel keeps ILGPU compile time sane
    public static DeviceJacobian Double(DeviceJacobian p)
    {
        if (p.IsInfinity) return p;
        U256 a = Mul(p.X, p.X);
        U256 b = Mul(p.Y, p.Y);
        U256 c = Mul(b, b);
        U256 xb = Add(p.X, b);
        U256 d = Sub(Sub(Mul(xb, xb), a), c);
        d = Add(d, d);
        U256 e = Add(Add(a, a), a);
        U256 f = Mul(e, e);
        U256 x3 = Sub(f, Add(d, d));
        U256 c8 = Add(c, c);
        c8 = Add(c8, c8);
        c8 = Add(c8, c8);
        U256 y3 = Sub(Mul(e, Sub(d, x3)), c8);
        U256 yz = Mul(p.Y, p.Z);
        U256 z3 = Add(yz, yz);
        return new DeviceJacobian(x3, y3, z3);
    }

    /// <summary>madd-2007-bl: Jacobian plus affine, with the doubling and inverse cases handled.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // one copy per kernel keeps ILGPU compile time sane
    public static DeviceJacobian AddMixed(DeviceJacobian p, DeviceAffine q)
    {
        if (q.IsInfinity) return p;
        if (p.IsInfinity) return new DeviceJacobian(q.X, q.Y, default(FqKernelOps).One);
        U256 z1z1 = Mul(p.Z, p.Z);
        U256 u2 = Mul(q.X, z1z1);
        U256 s2 = Mul(Mul(q.Y, p.Z), z1z1);
        U256 h = Sub(u2, p.X);
        U256 r = Sub(s2, p.Y);
        if (h.IsZero)
        {
            if (r.IsZero) return Double(p);
            return DeviceJacobian.Infinity;
        }
        r = Add(r, r);
        U256 hh = Mul(h, h);
        U256 i = Add(hh, hh);
        i = Add(i, i);
        U256 j = Mul(h, i);
        U256 v = Mul(p.X, i);
        U256 x3 = Sub(Sub(Mul(r, r), j), Add(v, v));
        U256 y1j = Mul(p.Y, j);
        U256 y3 = Sub(Mul(r, Sub(v, x3)), Add(y1j, y1j));
        U256 zh = Add(p.Z, h);
        U256 z3 = Sub(Sub(Mul(zh, zh), z1z1), hh);
        return new DeviceJacobian(x3, y3, z3);
    }

    /// <summary>add-2007-bl: Jacobian plus Jacobian, with the doubling and inverse cases handled.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // one copy per kernel keeps ILGPU compile time sane
    public static DeviceJacobian Add(DeviceJacobian p, DeviceJacobian q)
    {
        if (p.IsInfinity) return q;
        if (q.IsInfinity) return p;
        U256 z1z1 = Mul(p.Z, p.Z);
        U256 z2z2 = Mul(q.Z, q.Z);
        U256 u1 = Mul(p.X, z2z2);
        U256 u2 = Mul(q.X, z1z1);
        U256 s1 = Mul(Mul(p.Y, q.Z), z2z2);
        U256 s2 = Mul(Mul(q.Y, p.Z), z1z1);
        U256 h = Sub(u2, u1);
        U256 r = Sub(s2, s1);
        if (h.IsZero)
        {
            if (r.IsZero) return Double(p);
            return DeviceJacobian.Infinity;
        }
        r = Add(r, r);
        U256 h2 = Add(h, h);
        U256 i = Mul(h2, h2);
        U256 j = Mul(h, i);
        U256 v = Mul(u1, i);
        U256 x3 = Sub(Sub(Mul(r, r), j), Add(v, v));
        U256 s1j = Mul(s1, j);
        U256 y3 = Sub(Mul(r, Sub(v, x3)), Add(s1j, s1j));
        U256 zz = Add(p.Z, q.Z);
        U256 z3 = Mul(Sub(Sub(Mul(zz, zz), z1z1), z2z2), h);
        return new DeviceJacobian(x3, y3, z3);
    }

    /// <summary>[k]p for a small non-negative k (double-and-add from the top bit).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // one copy per kernel keeps ILGPU compile time sane
    public static DeviceJacobian MulSmall(DeviceJacobian p, int k)
    {
        DeviceJacobian acc = DeviceJacobian.Infinity;
        for (int bit = 30; bit >= 0; bit--)
        {
            acc = Double(acc);
            if (((k >> bit) & 1) != 0) acc = Add(acc, p);
        }
        return acc;
    }
}
