using ZkMl.Field;
using ZkMl.Snark.Curves;
using ZkMl.Snark.Groth16;

namespace ZkMl.Snark.Tests.Groth16;

/// <summary>
/// Checks the prover against the Groth16 equations in the exponent, using a setup whose toxic waste the test knows:
/// A = [a]₁, B = [b]₂, C = [c]₁ with a·b = α·β + Σ_{i≤nPub} wᵢ(β·uᵢ + α·vᵢ + wᵢ)(τ) + c·δ. No pairing needed.
/// </summary>
public class Groth16AlgebraTests
{
    private static readonly Groth16Prover NaiveProver = new(Ntt<Bn254Fr>.Instance, NaiveMsm.Instance, NaiveMsm.Instance);

    [Theory]
    [InlineData(1, 2, 3, 1)]
    [InlineData(2, 3, 5, 2)]   // 5 + 3 = 8 rows: domain 8, the public rows fill it exactly
    [InlineData(3, 4, 12, 0)]
    [InlineData(4, 6, 25, 3)]
    public void ProofSatisfiesTheVerificationEquationInTheExponent(int seed, int free, int constraints, int nPub)
    {
        var (qap, w) = TestCircuits.Random(seed, free, constraints, nPub);
        var rng = new System.Random(seed * 7919);
        var waste = new Groth16Setup.ToxicWaste(Bn254Fr.Random(rng), Bn254Fr.Random(rng), Bn254Fr.Random(rng), Bn254Fr.Random(rng), Bn254Fr.Random(rng));
        var key = Groth16Setup.DevelopmentSetup(qap, waste)!;
        var r = Bn254Fr.Random(rng);
        var s = Bn254Fr.Random(rng);
        var (proof, pub) = NaiveProver.Prove(key, w, r, s);

        Assert.Equal(w.AsSpan(1, nPub).ToArray(), pub);
        var lagrange = Groth16Setup.LagrangeAt(waste.Tau, qap.DomainSize)!;
        Bn254Fr ua = Bn254Fr.Zero, vb = Bn254Fr.Zero, pubK = Bn254Fr.Zero;
        var u = new Bn254Fr[qap.VariableCount];
        var v = new Bn254Fr[qap.VariableCount];
        var wc = new Bn254Fr[qap.VariableCount];
        foreach (var (row, wire, val) in qap.AWithPublicRows()) u[wire] += val * lagrange[row];
        foreach (var (row, wire, val) in qap.B) v[wire] += val * lagrange[row];
        foreach (var (row, wire, val) in qap.C) wc[wire] += val * lagrange[row];
        for (int i = 0; i < qap.VariableCount; i++)
        {
            ua += w[i] * u[i];
            vb += w[i] * v[i];
            if (i <= nPub) pubK += w[i] * (waste.Beta * u[i] + waste.Alpha * v[i] + wc[i]);
        }
        var a = waste.Alpha + ua + r * waste.Delta;
        var b = waste.Beta + vb + s * waste.Delta;
        var c = (a * b - waste.Alpha * waste.Beta - pubK) * Bn254Fr.Inverse(waste.Delta);

        Assert.Equal(G1Affine.Generator.Multiply(a).ToAffine(), proof.A);
        Assert.Equal(G2Affine.Generator.Multiply(b).ToAffine(), proof.B);
        Assert.Equal(G1Affine.Generator.Multiply(c).ToAffine(), proof.C);
    }

    [Theory]
    [InlineData(5, 40, 300, 4)]
    [InlineData(6, 3, 9, 1)]
    public void CpuProverMatchesTheNaiveProver(int seed, int free, int constraints, int nPub)
    {
        // The CPU prover (Pippenger with the GLV split, MSMs beside the quotient) against plain sums of products, same r, s.
        var (qap, w) = TestCircuits.Random(seed, free, constraints, nPub);
        var rng = new System.Random(seed);
        var waste = new Groth16Setup.ToxicWaste(Bn254Fr.Random(rng), Bn254Fr.Random(rng), Bn254Fr.Random(rng), Bn254Fr.Random(rng), Bn254Fr.Random(rng));
        var key = Groth16Setup.DevelopmentSetup(qap, waste)!;
        var r = Bn254Fr.Random(rng);
        var s = Bn254Fr.Random(rng);
        var (expected, expectedPublic) = NaiveProver.Prove(key, w, r, s);
        var (proof, publicSignals) = new Groth16Prover().Prove(key, w, r, s);
        Assert.Equal(expected, proof);
        Assert.Equal(expectedPublic, publicSignals);
    }

    [Fact]
    public void UnsatisfiedWitnessGivesAProofThatFailsTheEquation()
    {
        var (qap, w) = TestCircuits.Random(9, 3, 6, 1);
        w[^1] += Bn254Fr.One;
        var rng = new System.Random(5);
        var waste = new Groth16Setup.ToxicWaste(Bn254Fr.Random(rng), Bn254Fr.Random(rng), Bn254Fr.Random(rng), Bn254Fr.Random(rng), Bn254Fr.Random(rng));
        var key = Groth16Setup.DevelopmentSetup(qap, waste)!;
        var (proof, _) = NaiveProver.Prove(key, w, Bn254Fr.One, Bn254Fr.One);
        // The honest c for this (bad) witness would need H(τ)·Z(τ) = A·B − C at τ, which no polynomial h provides.
        var lagrange = Groth16Setup.LagrangeAt(waste.Tau, qap.DomainSize)!;
        Bn254Fr ua = Bn254Fr.Zero, vb = Bn254Fr.Zero, pubK = Bn254Fr.Zero;
        var u = new Bn254Fr[qap.VariableCount];
        var v = new Bn254Fr[qap.VariableCount];
        var wc = new Bn254Fr[qap.VariableCount];
        foreach (var (row, wire, val) in qap.AWithPublicRows()) u[wire] += val * lagrange[row];
        foreach (var (row, wire, val) in qap.B) v[wire] += val * lagrange[row];
        foreach (var (row, wire, val) in qap.C) wc[wire] += val * lagrange[row];
        for (int i = 0; i < qap.VariableCount; i++)
        {
            ua += w[i] * u[i];
            vb += w[i] * v[i];
            if (i <= 1) pubK += w[i] * (waste.Beta * u[i] + waste.Alpha * v[i] + wc[i]);
        }
        var a = waste.Alpha + ua + waste.Delta;
        var b = waste.Beta + vb + waste.Delta;
        var c = (a * b - waste.Alpha * waste.Beta - pubK) * Bn254Fr.Inverse(waste.Delta);
        Assert.NotEqual(G1Affine.Generator.Multiply(c).ToAffine(), proof.C);
    }

    [Fact]
    public void LagrangeBasisInterpolatesTheDomain()
    {
        var rng = new System.Random(1);
        var x = Bn254Fr.Random(rng);
        int n = 16;
        var l = Groth16Setup.LagrangeAt(x, n)!;
        // Σ L_j(x)·f(ω^j) = f(x) for f of degree < n; take f(y) = y^3 + 2.
        var omega = Bn254Fr.RootOfUnity(4);
        Bn254Fr sum = Bn254Fr.Zero, wj = Bn254Fr.One;
        for (int j = 0; j < n; j++) { sum += l[j] * (wj * wj * wj + Bn254Fr.FromUInt64(2)); wj *= omega; }
        Assert.Equal(x * x * x + Bn254Fr.FromUInt64(2), sum);
        Assert.Null(Groth16Setup.LagrangeAt(omega, n));
    }
}
