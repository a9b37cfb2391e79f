using ZkMl.Common;
using ZkMl.Field;
using ZkMl.Stark.Internal;

namespace ZkMl.Stark.Prover;

/// <summary>Phase 2: the LogUp auxiliary columns, per term u = m/(beta - v) (two base columns each), then the running sum S.</summary>
internal static class LogUpTrace
{
    public static Goldilocks[][] Build(ProverContext ctx, Goldilocks[][] trace, GoldilocksExt2 beta, GoldilocksExt2 gamma)
    {
        var air = ctx.Air;
        var terms = air.Lookups;
        int n = ctx.Layout.N;
        var result = new Goldilocks[2 * (terms.Count + 1)][];
        bool collided = false;
        // Terms are independent: each is a batch inversion over the rows.
        Parallel.For(0, terms.Count, k =>
        {
            var term = terms[k];
            var den = LargeArray.New<GoldilocksExt2>(n);
            var gp = Ext.Powers(gamma, term.Values.Length);
            var bus = Ext.Lift(Goldilocks.FromUInt64((ulong)term.Bus));
            for (int i = 0; i < n; i++)
            {
                var v = bus;
                for (int j = 0; j < term.Values.Length; j++) v += Ext.MulBase(gp[j], term.Scale(j) * air.ColumnValue(trace, term.Values[j], i) + term.Offset(j));
                den[i] = beta - v;
                if (den[i].IsZero) { collided = true; return; }
            }
            FieldMath.BatchInverse(den);
            var u0 = LargeArray.New<Goldilocks>(n);
            var u1 = LargeArray.New<Goldilocks>(n);
            for (int i = 0; i < n; i++)
            {
                var mult = term.Multiplicity is { } mc ? air.ColumnValue(trace, mc, i) : Goldilocks.One;
                var u = Ext.MulBase(den[i], mult);
                u0[i] = Ext.Re(u);
                u1[i] = Ext.Im(u);
            }
            result[2 * k] = u0;
            result[2 * k + 1] = u1;
        });
        if (collided) throw new InvalidOperationException("LogUp challenge collided with a looked-up value; retry.");
        var running = LargeArray.New<GoldilocksExt2>(n);
        ProverContext.ParallelRange(n, (start, end) =>
        {
            for (int k = 0; k < terms.Count; k++)
            {
                var u0 = result[2 * k];
                var u1 = result[2 * k + 1];
                bool table = terms[k].IsTable;
                for (int i = start; i < end; i++)
                {
                    var u = Ext.Make(u0[i], u1[i]);
                    running[i] = table ? running[i] - u : running[i] + u;
                }
            }
        });
        var s0 = LargeArray.New<Goldilocks>(n);
        var s1 = LargeArray.New<Goldilocks>(n);
        var s = GoldilocksExt2.Zero;
        for (int i = 0; i < n; i++)
        {
            s0[i] = Ext.Re(s);
            s1[i] = Ext.Im(s);
            s += running[i];
        }
        if (ctx.Strict && !s.IsZero) throw new AirConstraintViolationException("LogUp", n - 1, $"AIR '{air.Identifier}': the LogUp sum is not zero; some looked-up value is missing from its table.");
        result[^2] = s0;
        result[^1] = s1;
        return result;
    }
}
