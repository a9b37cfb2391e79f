using System.Diagnostics;
using System.Globalization;
using ZkMl.Models;
using ZkMl.Training;
using ZkMl.Training.Contract;

namespace ZkMl.Benchmarks.Report;

// ZkMl.Benchmarks has its own Backend (the GPU suites').
using Backend = ZkMl.Training.Backend;

/// <summary>
/// One point of the shape sweep, run in its own process so its peak RSS is its own: setup, one proven and verified SGD
/// step of a 64-hidden-10 network on the first rows of the digits. Prints one line: "ok,setup_s,prove_s,verify_s,proof_bytes,peak_rss_kib"
/// or "refused,reason".
/// </summary>
internal static class ShapePoint
{
    public const string Command = "report-point";

    /// <summary>args: backend (Groth16|Stark), hidden, batch, dataset rows.</summary>
    public static int Run(string[] args)
    {
        var backend = Enum.Parse<Backend>(args[0], ignoreCase: true);
        var config = new QuantizedMlpConfig
        {
            HiddenSize = int.Parse(args[1], CultureInfo.InvariantCulture),
            BatchSize = int.Parse(args[2], CultureInfo.InvariantCulture),
        };
        int rows = int.Parse(args[3], CultureInfo.InvariantCulture);
        var all = DigitsDataset.Load(Paths.Digits()).Split(1400, 42).Train.Quantize(config.FractionBits);
        var data = new QuantizedDataset(config.InputSize, all.Inputs[..(rows * config.InputSize)], all.Labels[..rows]);
        try
        {
            long started = Stopwatch.GetTimestamp();
            var dataset = DatasetCommitment.Create(data, config, backend);
            var keys = TrainingSetup.Create(backend, config, rows);
            double setup = Stopwatch.GetElapsedTime(started).TotalSeconds;
            using var worker = WorkerKey.Create();
            var contract = TrainingContracts.Create(keys, dataset, new ContractTerms
            {
                StepCount = 1,
                WorkerPublicKey = [.. worker.PublicKey],
                Audit = AuditPolicy.AllSteps,
                ChallengeSource = ChallengeSourceKind.FiatShamir,
            });
            double prove = 0;
            int bytes = 0;
            var transcript = TrainingProvers.Create(keys, dataset, contract, worker)
                .Train(new FiatShamirChallenge(contract), onStepProven: (p, t) => (prove, bytes) = (t.TotalSeconds, p.Proof.Length));
            var verifier = TrainingVerifier.Create(contract, new FiatShamirChallenge(contract), keys.Groth16VerifyingKeys);
            var proof = transcript.Proofs[0];
            started = Stopwatch.GetTimestamp();
            bool ok = verifier.VerifyStep(new StepProof(0, backend, transcript.Commitments[0], transcript.Commitments[1], proof.Proof),
                transcript.ScheduleChallenge.Value);
            double verify = Stopwatch.GetElapsedTime(started).TotalSeconds;
            if (!ok) throw new InvalidOperationException("The step proof did not verify.");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ok,{setup:R},{prove:R},{verify:R},{bytes},{PeakRssKib()}"));
        }
        catch (NotSupportedException e)
        {
            Console.WriteLine("refused," + e.Message.Replace(',', ';').Replace('\n', ' '));
        }
        return 0;
    }

    // VmHWM: the process's peak resident set, in kB.
    private static long PeakRssKib()
    {
        string line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }
}
