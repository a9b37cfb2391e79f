using System.Text.Json;
using Xunit.Abstractions;
using ZkMl.Training.Contract;
using ZkMl.Training.OnChain;

namespace ZkMl.Training.Tests.OnChain;

/// <summary>
/// The Groth16 fixture's honest run (3 steps, batch 2, 8 rows), taken through the training-run contract in one EVM
/// scenario: run A is answered (2 of 3 steps challenged) with every rejection tried on the way, run B misses its
/// blockhash window, run C answers after its deadline. Also records, for each answer, the C# verifier's verdict.
/// </summary>
public sealed class OnChainFixture
{
    public const string Trainer = "0x2000000000000000000000000000000000000002";
    public const string Stranger = "0x3000000000000000000000000000000000000003";
    public const string StepVerifier = "0x00000000000000000000000000000000000000a1";
    public const string MembershipVerifier = "0x00000000000000000000000000000000000000a2";
    public const string Registry = "0x00000000000000000000000000000000000000c0";
    public const int ChallengeCount = 2;

    public OnChainFixture()
    {
        Fx = new Groth16Fixture();
        var contract = Fx.Contract;
        var honest = Fx.Honest;
        Tree = new CommitmentChainTree(honest.Commitments);
        RunA = TrainingRunRegistration.For(contract, honest, StepVerifier, MembershipVerifier, Trainer, answerWindowBlocks: 50) with { ChallengeCount = ChallengeCount };
        var runB = RunA with { AnswerWindowBlocks = 51 };
        var runC = RunA with { AnswerWindowBlocks = 3 };
        IdA = RunA.RunId();
        byte[] idB = runB.RunId(), idC = runC.RunId();

        var s = new EvmScenario();
        var (stepSol, membershipSol) = TrainingRunContract.Verifiers(contract, Fx.Keys.Groth16VerifyingKeys!);
        s.Deploy("deploy-step", "step.sol", stepSol, "Groth16Verifier", StepVerifier);
        s.Deploy("deploy-membership", "membership.sol", membershipSol, "Groth16Verifier", MembershipVerifier);
        s.Deploy("deploy-registry", "runs.sol", TrainingRunContract.Registry(contract), "ZkMlTrainingRuns", Registry);
        string Call(string name, string data, string from = Trainer) { s.Call(name, from, Registry, data); return name; }

        // Run A.
        Call("register-A", TrainingRunCalldata.Register(RunA), Stranger);
        Call("register-A-again", TrainingRunCalldata.Register(RunA), Stranger);
        Call("register-no-verifier", TrainingRunCalldata.Register(RunA with { StepVerifier = "0x00000000000000000000000000000000000000d0" }), Stranger);
        Call("postRoot-A-stranger", TrainingRunCalldata.PostRoot(IdA, Tree), Stranger);
        Call("postRoot-A-bad-opening", TrainingRunCalldata.PostRoot(IdA, Tree.Root, Tree.Open(1)));
        long posted = s.Call("postRoot-A", Trainer, Registry, TrainingRunCalldata.PostRoot(IdA, Tree));
        Call("draw-A-early", TrainingRunCalldata.Draw(IdA), Stranger);
        Call("draw-A", TrainingRunCalldata.Draw(IdA), Stranger);
        Challenged = OnChainAudit.Steps(OnChainAudit.ChallengeValue(EvmScenario.BlockHash(posted + 1), IdA, Tree.Root), BackendFixture.Steps, ChallengeCount);
        Call("challenged-A", TrainingRunCalldata.View(TrainingRunCalldata.ChallengedStepsSelector, IdA));
        for (int t = 0; t < BackendFixture.Steps; t++) Call($"rows-A-{t}", TrainingRunCalldata.View(TrainingRunCalldata.ScheduledRowsSelector, IdA, t));

        int c0 = Challenged[0], c1 = Challenged[1], unchallenged = Enumerable.Range(0, BackendFixture.Steps).Except(Challenged).Single();
        TrainingRunAnswer Honest(int step) => TrainingRunAnswer.For(IdA, honest, Tree, step);
        // A chain whose commitment after c0 is another of the run's commitments: its own tree opens it, the posted root does not.
        var forged = honest.Commitments.ToList();
        forged[c0 + 1] = honest.Commitments[c0 == 0 ? 2 : 0];
        var forgedTree = new CommitmentChainTree(forged);
        int half = (honest.Proofs[0].Proof.Length - 33) / 2;
        byte[] Mixed(byte[] stepPart, byte[] membershipPart) => [.. stepPart[..(1 + half)], .. membershipPart[(1 + half)..^32], .. stepPart[^32..]];
        Answers = new Dictionary<string, TrainingRunAnswer>
        {
            ["answer-A-unchallenged"] = Honest(unchallenged),
            ["answer-A-unlinked-commitment"] = Honest(c0) with { CommitmentAfter = [.. forged[c0 + 1]], OpeningAfter = forgedTree.Open(c0 + 1) },
            ["answer-A-proof-of-other-step"] = Honest(c0) with { Proof = Honest(c1).Proof },
            ["answer-A-membership-of-other-step"] = Honest(c0) with { Proof = [.. Mixed([.. Honest(c0).Proof], [.. Honest(c1).Proof])] },
            ["answer-A-opening-swapped"] = Honest(c0) with { OpeningBefore = Tree.Open(c0 + 1), OpeningAfter = Tree.Open(c0) },
            ["answer-A-step-out-of-range"] = Honest(BackendFixture.Steps - 1) with { Step = BackendFixture.Steps },
            ["answer-A-c0"] = Honest(c0),
            ["answer-A-c0-replayed"] = Honest(c0),
        };
        foreach (var (name, answer) in Answers.Take(Answers.Count - 1)) Call(name, TrainingRunCalldata.Answer(answer));
        Call("policy-A-partial", TrainingRunCalldata.View(TrainingRunCalldata.PolicyMetSelector, IdA));
        Call("answer-A-c0-replayed", TrainingRunCalldata.Answer(Answers["answer-A-c0-replayed"]));
        Answers["answer-A-c1"] = Honest(c1);
        Call("answer-A-c1", TrainingRunCalldata.Answer(Answers["answer-A-c1"]));
        Call("policy-A", TrainingRunCalldata.View(TrainingRunCalldata.PolicyMetSelector, IdA));
        for (int t = 0; t < BackendFixture.Steps; t++) Call($"proven-A-{t}", TrainingRunCalldata.View(TrainingRunCalldata.IsProvenSelector, IdA, t));

        // Run B: nobody draws within 256 blocks of the draw block.
        Call("register-B", TrainingRunCalldata.Register(runB), Stranger);
        Call("postRoot-B", TrainingRunCalldata.PostRoot(idB, Tree));
        s.Mine("mine-B", 300);
        Call("draw-B-expired", TrainingRunCalldata.Draw(idB), Stranger);
        Call("status-B", TrainingRunCalldata.View(TrainingRunCalldata.StatusSelector, idB));
        Call("answer-B", TrainingRunCalldata.Answer(TrainingRunAnswer.For(idB, honest, Tree, c0)));
        Call("policy-B", TrainingRunCalldata.View(TrainingRunCalldata.PolicyMetSelector, idB));

        // Run C: drawn in time, answered after drawBlock + 3.
        Call("register-C", TrainingRunCalldata.Register(runC), Stranger);
        long postedC = s.Call("postRoot-C", Trainer, Registry, TrainingRunCalldata.PostRoot(idC, Tree));
        s.Mine("mine-C-1", 1);
        Call("draw-C", TrainingRunCalldata.Draw(idC), Stranger);
        int challengedC = OnChainAudit.Steps(OnChainAudit.ChallengeValue(EvmScenario.BlockHash(postedC + 1), idC, Tree.Root), BackendFixture.Steps, ChallengeCount)[0];
        s.Mine("mine-C-2", 5);
        Call("answer-C-late", TrainingRunCalldata.Answer(TrainingRunAnswer.For(idC, honest, Tree, challengedC)));

        (Methods, Calls, Deployments) = s.Run();
        var verifier = Fx.Verifier();
        CSharpVerdicts = Answers.ToDictionary(a => a.Key, a => verifier.VerifyAnswer(RunA, Tree.Root, a.Value));
    }

    public Groth16Fixture Fx { get; }
    public CommitmentChainTree Tree { get; }
    public TrainingRunRegistration RunA { get; }
    public byte[] IdA { get; }
    public int[] Challenged { get; }
    public Dictionary<string, TrainingRunAnswer> Answers { get; }
    public JsonElement Methods { get; }
    public IReadOnlyDictionary<string, EvmResult> Calls { get; }
    public IReadOnlyDictionary<string, JsonElement> Deployments { get; }
    public IReadOnlyDictionary<string, bool> CSharpVerdicts { get; }
}

public class TrainingRunContractTests(OnChainFixture fx, ITestOutputHelper output) : IClassFixture<OnChainFixture>
{
    private EvmResult Call(string name) => fx.Calls[name];

    private void Rejected(string name, string reason)
    {
        var r = Call(name);
        Assert.True(r.Reverted, $"{name} was accepted");
        Assert.Equal(reason, r.Reason);
    }

    [Fact]
    public void SelectorsAreTheCompiledContractsAndItCompilesWithoutWarnings()
    {
        var m = fx.Methods.GetProperty("runs.sol").GetProperty("ZkMlTrainingRuns");
        string Selector(string prefix) => m.EnumerateObject().Single(p => p.Name.StartsWith(prefix + "(", StringComparison.Ordinal)).Value.GetString()!;
        Assert.Equal(EvmScenario.Hex(TrainingRunCalldata.RegisterSelector), Selector("register"));
        Assert.Equal(EvmScenario.Hex(TrainingRunCalldata.PostRootSelector), Selector("postRoot"));
        Assert.Equal(EvmScenario.Hex(TrainingRunCalldata.DrawSelector), Selector("draw"));
        Assert.Equal(EvmScenario.Hex(TrainingRunCalldata.AnswerSelector), Selector("answer"));
        Assert.Equal(EvmScenario.Hex(TrainingRunCalldata.PolicyMetSelector), Selector("policyMet"));
        Assert.Equal(EvmScenario.Hex(TrainingRunCalldata.StatusSelector), Selector("status"));
        Assert.Equal(EvmScenario.Hex(TrainingRunCalldata.IsProvenSelector), Selector("isProven"));
        Assert.Equal(EvmScenario.Hex(TrainingRunCalldata.ChallengedStepsSelector), Selector("challengedSteps"));
        Assert.Equal(EvmScenario.Hex(TrainingRunCalldata.ScheduledRowsSelector), Selector("scheduledRows"));
        Assert.Equal(0, fx.Deployments["deploy-registry"].GetProperty("warnings").GetInt32());
    }

    [Fact]
    public void RegistrationAndRootPostingAreGuarded()
    {
        Assert.False(Call("register-A").Reverted, Call("register-A").Reason);
        Assert.Equal(fx.IdA, Call("register-A").ReturnData);
        Rejected("register-A-again", "run already registered");
        Rejected("register-no-verifier", "verifier has no code");
        Rejected("postRoot-A-stranger", "only the trainer posts the root");
        Rejected("postRoot-A-bad-opening", "initial commitment not in the chain");
        Assert.False(Call("postRoot-A").Reverted, Call("postRoot-A").Reason);
    }

    [Fact]
    public void TheContractDrawsTheStepsTheCSharpDrawPredictsFromTheBlockAfterThePosting()
    {
        Rejected("draw-A-early", "draw block not mined yet");
        Assert.False(Call("draw-A").Reverted, Call("draw-A").Reason);
        Assert.Equal(fx.Challenged, Call("challenged-A").DynamicArray());
    }

    [Fact]
    public void TheContractComputesTheFeistelSchedule()
    {
        for (int t = 0; t < BackendFixture.Steps; t++)
        {
            var r = Call($"rows-A-{t}");
            Assert.Equal(fx.Fx.Batches[t], Enumerable.Range(0, fx.Fx.Network.BatchSize).Select(j => (int)r.Word(j)).ToArray());
        }
    }

    [Fact]
    public void ChallengedStepsAreProvenAndThePolicyIsMetOnlyThen()
    {
        Assert.False(Call("answer-A-c0").Reverted, Call("answer-A-c0").Reason);
        Assert.False(Call("policy-A-partial").ReturnsTrue);
        Assert.False(Call("answer-A-c1").Reverted, Call("answer-A-c1").Reason);
        Assert.True(Call("policy-A").ReturnsTrue);
        for (int t = 0; t < BackendFixture.Steps; t++) Assert.Equal(fx.Challenged.Contains(t), Call($"proven-A-{t}").ReturnsTrue);
    }

    [Fact]
    public void ForgedAnswersAreRejected()
    {
        Rejected("answer-A-unchallenged", "step not challenged");
        Rejected("answer-A-unlinked-commitment", "commitment not in the posted chain");
        Rejected("answer-A-opening-swapped", "commitment not in the posted chain");
        Rejected("answer-A-step-out-of-range", "step out of range");
        Rejected("answer-A-proof-of-other-step", "step proof rejected");
        Rejected("answer-A-membership-of-other-step", "membership proof rejected");
        Rejected("answer-A-c0-replayed", "step already proven");
    }

    [Fact]
    public void AMissedBlockhashWindowExpiresTheRunInsteadOfFallingBack()
    {
        Assert.False(Call("draw-B-expired").Reverted, Call("draw-B-expired").Reason);
        Assert.Equal(4, (int)Call("status-B").Word(0)); // Status.Expired
        Rejected("answer-B", "run not challenged");
        Assert.False(Call("policy-B").ReturnsTrue);
    }

    [Fact]
    public void LateAnswersAreRejected()
    {
        Assert.False(Call("draw-C").Reverted, Call("draw-C").Reason);
        Rejected("answer-C-late", "answer deadline passed");
    }

    [Fact]
    public void TheContractAndTheCSharpVerifierAgreeOnEveryProofLevelAnswer()
    {
        // The unchallenged step and the replay are refused for chain state, which the C# check does not see: their proofs are sound.
        string[] chainState = ["answer-A-unchallenged", "answer-A-c0-replayed"];
        foreach (var (name, accepted) in fx.CSharpVerdicts)
        {
            if (chainState.Contains(name)) Assert.True(accepted, name);
            else Assert.Equal(!Call(name).Reverted, accepted);
        }
        Assert.Contains(fx.CSharpVerdicts, v => v.Value);
        Assert.Contains(fx.CSharpVerdicts, v => !v.Value);
    }

    [Fact]
    public void TheCSharpCheckRefusesAnswersOutsideTheRegisteredRun()
    {
        var verifier = fx.Fx.Verifier();
        var honest = fx.Answers["answer-A-c0"];
        Assert.True(verifier.VerifyAnswer(fx.RunA, fx.Tree.Root, honest));
        var digest = fx.RunA.ContractDigest.ToArray();
        digest[0] ^= 1;
        Assert.False(verifier.VerifyAnswer(fx.RunA with { ContractDigest = [.. digest] }, fx.Tree.Root, honest));
        Assert.False(verifier.VerifyAnswer(fx.RunA with { Trainer = "0x12" }, fx.Tree.Root, honest));
        Assert.False(verifier.VerifyAnswer(fx.RunA with { AnswerWindowBlocks = 7 }, fx.Tree.Root, honest)); // another run id
        Assert.False(verifier.VerifyAnswer(fx.RunA, new byte[32], honest));
    }

    [Fact]
    public void GasPerStepAndPerRun()
    {
        long register = Call("register-A").TxGas, post = Call("postRoot-A").TxGas, draw = Call("draw-A").TxGas;
        long[] answers = [Call("answer-A-c0").TxGas, Call("answer-A-c1").TxGas];
        long run = register + post + draw + answers.Sum();
        output.WriteLine($"deploy gas: step verifier {fx.Deployments["deploy-step"].GetProperty("deployGas")}, membership verifier " +
            $"{fx.Deployments["deploy-membership"].GetProperty("deployGas")}, registry {fx.Deployments["deploy-registry"].GetProperty("deployGas")}");
        output.WriteLine($"tx gas: register {register}, postRoot {post}, draw ({OnChainFixture.ChallengeCount} of {BackendFixture.Steps}) {draw}, " +
            $"answer {string.Join(" / ", answers)}, run {run}");
        // Two Groth16 verifications dominate an answer: four pairings each, about 180k gas apiece.
        Assert.InRange(answers.Max(), 300_000, 900_000);
    }

    [Fact]
    public void TheTreeOpensEveryLeafAndNothingElse()
    {
        var c = fx.Fx.Honest.Commitments;
        int depth = CommitmentChainTree.DepthFor(BackendFixture.Steps);
        for (int i = 0; i < c.Count; i++)
        {
            Assert.True(CommitmentChainTree.Verify(fx.Tree.Root, depth, i, c[i], fx.Tree.Open(i)));
            Assert.False(CommitmentChainTree.Verify(fx.Tree.Root, depth, i, c[(i + 1) % c.Count], fx.Tree.Open(i)));
            Assert.False(CommitmentChainTree.Verify(fx.Tree.Root, depth + 1, i, c[i], [.. fx.Tree.Open(i), new byte[32]]));
        }
    }

    [Fact]
    public void OnlyGroth16RunsCanBeRegistered()
    {
        var stark = fx.Fx.Contract with { Backend = Backend.Stark };
        Assert.Throws<NotSupportedException>(() => TrainingRunRegistration.For(stark, fx.Fx.Honest, OnChainFixture.StepVerifier,
            OnChainFixture.MembershipVerifier, OnChainFixture.Trainer, 10));
        Assert.Throws<ArgumentException>(() => TrainingRunRegistration.For(fx.Fx.Contract, fx.Fx.Honest, "0x12",
            OnChainFixture.MembershipVerifier, OnChainFixture.Trainer, 10));
    }
}
