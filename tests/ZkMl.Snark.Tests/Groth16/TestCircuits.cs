using ZkMl.Field;
using ZkMl.Snark.Curves;
using ZkMl.Snark.Groth16;
using ZkMl.Snark.Msm;

namespace ZkMl.Snark.Tests.Groth16;

/// <summary>Random satisfiable R1CS instances: free wires, then one new wire per constraint fixed by A·B = C.</summary>
internal static class TestCircuits
{
    public static (QapShape Qap, Bn254Fr[] Witness) Random(int seed, int freeWires, int constraints, int publicCount)
    {
        var rng = new System.Random(seed);
        int nVars = 1 + freeWires + constraints;
        var w = new Bn254Fr[nVars];
        w[0] = Bn254Fr.One;
        for (int i = 1; i <= freeWires; i++) w[i] = Bn254Fr.Random(rng);
        var a = new List<(int, int, Bn254Fr)>();
        var b = new List<(int, int, Bn254Fr)>();
        var c = new List<(int, int, Bn254Fr)>();
        for (int j = 0; j < constraints; j++)
        {
            int known = 1 + freeWires + j;
            Bn254Fr va = RandomLc(rng, known, j, a, w), vb = RandomLc(rng, known, j, b, w);
            int target = known; // the next wire is defined by this constraint
            w[target] = va * vb;
            c.Add((j, target, Bn254Fr.One));
        }
        var qap = new QapShape
        {
            VariableCount = nVars, PublicCount = publicCount, ConstraintCount = constraints,
            A = a.ToArray(), B = b.ToArray(), C = c.ToArray(),
        };
        return (qap, w);
    }

    private static Bn254Fr RandomLc(System.Random rng, int known, int row, List<(int, int, Bn254Fr)> into, Bn254Fr[] w)
    {
        var sum = Bn254Fr.Zero;
        int terms = 1 + rng.Next(3);
        var used = new HashSet<int>();
        for (int t = 0; t < terms; t++)
        {
            int wire = rng.Next(known);
            if (!used.Add(wire)) continue;
            var coef = rng.Next(4) == 0 ? Bn254Fr.Random(rng) : Bn254Fr.FromUInt64((ulong)rng.Next(1, 5));
            into.Add((row, wire, coef));
            sum += coef * w[wire];
        }
        return sum;
    }
}

/// <summary>Reference MSM by double-and-add, to test the prover independently of Pippenger.</summary>
internal sealed class NaiveMsm : IMsm<G1Affine, G1Projective>, IMsm<G2Affine, G2Projective>
{
    public static readonly NaiveMsm Instance = new();

    public G1Projective Compute(ReadOnlySpan<G1Affine> bases, ReadOnlySpan<Bn254Fr> scalars)
    {
        var acc = G1Projective.Infinity;
        for (int i = 0; i < bases.Length; i++) acc += bases[i].ToProjective().Multiply(scalars[i]);
        return acc;
    }

    public G2Projective Compute(ReadOnlySpan<G2Affine> bases, ReadOnlySpan<Bn254Fr> scalars)
    {
        var acc = G2Projective.Infinity;
        for (int i = 0; i < bases.Length; i++) acc += bases[i].ToProjective().Multiply(scalars[i]);
        return acc;
    }
}
