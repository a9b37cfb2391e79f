using ZkMl.Models;

namespace ZkMl.Training.Tests;

public class ChainTests
{
    private static readonly QuantizedMlpConfig Small = new()
    {
        InputSize = 64, HiddenSize = 4, OutputSize = 10, BatchSize = 2, FractionBits = 10,
    };

    private static (TrainingProver Prover, TrainingVerifier Verifier, QuantizedMlp Initial, IReadOnlyList<int[]> Batches) Setup(int steps = 6)
    {
        var data = TestData.SmallDigits(40, Small.FractionBits);
        var fake = new FakeBackend(Small);
        var commitment = DatasetCommitment.Create(data, fake.Backend, fake, new byte[data.Count]);
        var prover = new TrainingProver(fake, commitment);
        var batches = BatchSchedule.Create(data.Count, Small.BatchSize, 1, 3).Take(steps).ToList();
        return (prover, new TrainingVerifier(fake), QuantizedMlp.CreateInitial(Small, 1), batches);
    }

    [Fact]
    public void HonestTranscriptVerifiesAndRoundTripsThroughJson()
    {
        var (prover, verifier, initial, batches) = Setup();
        var transcript = prover.Train(initial, batches, ProofPlan.Parse("every:2"));
        Assert.Equal(6, transcript.StepCount);
        Assert.Equal([0, 2, 4], transcript.Proofs.Select(p => p.Step));
        var result = verifier.VerifyChain(transcript);
        Assert.True(result.IsValid, result.Message);
        Assert.Equal(3, result.ProofsVerified);

        string path = Path.Combine(Path.GetTempPath(), $"zkml-transcript-{Guid.NewGuid():N}.json");
        try
        {
            transcript.Save(path);
            var loaded = TrainingTranscript.Load(path);
            Assert.True(verifier.VerifyChain(loaded).IsValid);
            Assert.Equal(transcript.ToJsonBytes(), loaded.ToJsonBytes());
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.*.tmp"));
        }
        finally { File.Delete(path); }
    }

    [Theory]
    [InlineData(TamperMode.Alter)]
    [InlineData(TamperMode.Skip)]
    public void TamperedUpdateIsRejectedNamingTheStep(TamperMode mode)
    {
        var (prover, verifier, initial, batches) = Setup();
        var transcript = DishonestWorker.Train(prover, null, initial, batches, ProofPlan.All, 3, mode);
        var result = verifier.VerifyChain(transcript);
        Assert.False(result.IsValid);
        Assert.Equal(3, result.FailedStep);
        Assert.Contains("Step 3", result.Message);
    }

    [Fact]
    public void ChangedFinalWeightIsRejected()
    {
        var (prover, verifier, initial, batches) = Setup();
        var transcript = prover.Train(initial, batches, ProofPlan.All);
        transcript.FinalWeights.W2[1] += 1;
        var result = verifier.VerifyChain(transcript);
        Assert.False(result.IsValid);
        Assert.Contains("Final weights", result.Message);
    }

    [Fact]
    public void MissingRequiredProofIsRejected()
    {
        var (prover, verifier, initial, batches) = Setup();
        var transcript = prover.Train(initial, batches, ProofPlan.All);
        var gap = new TrainingTranscript
        {
            Backend = transcript.Backend, Network = transcript.Network, DatasetRoot = transcript.DatasetRoot, DatasetRows = transcript.DatasetRows,
            ProofPlan = transcript.ProofPlan, InitialWeights = transcript.InitialWeights, FinalWeights = transcript.FinalWeights,
            Commitments = transcript.Commitments, Proofs = transcript.Proofs.Where(p => p.Step != 2).ToList(),
        };
        var result = verifier.VerifyChain(gap);
        Assert.False(result.IsValid);
        Assert.Equal(2, result.FailedStep);
    }

    [Fact]
    public void RandomPlanDependsOnTheChainOnly()
    {
        var (prover, verifier, initial, batches) = Setup(10);
        var transcript = prover.Train(initial, batches, ProofPlan.Parse("random:3"));
        Assert.Equal(3, transcript.Proofs.Count);
        Assert.True(verifier.VerifyChain(transcript).IsValid);
        var again = ProofPlan.Parse("random:3").SelectSteps(10, transcript.DatasetRoot, transcript.Commitments);
        Assert.Equal(transcript.Proofs.Select(p => p.Step), again);
    }

    [Theory]
    [InlineData("all", ProofPlanKind.All, 0)]
    [InlineData("first:3", ProofPlanKind.First, 3)]
    [InlineData(" EVERY:10 ", ProofPlanKind.Every, 10)]
    [InlineData("random:2", ProofPlanKind.Random, 2)]
    public void ProofPlansParse(string text, ProofPlanKind kind, int count)
    {
        var plan = ProofPlan.Parse(text);
        Assert.Equal(new ProofPlan(kind, count), plan);
        Assert.Equal(plan, ProofPlan.Parse(plan.ToString()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("first")]
    [InlineData("first:0")]
    [InlineData("every:-1")]
    [InlineData("some:3")]
    public void BadProofPlansAreRejected(string text) => Assert.Throws<FormatException>(() => ProofPlan.Parse(text));

    [Theory]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("{\"format\":\"zkml-training-transcript\",\"version\":2}")]
    [InlineData("{\"format\":\"other\",\"version\":1}")]
    public void MalformedTranscriptsAreRejected(string json) =>
        Assert.Throws<TranscriptFormatException>(() => TrainingTranscript.Parse(System.Text.Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void UnknownTranscriptFieldIsRejected()
    {
        var (prover, _, initial, batches) = Setup(2);
        var json = System.Text.Encoding.UTF8.GetString(prover.Train(initial, batches, ProofPlan.All).ToJsonBytes());
        json = json.Replace("\"version\": 1,", "\"version\": 1, \"extra\": 5,");
        Assert.Throws<TranscriptFormatException>(() => TrainingTranscript.Parse(System.Text.Encoding.UTF8.GetBytes(json)));
    }
}
