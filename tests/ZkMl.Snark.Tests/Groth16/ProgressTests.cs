using System.Collections.Concurrent;
using ZkMl.Circuits;
using ZkMl.Field;
using ZkMl.Snark.Groth16;

namespace ZkMl.Snark.Tests.Groth16;

/// <summary>Key generation and proving report movement, not a jump from 0 to 1.</summary>
public class ProgressTests
{
    private static BuiltCircuit<Bn254Fr> PowerChain(int length)
    {
        var b = new R1csBuilder<Bn254Fr>();
        var x = b.PrivateInput(Bn254Fr.FromUInt64(3));
        var acc = x;
        for (int i = 0; i < length; i++) acc = b.Mul(acc, x);
        b.PublicOutput(acc);
        return b.Build();
    }

    private sealed class Recorder : IProgress<double>
    {
        public readonly ConcurrentQueue<double> Values = new();
        public void Report(double value) => Values.Enqueue(value);
    }

    private static void AssertMovement(IReadOnlyList<double> values)
    {
        Assert.NotEmpty(values);
        for (int i = 1; i < values.Count; i++) Assert.True(values[i] >= values[i - 1], $"report {i} went back: {values[i - 1]} then {values[i]}");
        Assert.All(values, v => Assert.InRange(v, 0, 1));
        Assert.Equal(1.0, values[^1]);
        Assert.True(values.Count(v => v > 0 && v < 1) >= 3, $"only {string.Join(", ", values)}");
    }

    [Fact]
    public void DevelopmentSetupAndProofReportIntermediateMonotoneFractions()
    {
        var circuit = PowerChain(3000);
        var setup = new Recorder();
        var key = Groth16Setup.Development(circuit.System, setup);
        AssertMovement(setup.Values.ToArray());

        var prove = new Recorder();
        var (proof, publicSignals) = new Groth16Prover().Prove(key, circuit.Witness, prove);
        AssertMovement(prove.Values.ToArray());
        Assert.True(Groth16Verifier.Verify(key.VerifyingKey, publicSignals, proof));
    }
}
