using ZkMl.Circuits.Circom;
using ZkMl.Field;
using ZkMl.Snark.Formats;
using ZkMl.Snark.Groth16;
using ZkMl.Snark.Tests.Groth16;

namespace ZkMl.Snark.Tests.Formats;

/// <summary>
/// A .zkey written from a ptau is a valid point in a snarkjs phase-2 ceremony: `snarkjs zkey verify` attests it, and
/// `snarkjs zkey contribute` continues from it to a key that still verifies and that we prove with.
/// </summary>
[Collection(SnarkjsCollection.Name)]
public class ZkeyCeremonyInteropTests
{
    private readonly SnarkjsFixture _fx;

    public ZkeyCeremonyInteropTests(SnarkjsFixture fx) => _fx = fx;

    private string Temp(string name) => Path.Combine(_fx.Dir, $"{Guid.NewGuid():N}-{name}");

    private bool ZkeyVerifies(string zkey)
    {
        try { return _fx.Snarkjs("zkey", "verify", _fx.R1cs, _fx.Ptau, zkey).Contains("ZKey Ok!"); }
        catch (InvalidOperationException) { return false; }
    }

    [Fact]
    public void ZkeyFromPtauPassesSnarkjsVerifyAndTakesFurtherContributions()
    {
        var r1cs = CircomR1cs.ReadFile<Bn254Fr>(_fx.R1cs);
        var ours = Temp("ours.zkey");
        Zkey.Write(Groth16Setup.FromPtau(r1cs, _fx.Ptau), ours);
        Assert.True(ZkeyVerifies(ours), "snarkjs zkey verify rejects a FromPtau key");

        var next = Temp("next.zkey");
        _fx.Snarkjs("zkey", "contribute", ours, next, "-e=second contributor");
        Assert.True(ZkeyVerifies(next), "snarkjs zkey verify rejects the continued ceremony");

        var key = Zkey.ReadProvingKey(next);
        var (proof, pub) = new Groth16Prover().Prove(key, _fx.Witness);
        Assert.True(Groth16Verifier.Verify(key.VerifyingKey, pub, proof));
        // Read then write keeps the ceremony record: the copy still verifies.
        var copy = Temp("copy.zkey");
        Zkey.Write(key, copy);
        Assert.Equal(File.ReadAllBytes(next), File.ReadAllBytes(copy));
    }

    [Fact]
    public void DevelopmentKeyIsNotCeremonyContinuable()
    {
        var dev = Temp("dev.zkey");
        Zkey.Write(Groth16Setup.Development(CircomR1cs.ReadFile<Bn254Fr>(_fx.R1cs)), dev);
        Assert.False(ZkeyVerifies(dev));
    }

    [Fact]
    public void SnarkjsZkeyReadThenWrittenIsByteIdentical()
    {
        var copy = Temp("copy.zkey");
        Zkey.Write(Zkey.ReadProvingKey(_fx.Zkey), copy);
        Assert.Equal(File.ReadAllBytes(_fx.Zkey), File.ReadAllBytes(copy));
    }
}
