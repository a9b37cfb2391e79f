using System.Diagnostics;
using ZkMl.Circuits.Circom;
using ZkMl.Field;
using ZkMl.Models;
using ZkMl.Snark.Ceremony;
using ZkMl.Training;

/// <summary>
/// A small multi-party ceremony for the sample's Groth16 keys, as independent participants would run it with
/// <c>zkml powersoftau</c> / <c>zkml zkey</c> (or snarkjs): phase 1 (a fresh powers of tau, one contribution per party,
/// prepared for phase 2), then phase 2 for each circuit (one contribution per party), each file verified. The keys are
/// sound if any one party destroyed its secret; here all parties run in this process, so it shows the steps, not the trust.
/// </summary>
internal static class SampleCeremony
{
    /// <param name="preparedPtau">A published phase-2-prepared powers of tau (e.g. Hermez's) to start phase 2 from; null runs phase 1 here too.</param>
    public static TrainingKeys Run(QuantizedMlpConfig network, int datasetRows, int parties, string? preparedPtau, string directory, Action<string> say)
    {
        Directory.CreateDirectory(directory);
        string P(string name) => Path.Combine(directory, name);
        var sw = Stopwatch.StartNew();
        TrainingSetup.ExportGroth16Circuits(network, datasetRows, P("step.r1cs"), P("membership.r1cs"));
        var circuits = new[] { "step", "membership" }.ToDictionary(c => c, c => CircomR1cs.ReadFile<Bn254Fr>(P(c + ".r1cs")));
        // snarkjs's domain: constraints plus one row per public input and the constant, rounded up to a power of two.
        int power = circuits.Values.Max(r => (int)Math.Ceiling(Math.Log2(r.Constraints.Count + r.PublicOutputCount + r.PublicInputCount + 1)));
        say($"Ceremony: {parties} parties, powers of tau 2^{power} (step circuit {circuits["step"].Constraints.Count:N0} constraints), in {directory}");

        string ptau = preparedPtau ?? P("pot_final.ptau");
        if (preparedPtau is null)
        {
            PowersOfTau.New(power, P("pot_0.ptau"));
            for (int i = 1; i <= parties; i++)
            {
                var c = PowersOfTau.Contribute(P($"pot_{i - 1}.ptau"), P($"pot_{i}.ptau"), $"party {i}", entropy: null);
                say($"  phase 1: party {i} contributed, hash {c.HashHex[..16]}...");
            }
            PowersOfTau.PreparePhase2(P($"pot_{parties}.ptau"), P("pot_final.ptau"));
            say($"  phase 1: {PowersOfTau.Verify(P("pot_final.ptau")).Count} contributions verified, prepared for phase 2 ({sw.Elapsed.TotalSeconds:F0} s)");
        }
        else say($"  phase 1: {PowersOfTau.Verify(preparedPtau).Count} contributions of {preparedPtau} verified");

        foreach (var (name, r1cs) in circuits)
        {
            ZkeyCeremony.New(r1cs, ptau, P($"{name}_0.zkey"));
            for (int i = 1; i <= parties; i++)
                ZkeyCeremony.Contribute(P($"{name}_{i - 1}.zkey"), P($"{name}_{i}.zkey"), $"party {i}", entropy: null);
            File.Copy(P($"{name}_{parties}.zkey"), P($"{name}.zkey"), overwrite: true);
            say($"  phase 2 ({name}): {ZkeyCeremony.Verify(r1cs, ptau, P($"{name}.zkey")).Count} contributions verified");
        }
        var keys = TrainingSetup.FromZkeys(network, datasetRows, P("step.zkey"), P("membership.zkey"));
        say($"Ceremony done in {sw.Elapsed.TotalSeconds:F0} s; anyone can re-run zkml zkey verify on the files in {directory}");
        return keys;
    }
}
