using ZkMl.Field;
using ZkMl.Snark.Msm;

namespace ZkMl.Training.Tests;

/// <summary>An MSM engine that counts its calls and delegates to another.</summary>
internal sealed class CountingMsm<TAffine, TProjective>(IMsm<TAffine, TProjective> inner) : IMsm<TAffine, TProjective>
    where TAffine : struct where TProjective : struct
{
    private int _calls;
    public int Calls => _calls;

    public TProjective Compute(ReadOnlySpan<TAffine> bases, ReadOnlySpan<Bn254Fr> scalars)
    {
        Interlocked.Increment(ref _calls);
        return inner.Compute(bases, scalars);
    }
}

/// <summary>An NTT engine that counts its calls and delegates to another.</summary>
internal sealed class CountingNtt<T>(INtt<T> inner) : INtt<T> where T : struct, ITwoAdicField<T>
{
    private int _calls;
    public int Calls => _calls;

    public void Forward(Span<T> values) { Interlocked.Increment(ref _calls); inner.Forward(values); }
    public void Inverse(Span<T> values) { Interlocked.Increment(ref _calls); inner.Inverse(values); }
    public void CosetForward(Span<T> values, T shift) { Interlocked.Increment(ref _calls); inner.CosetForward(values, shift); }
    public void CosetInverse(Span<T> values, T shift) { Interlocked.Increment(ref _calls); inner.CosetInverse(values, shift); }
}
