using FsCheck.Xunit;
using ZkMl.Field;
using ZkMl.Snark.Curves;
using ZkMl.Snark.Formats;
using ZkMl.Snark.Groth16;
using ZkMl.Snark.Tests.Groth16;

namespace ZkMl.Snark.Tests.Formats;

/// <summary>Write then read gives the same object; read then write gives the same bytes (every format here is canonical).</summary>
public class FormatRoundTripTests
{
    private static G1Affine RandomG1(Random rng) => G1Affine.Generator.ToProjective().Multiply(RandomScalar(rng)).ToAffine();
    private static G2Affine RandomG2(Random rng) => G2Affine.Generator.ToProjective().Multiply(RandomScalar(rng)).ToAffine();

    private static Bn254Fr RandomScalar(Random rng)
    {
        var s = Bn254Fr.Random(rng);
        return s.IsZero ? Bn254Fr.One : s;
    }

    [Property(MaxTest = 8)]
    public void ZkeyWriteReadWriteIsTheIdentity(int seed)
    {
        var rng = new Random(seed);
        var (qap, witness) = TestCircuits.Random(seed, rng.Next(1, 4), rng.Next(1, 6), rng.Next(0, 2));
        var key = Groth16Setup.DevelopmentSetup(qap);
        var path = Path.Combine(Path.GetTempPath(), $"zkml-roundtrip-{Guid.NewGuid():N}.zkey");
        var again = path + ".2";
        try
        {
            Zkey.Write(key, path);
            var read = Zkey.ReadProvingKey(path);
            Assert.Equal((key.VariableCount, key.PublicCount, key.DomainSize), (read.VariableCount, read.PublicCount, read.DomainSize));
            Assert.Equal(key.APoints, read.APoints);
            Assert.Equal(key.B2Points, read.B2Points);
            Assert.Equal(key.HPoints, read.HPoints);
            Assert.Equal(key.MatrixA.Values, read.MatrixA.Values);
            Assert.Equal(key.MatrixB.Signals, read.MatrixB.Signals);
            var (proof, pub) = new Groth16Prover().Prove(read, witness);
            Assert.True(Groth16Verifier.Verify(key.VerifyingKey, pub, proof));
            Zkey.Write(read, again);
            Assert.Equal(File.ReadAllBytes(path), File.ReadAllBytes(again));
        }
        finally
        {
            File.Delete(path);
            File.Delete(again);
        }
    }

    [Property(MaxTest = 30)]
    public void ProofJsonRoundTrips(int seed)
    {
        var rng = new Random(seed);
        var proof = new Groth16Proof(RandomG1(rng), RandomG2(rng), RandomG1(rng));
        var json = SnarkjsJson.ProofToJson(proof);
        Assert.Equal(proof, SnarkjsJson.ParseProof(json));
        Assert.Equal(json, SnarkjsJson.ProofToJson(SnarkjsJson.ParseProof(json)));
    }

    [Property(MaxTest = 30)]
    public void VerifyingKeyJsonRoundTrips(int seed)
    {
        var rng = new Random(seed);
        var vk = new Groth16VerifyingKey(RandomG1(rng), RandomG2(rng), RandomG2(rng), RandomG2(rng),
            Enumerable.Range(0, rng.Next(1, 5)).Select(_ => RandomG1(rng)).ToArray());
        var json = SnarkjsJson.VerifyingKeyToJson(vk);
        var read = SnarkjsJson.ParseVerifyingKey(json);
        Assert.Equal((vk.Alpha1, vk.Beta2, vk.Gamma2, vk.Delta2), (read.Alpha1, read.Beta2, read.Gamma2, read.Delta2));
        Assert.Equal(vk.IC, read.IC);
        Assert.Equal(json, SnarkjsJson.VerifyingKeyToJson(read));
    }

    [Property(MaxTest = 50)]
    public void PublicSignalsJsonRoundTrips(int seed)
    {
        var rng = new Random(seed);
        var signals = Enumerable.Range(0, rng.Next(0, 10)).Select(_ => Bn254Fr.Random(rng)).ToArray();
        var json = SnarkjsJson.PublicSignalsToJson(signals);
        Assert.Equal(signals, SnarkjsJson.ParsePublicSignals(json));
        Assert.Equal(json, SnarkjsJson.PublicSignalsToJson(SnarkjsJson.ParsePublicSignals(json)));
    }
}
