using ZkMl.Circuits.Circom;
using ZkMl.Field;
using ZkMl.Snark.Curves;
using ZkMl.Snark.Formats;
using ZkMl.Snark.Groth16;
using ZkMl.Snark.Tests.Formats;

namespace ZkMl.Snark.Tests.Groth16;

/// <summary>
/// Our verifier against real snarkjs keys and proofs: valid proofs pass, every tampering fails (false, never a crash),
/// and our own setups produce keys both verifiers accept.
/// </summary>
[Collection(SnarkjsCollection.Name)]
public class SoundnessTests
{
    private readonly SnarkjsFixture _fx;
    private readonly Groth16VerifyingKey _vk;
    private readonly Groth16Proof _proof;
    private readonly Bn254Fr[] _public;

    public SoundnessTests(SnarkjsFixture fx)
    {
        _fx = fx;
        _vk = SnarkjsJson.ReadVerifyingKey(fx.VkJson);
        _proof = SnarkjsJson.ReadProof(fx.ProofJson);
        _public = SnarkjsJson.ReadPublicSignals(fx.PublicJson);
    }

    [Fact]
    public void SnarkjsProofVerifies()
    {
        Assert.True(Groth16Verifier.Verify(_vk, _public, _proof));
        Assert.Equal(_vk.IC, Zkey.ReadVerifyingKey(_fx.Zkey).IC);
    }

    [Fact]
    public void ProofForOnePublicInputFailsForAnother()
    {
        for (int i = 0; i < _public.Length; i++)
        {
            var other = (Bn254Fr[])_public.Clone();
            other[i] += Bn254Fr.One;
            Assert.True(!Groth16Verifier.Verify(_vk, other, _proof), $"signal {i} changed from {_public[i]} to {other[i]} still verifies; IC[{i + 1}] = {_vk.IC[i + 1]}");
        }
        Assert.Throws<ArgumentException>(() => Groth16Verifier.Verify(_vk, _public.AsSpan(1), _proof));
    }

    public static TheoryData<string> Tamperings() => new()
    {
        "A+G", "B+G", "C+G", "-A", "-B", "-C", "swapAC", "A=alpha", "A=inf", "B=inf", "C=inf",
        "A offcurve", "C offcurve", "B offcurve", "B subgroup",
    };

    [Theory]
    [MemberData(nameof(Tamperings))]
    public void TamperedProofIsRejected(string how)
    {
        var p = _proof;
        var g1 = G1Affine.Generator;
        var g2 = G2Affine.Generator;
        Groth16Proof tampered = how switch
        {
            "A+G" => p with { A = (p.A.ToProjective() + g1).ToAffine() },
            "B+G" => p with { B = (p.B.ToProjective() + g2).ToAffine() },
            "C+G" => p with { C = (p.C.ToProjective() + g1).ToAffine() },
            "-A" => p with { A = p.A.Negate() },
            "-B" => p with { B = p.B.Negate() },
            "-C" => p with { C = p.C.Negate() },
            "swapAC" => p with { A = p.C, C = p.A },
            "A=alpha" => p with { A = _vk.Alpha1 },
            "A=inf" => p with { A = G1Affine.Infinity },
            "B=inf" => p with { B = G2Affine.Infinity },
            "C=inf" => p with { C = G1Affine.Infinity },
            "A offcurve" => p with { A = SoundnessPoints.G1OffCurve() },
            "C offcurve" => p with { C = new G1Affine(p.C.X, p.C.Y + Bn254Fq.One) },
            "B offcurve" => p with { B = new G2Affine(p.B.X, p.B.Y + Fq2.One) },
            "B subgroup" => p with { B = SoundnessPoints.G2OnCurveNotInSubgroup() },
            _ => throw new ArgumentException(how),
        };
        Assert.False(Groth16Verifier.Verify(_vk, _public, tampered));
        Assert.NotNull(Groth16Verifier.Check(_vk, _public, tampered));
    }

    [Fact]
    public void ProofsOfTheSameWitnessAreFreshlyRandomised()
    {
        var key = Zkey.ReadProvingKey(_fx.Zkey);
        var prover = new Groth16Prover();
        var (p1, pub) = prover.Prove(key, _fx.Witness);
        var (p2, _) = prover.Prove(key, _fx.Witness);
        Assert.NotEqual(p1.A, p2.A);
        Assert.NotEqual(p1.B, p2.B);
        Assert.NotEqual(p1.C, p2.C);
        Assert.True(Groth16Verifier.Verify(key.VerifyingKey, pub, p1));
        Assert.True(Groth16Verifier.Verify(key.VerifyingKey, pub, p2));
    }

    [Fact]
    public void UnsatisfyingWitnessDoesNotVerify()
    {
        var key = Zkey.ReadProvingKey(_fx.Zkey);
        var w = (Bn254Fr[])_fx.Witness.Clone();
        w[^1] += Bn254Fr.One; // an internal signal
        var (proof, pub) = new Groth16Prover().Prove(key, w);
        Assert.False(Groth16Verifier.Verify(key.VerifyingKey, pub, proof));
        Assert.Throws<WitnessException>(() => new Groth16Prover().Prove(key, w.AsSpan(1)));
    }

    [Fact]
    public void DevelopmentSetupKeysWorkHereAndInSnarkjs()
    {
        var r1cs = CircomR1cs.ReadFile<Bn254Fr>(_fx.R1cs);
        var key = Groth16Setup.Development(r1cs);
        var (proof, pub) = new Groth16Prover().Prove(key, _fx.Witness);
        Assert.True(Groth16Verifier.Verify(key.VerifyingKey, pub, proof));
        Assert.False(Groth16Verifier.Verify(Zkey.ReadVerifyingKey(_fx.Zkey), pub, proof)); // another key's proof

        string dir = _fx.Dir, id = Guid.NewGuid().ToString("N");
        string zkey = Path.Combine(dir, id + ".zkey"), vk = Path.Combine(dir, id + "-vk.json");
        string proofPath = Path.Combine(dir, id + "-proof.json"), pubPath = Path.Combine(dir, id + "-public.json");
        Zkey.Write(key, zkey);
        SnarkjsJson.WriteVerifyingKey(vk, key.VerifyingKey);
        _fx.Snarkjs("groth16", "prove", zkey, _fx.Wtns, proofPath, pubPath);
        Assert.True(Groth16Verifier.Verify(SnarkjsJson.ReadVerifyingKey(vk), SnarkjsJson.ReadPublicSignals(pubPath), SnarkjsJson.ReadProof(proofPath)));
        Assert.True(_fx.SnarkjsVerifies(vk, pubPath, proofPath));
    }

    [Fact]
    public void WrittenVerifyingKeyRoundTrips()
    {
        var text = File.ReadAllText(_fx.VkJson);
        Assert.Equal(text, SnarkjsJson.VerifyingKeyToJson(SnarkjsJson.ParseVerifyingKey(text)));
    }
}
