using ZkMl.Circuits;
using ZkMl.Field;
using ZkMl.Snark.Groth16;

namespace ZkMl.Snark.Tests;

/// <summary>The README's quick start, verbatim, so the documentation cannot rot.</summary>
public class ReadmeQuickStartTests
{
    [Fact]
    public void QuickStartProvesAndVerifies()
    {
        var b = new R1csBuilder<Bn254Fr>();                        // "I know x with x^3 + x + 5 = 35"
        var x = b.PrivateInput(Bn254Fr.FromUInt64(3));
        b.PublicOutput(b.Mul(b.Mul(x, x), x) + x + b.Constant(5));
        var circuit = b.Build();                                   // constraints + witness
        var key = Groth16Setup.Development(circuit.System);        // single-party setup: tests and local use only
        var (proof, publicSignals) = new Groth16Prover().Prove(key, circuit.Witness);
        bool ok = Groth16Verifier.Verify(key.VerifyingKey, publicSignals, proof);   // true; publicSignals = [35]

        Assert.True(ok);
        Assert.Equal([Bn254Fr.FromUInt64(35)], publicSignals);
        Assert.False(Groth16Verifier.Verify(key.VerifyingKey, [Bn254Fr.FromUInt64(36)], proof));
    }
}
