using ZkMl.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using System.Collections.Immutable;
using System.Diagnostics;
using ZkMl.Models;
using ZkMl.Training.Backends;
using ZkMl.Training.Contract;

namespace ZkMl.Training;

/// <summary>
/// The worker's side of docs/protocol.md: under a <see cref="TrainingContract"/>, draws the schedule seed from a challenge
/// source, trains on the scheduled rows of the committed data, publishes the chain of weight commitments, draws the audit
/// from the challenge source, proves the selected steps with one backend and signs the transcript.
/// </summary>
/// <remarks>
/// Batch membership is proven inside each step proof: the Groth16 backend adds a membership circuit over the dataset's
/// Poseidon tree, the STARK backend a binding AIR over a Poseidon-Goldilocks tree; both check the scheduled row positions.
/// </remarks>
public sealed class TrainingProver
{
    private readonly IStepProver _backend;
    private readonly WorkerKey _worker;
    private readonly byte[] _digest;

    internal TrainingProver(IStepProver backend, DatasetCommitment data, TrainingContract contract, WorkerKey worker)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(worker);
        if (data.Backend != backend.Backend)
            throw new ArgumentException($"The data set was committed for {data.Backend}, the prover uses {backend.Backend}.", nameof(data));
        if (contract.Backend != backend.Backend)
            throw new ArgumentException($"The contract is for {contract.Backend}, the prover uses {backend.Backend}.", nameof(contract));
        if (contract.ToQuantizedNetworkConfig() != backend.Network)
            throw new ArgumentException("The contract's network differs from the keys' network.", nameof(contract));
        if (!contract.DatasetRoot.AsSpan().SequenceEqual(data.Root.Span) || contract.DatasetRows != data.RowCount)
            throw new ArgumentException("The contract names another dataset (root or row count) than the committed one.", nameof(contract));
        if (!contract.WorkerPublicKey.AsSpan().SequenceEqual(worker.PublicKey))
            throw new ArgumentException("The worker key is not the one the contract names.", nameof(worker));
        _backend = backend;
        _worker = worker;
        _digest = contract.Digest();
        Contract = contract;
        Dataset = data;
    }

    /// <summary>The agreed statement.</summary>
    public TrainingContract Contract { get; }

    /// <summary>The proof system.</summary>
    public Backend Backend => _backend.Backend;

    /// <summary>The network shape and fixed-point parameters, of any depth.</summary>
    public QuantizedNetworkConfig NetworkConfig => _backend.Network;

    /// <summary>The network in the two-layer form.</summary>
    /// <exception cref="NotSupportedException">The network is not two layers without biases (use <see cref="NetworkConfig"/>).</exception>
    public QuantizedMlpConfig Network => _backend.Network.ToMlp();

    /// <summary>The committed training data.</summary>
    public DatasetCommitment Dataset { get; }

    /// <summary>The backend's commitment to the parameters of <paramref name="network"/>.</summary>
    public byte[] CommitWeights(QuantizedNetwork network, ReadOnlySpan<byte> salt)
    {
        CheckNetwork(network);
        return _backend.CommitWeights(network, salt);
    }

    /// <summary>The two-layer form of <see cref="CommitWeights(QuantizedNetwork, ReadOnlySpan{byte})"/>.</summary>
    public byte[] CommitWeights(QuantizedMlp model, ReadOnlySpan<byte> salt) => CommitWeights(General(model), salt);

    /// <summary>The rows of step <paramref name="step"/> under the contract's schedule rule and <paramref name="scheduleSeed"/>.</summary>
    public int[] RowsOf(ReadOnlySpan<byte> scheduleSeed, int step) =>
        SeededBatchSchedule.Rows(scheduleSeed, Contract.DatasetRows, Contract.BatchSize, step);

    /// <summary>The state before the first step, committed with a fresh salt.</summary>
    public TrainingState Start(QuantizedNetwork initial) => Start(initial, _backend.NewSalt());

    /// <summary>The state before the first step with the given salt (for initial weights whose commitment the contract names).</summary>
    public TrainingState Start(QuantizedNetwork initial, ReadOnlySpan<byte> salt) => Resume(0, initial, salt);

    /// <summary>The two-layer form of <see cref="Start(QuantizedNetwork)"/>.</summary>
    public TrainingState Start(QuantizedMlp initial) => Start(General(initial));

    /// <summary>The two-layer form of <see cref="Start(QuantizedNetwork, ReadOnlySpan{byte})"/>.</summary>
    public TrainingState Start(QuantizedMlp initial, ReadOnlySpan<byte> salt) => Start(General(initial), salt);

    /// <summary>
    /// The state after <paramref name="step"/> steps with parameters <paramref name="network"/> committed with <paramref name="salt"/>
    /// (a worker resuming from a checkpoint of its chain, which keeps each state's weights and salt).
    /// </summary>
    public TrainingState Resume(int step, QuantizedNetwork network, ReadOnlySpan<byte> salt)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        CheckNetwork(network);
        var copy = network.Clone();
        return new TrainingState(step, copy, salt.ToArray(), _backend.CommitWeights(copy, salt));
    }

    /// <summary>The two-layer form of <see cref="Resume(int, QuantizedNetwork, ReadOnlySpan{byte})"/>.</summary>
    public TrainingState Resume(int step, QuantizedMlp model, ReadOnlySpan<byte> salt) => Resume(step, General(model), salt);

    /// <summary>Applies one SGD step on the committed rows <paramref name="rows"/> without proving it.</summary>
    public TrainingState Advance(TrainingState state, ReadOnlySpan<int> rows)
    {
        ArgumentNullException.ThrowIfNull(state);
        var next = Apply(state.Network, rows);
        var salt = _backend.NewSalt();
        return new TrainingState(state.Step + 1, next, salt, _backend.CommitWeights(next, salt));
    }

    /// <summary>
    /// Proves the SGD step from <paramref name="state"/> on the committed rows <paramref name="rows"/> to <paramref name="next"/>,
    /// which must be <see cref="Advance"/>'s result for the same rows; the proof binds the contract digest and the step index.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="next"/> is not the honest successor of <paramref name="state"/>.</exception>
    /// <exception cref="FixedPointOverflowException">The step leaves the declared fixed-point width (no proof can exist).</exception>
    public StepProof ProveStep(TrainingState state, TrainingState next, ReadOnlySpan<int> rows)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(next);
        var honest = Apply(state.Network, rows);
        if (!honest.ParametersEqual(next.Network) || next.Step != state.Step + 1)
            throw new ArgumentException("The next state is not one honest SGD step on these rows from the given state.", nameof(next));
        byte[] before = state.Commitment.ToArray(), after = next.Commitment.ToArray();
        byte[] proof = _backend.ProveStep(Statement(state.Step, before, after, rows), state.Network, state.Salt.Span, next.Salt.Span, Dataset);
        return new StepProof(state.Step, Backend, before, after, proof);
    }

    /// <summary>Where proven steps are logged (information, with proving time and size); none by default.</summary>
    public ILogger Logger { get; set; } = NullLogger.Instance;

    /// <summary>
    /// Runs the whole protocol: draws the schedule seed from <paramref name="challenges"/> (commitment: the contract digest),
    /// starts from the contract's initial weights, trains <see cref="TrainingContract.StepCount"/> steps on the scheduled rows,
    /// commits every state, draws the audit (commitment: the chain digest) when the policy samples, proves the selected steps
    /// and signs the transcript.
    /// </summary>
    /// <param name="challenges">The contract's challenge source (an auditor, a beacon, or Fiat-Shamir for tests).</param>
    /// <param name="initial">For <see cref="InitialWeightsRule.ExplicitCommitment"/>: the agreed initial state (its commitment must be the contract's). Otherwise null.</param>
    /// <param name="progress">Optional progress sink.</param>
    /// <param name="onStepProven">Optional callback with each proof and its proving time.</param>
    /// <exception cref="ArgumentException">The challenge source or the initial state does not fit the contract.</exception>
    public TrainingTranscript Train(IChallengeSource challenges, TrainingState? initial = null,
        IProgress<TrainingProgress>? progress = null, Action<StepProof, TimeSpan>? onStepProven = null)
    {
        ArgumentNullException.ThrowIfNull(challenges);
        if (challenges.Kind != Contract.ChallengeSource)
            throw new ArgumentException($"The contract names a {Contract.ChallengeSource} challenge source, got {challenges.Kind}.", nameof(challenges));
        var schedule = challenges.Draw(ChallengePurpose.ScheduleSeed, _digest);
        var seed = schedule.Value.AsSpan();

        var start = StartState(seed, initial);
        int steps = Contract.StepCount;
        // Training is sequential and cheap; committing (hashing every state) dominates, and states are independent,
        // so all states are kept and committed in parallel.
        var models = new QuantizedNetwork[steps + 1];
        models[0] = start.Network;
        for (int t = 0; t < steps; t++) models[t + 1] = Apply(models[t], RowsOf(seed, t));
        var salts = new byte[models.Length][];
        salts[0] = start.Salt.ToArray();
        for (int t = 1; t < salts.Length; t++) salts[t] = _backend.NewSalt();
        var commitments = new byte[models.Length][];
        commitments[0] = start.Commitment.ToArray();
        int committed = 1;
        // Bounded: backends parallelise inside a commitment too, and an unbounded outer loop lets the pool oversubscribe memory.
        Parallel.For(1, models.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, t =>
        {
            commitments[t] = _backend.CommitWeights(models[t], salts[t]);
            int done = Interlocked.Increment(ref committed);
            if (progress != null && (done % 16 == 0 || done == models.Length)) progress.Report(new TrainingProgress("train", done, models.Length));
        });

        ChallengeRecord? audit = null;
        int[] selected;
        if (Contract.Audit == AuditPolicy.SampleSteps)
        {
            audit = challenges.Draw(ChallengePurpose.AuditSample, TrainingTranscript.ChainDigest(_digest, commitments));
            selected = AuditSample.Draw(audit.Value.AsSpan(), steps, Contract.AuditSampleCount);
        }
        else selected = Enumerable.Range(0, steps).ToArray();

        var proofs = new List<TranscriptStepProof>(selected.Length);
        for (int i = 0; i < selected.Length; i++)
        {
            int t = selected[i];
            long started = Stopwatch.GetTimestamp();
            int proven = i;
            var within = progress is null ? null
                : new SynchronousProgress<double>(f => progress.Report(new TrainingProgress("prove", proven, selected.Length) { StepFraction = f }));
            byte[] proof = _backend.ProveStep(Statement(t, commitments[t], commitments[t + 1], RowsOf(seed, t)), models[t], salts[t], salts[t + 1], Dataset, within);
            var elapsed = Stopwatch.GetElapsedTime(started);
            proofs.Add(new TranscriptStepProof { Step = t, Proof = proof });
            onStepProven?.Invoke(new StepProof(t, Backend, commitments[t], commitments[t + 1], proof), elapsed);
            Logger.LogInformation("Step {Step} proven with {Backend} in {Seconds:F2} s ({Bytes} bytes), {Done}/{Total}", t, Backend, elapsed.TotalSeconds, proof.Length, i + 1, selected.Length);
            progress?.Report(new TrainingProgress("prove", i + 1, selected.Length));
        }

        return Publish(schedule, audit, TranscriptWeights.From(models[0], salts[0]), TranscriptWeights.From(models[^1], salts[^1]), commitments, proofs);
    }

    /// <summary>
    /// Assembles and signs a transcript from its parts (what <see cref="Train"/> does at its end; exposed for workers that
    /// schedule their own proving, e.g. on a cluster).
    /// </summary>
    public TrainingTranscript Publish(ChallengeRecord schedule, ChallengeRecord? audit, TranscriptWeights initial, TranscriptWeights final,
        IReadOnlyList<byte[]> commitments, IReadOnlyList<TranscriptStepProof> proofs)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var transcript = new TrainingTranscript
        {
            Contract = Contract.Encode(),
            ScheduleChallenge = TranscriptChallenge.From(schedule),
            AuditChallenge = audit is null ? null : TranscriptChallenge.From(audit),
            InitialWeights = initial,
            FinalWeights = final,
            Commitments = commitments,
            Proofs = proofs,
        };
        return transcript.WithSignature(_worker.SignTranscript(Contract, transcript.Digest()));
    }

    private TrainingState StartState(ReadOnlySpan<byte> seed, TrainingState? initial)
    {
        if (Contract.InitialWeights == InitialWeightsRule.DerivedFromScheduleSeed)
        {
            if (initial is not null) throw new ArgumentException("The contract derives the initial weights from the schedule seed; pass no initial state.", nameof(initial));
            return Start(SeededInitialWeights.CreateNetwork(Contract, seed));
        }
        if (initial is null) throw new ArgumentException("The contract names explicit initial weights: pass their state (Start with the agreed salt).", nameof(initial));
        if (initial.Step != 0 || !initial.Commitment.Span.SequenceEqual(Contract.InitialWeightsCommitment.AsSpan()))
            throw new ArgumentException("The initial state's commitment is not the contract's initial-weights commitment.", nameof(initial));
        return initial;
    }

    private StepStatement Statement(int step, byte[] before, byte[] after, ReadOnlySpan<int> rows) =>
        new([.. _digest], step, [.. before], [.. after], Contract.DatasetRoot, Contract.DatasetRows, [.. rows]);

    private QuantizedNetwork Apply(QuantizedNetwork network, ReadOnlySpan<int> rows)
    {
        int batch = NetworkConfig.BatchSize;
        if (rows.Length != batch) throw new ArgumentException($"A batch has {batch} rows, got {rows.Length}.", nameof(rows));
        var (inputs, labels) = Dataset.Batch(rows);
        var next = network.Clone();
        next.TrainStep(inputs, labels);
        return next;
    }

    private static QuantizedNetwork General(QuantizedMlp model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return QuantizedNetwork.FromMlp(model);
    }

    private void CheckNetwork(QuantizedNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (network.Config != NetworkConfig)
            throw new ArgumentException($"The network's configuration ({network.Network}, batch {network.Config.BatchSize}) differs from the prover's ({NetworkConfig.Network}, batch {NetworkConfig.BatchSize}).", nameof(network));
    }
}
