using Xunit;
using ZkMl.Circuits;
using F = ZkMl.Field.Bn254Fr;

namespace ZkMl.Tests.Shared;

/// <summary>Soundness probes for R1CS tests, shared by the test projects that build circuits.</summary>
internal static class CircuitWires
{
    /// <summary>Wires (other than 0) that can be bumped by one without breaking any constraint.</summary>
    public static List<int> Unbound(BuiltCircuit<F> c)
    {
        Assert.True(c.System.IsSatisfied(c.Witness));
        // Only constraints that mention a wire can change when it does: index them once.
        var uses = new List<int>[c.Witness.Length];
        for (int k = 0; k < c.System.ConstraintCount; k++)
        {
            var con = c.System.Constraints[k];
            foreach (var lc in new[] { con.A, con.B, con.C })
                foreach (var t in lc.Terms)
                {
                    var l = uses[t.Wire] ??= [];
                    if (l.Count == 0 || l[^1] != k) l.Add(k);
                }
        }
        var unbound = new List<int>();
        var w = (F[])c.Witness.Clone();
        for (int i = 1; i < w.Length; i++)
        {
            w[i] += F.One;
            if (uses[i] == null || uses[i].All(k => c.System.Constraints[k].IsSatisfiedBy(w))) unbound.Add(i);
            w[i] = c.Witness[i];
        }
        return unbound;
    }
}
