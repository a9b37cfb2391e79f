using System.Diagnostics;
using ZkMl.Models;
using ZkMl.Tests.Shared;

namespace ZkMl.Training.Tests.Groth16;

/// <summary>
/// A snarkjs ceremony over the exported training circuits of a tiny shape (4-2-2, batch 2, 8 rows), per circuit phase 2
/// (setup, two contributions with different entropy, a beacon, `zkey verify`) and the exported verification keys, from
/// the committed phase-1 file TestData/pot12.ptau (powers of tau 2^12, two contributions and a beacon, prepared for
/// phase 2 by TestData/make-ptau.sh: phase 1 is universal, and `prepare phase2` alone takes minutes in JavaScript on two
/// cores). Each command's time is recorded.
/// </summary>
public sealed class CeremonyFixture
{
    public static readonly QuantizedMlpConfig Network = new()
    {
        InputSize = 4, HiddenSize = 2, OutputSize = 2, BatchSize = 2, FractionBits = 6, ValueBits = 16,
        LearningRateNumerator = 13, LearningRateShift = 4,
    };

    public const int Rows = 8;
    private const string Beacon = "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20";

    public CeremonyFixture()
    {
        Dir = NpmPeers.NewTempDir("ceremony");
        TrainingSetup.ExportGroth16Circuits(Network, Rows, Path("step.r1cs"), Path("membership.r1cs"));
        File.Copy(System.IO.Path.Combine(AppContext.BaseDirectory, "Groth16", "TestData", "pot12.ptau"), Path("pot.ptau"));
        foreach (var c in new[] { "step", "membership" })
        {
            Snarkjs("groth16", "setup", $"{c}.r1cs", "pot.ptau", $"{c}0.zkey");
            Snarkjs("zkey", "contribute", $"{c}0.zkey", $"{c}1.zkey", "--name=alice", $"-e={c} entropy alice");
            Snarkjs("zkey", "contribute", $"{c}1.zkey", $"{c}2.zkey", "--name=bob", $"-e={c} entropy bob");
            Snarkjs("zkey", "beacon", $"{c}2.zkey", $"{c}.zkey", Beacon, "10", "-n=final beacon");
            var verify = Snarkjs("zkey", "verify", $"{c}.r1cs", "pot.ptau", $"{c}.zkey");
            if (!verify.Contains("ZKey Ok!")) throw new InvalidOperationException($"snarkjs zkey verify rejected {c}.zkey:\n{verify}");
            Snarkjs("zkey", "export", "verificationkey", $"{c}.zkey", $"{c}_verification_key.json");
        }
    }

    public string Dir { get; }
    public List<(string Command, TimeSpan Time)> Timings { get; } = [];
    public string StepZkey => Path("step.zkey");
    public string MembershipZkey => Path("membership.zkey");
    public string StepVk => Path("step_verification_key.json");
    public string MembershipVk => Path("membership_verification_key.json");

    public string Path(string name) => System.IO.Path.Combine(Dir, name);

    public string Snarkjs(params string[] args)
    {
        var sw = Stopwatch.StartNew();
        var output = NpmPeers.RunSnarkjs(Dir, args);
        Timings.Add((string.Join(' ', args.Take(3)), sw.Elapsed));
        return output;
    }
}
