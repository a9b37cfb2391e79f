using ZkMl.Circuits.Circom;
using ZkMl.Field;
using ZkMl.Models;
using ZkMl.Snark.Formats;
using ZkMl.Snark.Groth16;
using ZkMl.Stark;
using ZkMl.Tests.Shared;
using ZkMl.Training;
using ZkMl.Training.Contract;

namespace ZkMl.Fuzz;

/// <summary>
/// Writes the seeds made by this library (prefix "ours-") next to the snarkjs/circom ones <c>run.sh seeds</c> copies in,
/// and the verify-run contract fixture. Needs fixtures/mul.r1cs and fixtures/mul.wtns (snarkjs outputs) first.
/// </summary>
internal static class Seeds
{
    public static void Write(string corpus, string fixtures)
    {
        void Put(string target, string name, byte[] bytes)
        {
            Directory.CreateDirectory(Path.Combine(corpus, target));
            File.WriteAllBytes(Path.Combine(corpus, target, name), bytes);
        }
        var utf8 = System.Text.Encoding.UTF8;

        // Groth16 over the snarkjs circuit, with our development setup and prover and our writers.
        var r1cs = CircomR1cs.ReadFile<Bn254Fr>(Path.Combine(fixtures, "mul.r1cs"));
        var witness = CircomWitness.ReadFile<Bn254Fr>(Path.Combine(fixtures, "mul.wtns"));
        var pk = Groth16Setup.Development(r1cs);
        string zkey = Path.Combine(Path.GetTempPath(), $"zkml-seed-{Environment.ProcessId}.zkey");
        Zkey.Write(pk, zkey);
        Put("zkey-pk", "ours-mul.zkey", File.ReadAllBytes(zkey));
        Put("zkey-vk", "ours-mul.zkey", File.ReadAllBytes(zkey));
        File.Delete(zkey);
        var (proof, signals) = new Groth16Prover().Prove(pk, witness);
        Put("snarkjs-vk", "ours-verification_key.json", utf8.GetBytes(SnarkjsJson.VerifyingKeyToJson(pk.VerifyingKey)));
        Put("snarkjs-proof", "ours-proof.json", utf8.GetBytes(SnarkjsJson.ProofToJson(proof)));
        Put("snarkjs-public", "ours-public.json", utf8.GetBytes(SnarkjsJson.PublicSignalsToJson(signals)));
        // Valid for our key, not for the fixed snarkjs key: exercises the pairing path to "false".
        Put("groth16-verify", "ours-proof-other-key.json", utf8.GetBytes(SnarkjsJson.ProofToJson(proof)));
        Put("groth16-verify", "ours-proof-and-public.json",
            [.. utf8.GetBytes(SnarkjsJson.ProofToJson(proof)), 0, .. utf8.GetBytes(SnarkjsJson.PublicSignalsToJson(signals))]);
        using (var s = new MemoryStream()) { CircomR1cs.Write(r1cs, s); Put("r1cs", "ours-mul.r1cs", s.ToArray()); }
        using (var s = new MemoryStream()) { CircomWitness.Write<Bn254Fr>(witness, s); Put("wtns", "ours-mul.wtns", s.ToArray()); }

        foreach (var (target, name, bytes) in SumcheckFuzz.Seeds()) Put(target, name, bytes);

        // STARK: a Fibonacci proof for the fixed AIR.
        var stark = StarkProver.Prove(Fixtures.FibAir, FibonacciAir.Trace(Fixtures.FibRows), StarkParameters.InsecureTestOnly).ToBytes();
        Put("stark-proof", "ours-fib16.bin", stark);
        Put("stark-verify", "ours-fib16.bin", stark);

        // Training: the smallest STARK run (2 steps, one proved) under Fiat-Shamir; its contract is the verify-run fixture.
        var network = new QuantizedMlpConfig { InputSize = 2, HiddenSize = 2, OutputSize = 2, BatchSize = 1, FractionBits = 8, ValueBits = 32 };
        var rng = new Random(7);
        var data = new QuantizedDataset(network.InputSize,
            Enumerable.Range(0, 4 * network.InputSize).Select(_ => FixedPoint.QuantizePixel(rng.Next(17), network.FractionBits)).ToArray(),
            Enumerable.Range(0, 4).Select(_ => rng.Next(network.OutputSize)).ToArray());
        var dataset = DatasetCommitment.Create(data, network, Backend.Stark);
        var keys = TrainingSetup.Create(Backend.Stark, network, dataset.RowCount);
        using var worker = WorkerKey.Create();
        var contract = TrainingContracts.Create(keys, dataset, new ContractTerms
        {
            StepCount = 2,
            WorkerPublicKey = [.. worker.PublicKey],
            ChallengeSource = ChallengeSourceKind.FiatShamir,
            Audit = AuditPolicy.SampleSteps,
            AuditSampleCount = 1,
        });
        var transcript = TrainingProvers.Create(keys, dataset, contract, worker).Train(new FiatShamirChallenge(contract));
        File.WriteAllBytes(Path.Combine(fixtures, "run-contract.bin"), contract.Encode());
        Put("contract", "ours-run.bin", contract.Encode());
        Put("contract", "ours-all-steps-interactive.bin", (contract with
        {
            Audit = AuditPolicy.AllSteps, AuditSampleCount = 0, ChallengeSource = ChallengeSourceKind.Interactive,
            AuditorPublicKey = [.. worker.PublicKey], AnswerWindowSeconds = 60,
        }).Encode());
        Put("contract", "ours-beacon.bin", (contract with { ChallengeSource = ChallengeSourceKind.Beacon, BeaconId = [.. "beacon"u8] }).Encode());
        Put("transcript", "ours-run.json", transcript.ToJsonBytes());
        Put("verify-run", "ours-run.json", transcript.ToJsonBytes());
        // The same run with each proof cut to 256 bytes: a seed small enough for AFL to mutate the structure around it.
        var cut = new TrainingTranscript
        {
            Contract = transcript.Contract, ScheduleChallenge = transcript.ScheduleChallenge, AuditChallenge = transcript.AuditChallenge,
            InitialWeights = transcript.InitialWeights, FinalWeights = transcript.FinalWeights, Commitments = transcript.Commitments,
            Proofs = [.. transcript.Proofs.Select(p => new TranscriptStepProof { Step = p.Step, Proof = p.Proof[..256] })],
            Signature = transcript.Signature,
        };
        Put("transcript", "ours-run-proof-cut.json", cut.ToJsonBytes());
        Put("verify-run", "ours-run-proof-cut.json", cut.ToJsonBytes());
    }
}
