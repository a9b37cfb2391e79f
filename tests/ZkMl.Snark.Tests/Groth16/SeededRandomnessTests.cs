using ZkMl.Circuits;
using ZkMl.Common;
using ZkMl.Field;
using ZkMl.Snark.Groth16;

namespace ZkMl.Snark.Tests.Groth16;

public class SeededRandomnessTests
{
    [Fact]
    public void SameInsecureSeedGivesTheSameKeyAndProofTheDefaultDoesNot()
    {
        var b = new R1csBuilder<Bn254Fr>();
        var x = b.PrivateInput(Bn254Fr.FromUInt64(3));
        b.PublicOutput(b.Mul(x, x));
        var circuit = b.Build();

        (Groth16Proof, Groth16VerifyingKey) Run()
        {
            using var _ = RandomSource.UseInsecureSeeded(42);
            var key = Groth16Setup.Development(circuit.System);
            return (new Groth16Prover().Prove(key, circuit.Witness).Proof, key.VerifyingKey);
        }
        var (p1, vk1) = Run();
        var (p2, vk2) = Run();
        Assert.Equal(p1, p2);
        Assert.Equal(vk1.Alpha1, vk2.Alpha1);
        Assert.True(Groth16Verifier.Verify(vk1, [Bn254Fr.FromUInt64(9)], p1));

        var key = Groth16Setup.Development(circuit.System);
        var prover = new Groth16Prover();
        Assert.NotEqual(prover.Prove(key, circuit.Witness).Proof, prover.Prove(key, circuit.Witness).Proof);
    }
}
