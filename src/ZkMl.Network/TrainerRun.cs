using ZkMl.Training;
using ZkMl.Training.Contract;

namespace ZkMl.Network;

/// <summary>
/// The trainer's side, inside its own trust domain: draws the schedule seed, trains every step, commits every state,
/// signs the chain for publication, and keeps the witnesses (weights and salts) its prover workers need to prove any step.
/// </summary>
public sealed class TrainerRun
{
    private readonly TrainingProver _prover;
    private readonly TrainingState[] _states;
    private readonly byte[] _seed;

    private TrainerRun(TrainingProver prover, TrainingState[] states, byte[] seed, ChainPublication publication)
    {
        _prover = prover;
        _states = states;
        _seed = seed;
        Publication = publication;
    }

    /// <summary>The signed chain to publish with <see cref="IRunGrain.PublishChain"/>.</summary>
    public ChainPublication Publication { get; }

    /// <summary>Every state 0..StepCount (the witnesses; they never leave the trainer's farm).</summary>
    public IReadOnlyList<TrainingState> States => _states;

    /// <summary>
    /// Trains the run <paramref name="runId"/> under <paramref name="prover"/>'s contract: the schedule seed from
    /// <paramref name="challenges"/>, the contract's initial weights (or <paramref name="initial"/> for an explicit commitment),
    /// every step on its scheduled rows, and the chain signed with <paramref name="worker"/> (the contract's worker key).
    /// </summary>
    public static TrainerRun Train(string runId, TrainingProver prover, IChallengeSource challenges, WorkerKey worker, TrainingState? initial = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        ArgumentNullException.ThrowIfNull(prover);
        ArgumentNullException.ThrowIfNull(challenges);
        ArgumentNullException.ThrowIfNull(worker);
        var contract = prover.Contract;
        byte[] digest = contract.Digest();
        var schedule = challenges.Draw(ChallengePurpose.ScheduleSeed, digest);
        byte[] seed = [.. schedule.Value];
        var states = new TrainingState[contract.StepCount + 1];
        states[0] = initial ?? (contract.InitialWeights == InitialWeightsRule.DerivedFromScheduleSeed
            ? prover.Start(SeededInitialWeights.Create(contract, seed))
            : throw new ArgumentException("The contract names explicit initial weights: pass the agreed initial state.", nameof(initial)));
        for (int t = 0; t < contract.StepCount; t++) states[t + 1] = prover.Advance(states[t], prover.RowsOf(seed, t));
        byte[][] commitments = [.. states.Select(s => s.Commitment.ToArray())];
        var wire = WireChallenge.From(schedule);
        var signed = NetworkMessages.ChainSigned(runId, NetworkMessages.ChainDigest(digest, commitments), wire);
        var publication = new ChainPublication
        {
            ScheduleChallenge = wire, Commitments = commitments,
            InitialWeights = WeightsOpening.Of(states[0]), FinalWeights = WeightsOpening.Of(states[^1]),
            Signature = worker.Sign(digest, signed),
        };
        return new TrainerRun(prover, states, seed, publication);
    }

    /// <summary>Proves step <paramref name="step"/> (what a prover worker of the farm runs); thread-safe.</summary>
    public byte[] ProveStep(int step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(step, _states.Length - 1);
        return _prover.ProveStep(_states[step], _states[step + 1], _prover.RowsOf(_seed, step)).Proof;
    }
}
