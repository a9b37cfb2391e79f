using ZkMl.Field;
using ZkMl.Stark;

namespace ZkMl.Tests.Shared;

/// <summary>Fibonacci: a' = b, b' = a + b; a[0] = b[0] = 1; b[n-1] = result (public).</summary>
internal sealed class FibonacciAir(int n, Goldilocks result, string id = "fib") : Air(id, 2, n, [result])
{
    protected override void Evaluate<TF>(ref ConstraintBuilder<TF> b)
    {
        ReadOnlySpan<TF> cur = b.Current, next = b.Next;
        b.AssertZero("a' = b", next[0] - cur[1]);
        b.AssertZero("b' = a + b", next[1] - (cur[0] + cur[1]));
    }

    public override IReadOnlyList<BoundaryConstraint> BoundaryConstraints =>
        [new("a0", 0, 0, Goldilocks.One), new("b0", 1, 0, Goldilocks.One), new("result", 1, TraceLength - 1, PublicInputs[0])];

    public static Goldilocks[][] Trace(int n)
    {
        var a = new Goldilocks[n];
        var b = new Goldilocks[n];
        a[0] = Goldilocks.One; b[0] = Goldilocks.One;
        for (int i = 1; i < n; i++) { a[i] = b[i - 1]; b[i] = a[i - 1] + b[i - 1]; }
        return [a, b];
    }
}
