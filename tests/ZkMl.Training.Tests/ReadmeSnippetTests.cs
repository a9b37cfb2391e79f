using ZkMl.Models;

namespace ZkMl.Training.Tests;

/// <summary>Keeps the README's training snippet compiling against the public API (it is too slow to run in the suite).</summary>
public class ReadmeSnippetTests
{
    internal static bool ReadmeTrainingSnippet()
    {
        var (trainSet, testSet) = DigitsDataset.Load("digits.csv.gz").Split(1400, seed: 42);
        var network = new QuantizedMlpConfig();                              // 64-32-10, batch 16, f = 10, lr = 13/2^11
        var train = trainSet.Quantize(network.FractionBits);
        var dataset = DatasetCommitment.Create(train, network, Backend.Groth16);   // salted Poseidon Merkle root
        var keys = TrainingSetup.Create(Backend.Groth16, network, dataset.RowCount);
        var batches = BatchSchedule.Create(train.Count, network.BatchSize, epochs: 30, seed: 42);
        var transcript = TrainingProvers.Create(keys, dataset)
            .Train(QuantizedMlp.CreateInitial(network, 42), batches, ProofPlan.Parse("first:1"));
        transcript.Save("training-transcript.json");                          // atomic write
        var verifier = TrainingVerifier.ForTranscript(TrainingTranscript.Load("training-transcript.json"), keys.VerifyingKeyFingerprint);
        bool ok = verifier.VerifyChain(transcript, dataset.Root.Span).IsValid;
        return ok;
    }

    [Fact]
    public void SnippetCompiles() => Assert.NotNull((Func<bool>)ReadmeTrainingSnippet);
}
