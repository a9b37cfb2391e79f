using System.Collections.Immutable;
using ZkMl.Models;
using ZkMl.Training.Backends;

namespace ZkMl.Training;

/// <summary>
/// The worker's side: trains a <see cref="QuantizedMlp"/> on a committed data set, publishes the chain of weight commitments
/// and proves selected steps with one backend.
/// </summary>
/// <remarks>
/// Batch membership is proven inside each step proof, so a step proof alone shows the batch came from the committed data
/// without revealing which rows: the Groth16 backend adds a membership circuit over the dataset's Poseidon tree, linked to the
/// SGD-step circuit by the batch commitment; the STARK backend adds a second STARK over a Poseidon-Goldilocks tree, linked to
/// the step proof by the batch column's commitment.
/// </remarks>
public sealed class TrainingProver
{
    private readonly IStepProver _backend;

    internal TrainingProver(IStepProver backend, DatasetCommitment data)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Backend != backend.Backend)
            throw new ArgumentException($"The data set was committed for {data.Backend}, the prover uses {backend.Backend}.", nameof(data));
        if (data.Data.InputSize != backend.Network.InputSize)
            throw new ArgumentException($"Data rows have {data.Data.InputSize} inputs, the network expects {backend.Network.InputSize}.", nameof(data));
        _backend = backend;
        Dataset = data;
    }

    /// <summary>The proof system.</summary>
    public Backend Backend => _backend.Backend;

    /// <summary>The network shape and fixed-point parameters.</summary>
    public QuantizedMlpConfig Network => _backend.Network;

    /// <summary>The committed training data.</summary>
    public DatasetCommitment Dataset { get; }

    /// <summary>The backend's commitment to the weights of <paramref name="model"/>.</summary>
    public byte[] CommitWeights(QuantizedMlp model, ReadOnlySpan<byte> salt)
    {
        CheckNetwork(model);
        return _backend.CommitWeights(model, salt);
    }

    /// <summary>The state before the first step.</summary>
    public TrainingState Start(QuantizedMlp initial)
    {
        CheckNetwork(initial);
        var copy = initial.Clone();
        var salt = _backend.NewSalt();
        return new TrainingState(0, copy, salt, _backend.CommitWeights(copy, salt));
    }

    /// <summary>Applies one SGD step on the committed rows <paramref name="rows"/> without proving it.</summary>
    public TrainingState Advance(TrainingState state, ReadOnlySpan<int> rows)
    {
        ArgumentNullException.ThrowIfNull(state);
        var next = Apply(state.Model, rows);
        var salt = _backend.NewSalt();
        return new TrainingState(state.Step + 1, next, salt, _backend.CommitWeights(next, salt));
    }

    /// <summary>
    /// Proves the SGD step from <paramref name="state"/> on the committed rows <paramref name="rows"/> to <paramref name="next"/>,
    /// which must be <see cref="Advance"/>'s result for the same rows (its salt is bound into the proof).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="next"/> is not the honest successor of <paramref name="state"/>.</exception>
    /// <exception cref="FixedPointOverflowException">The step leaves the declared fixed-point width (no proof can exist).</exception>
    public StepProof ProveStep(TrainingState state, TrainingState next, ReadOnlySpan<int> rows)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(next);
        var honest = Apply(state.Model, rows);
        if (!honest.WeightsEqual(next.Model) || next.Step != state.Step + 1)
            throw new ArgumentException("The next state is not one honest SGD step on these rows from the given state.", nameof(next));
        byte[] proof = _backend.ProveStep(Statement(state.Step, state.Commitment.ToArray(), next.Commitment.ToArray(), rows),
            state.Model, state.Salt.Span, next.Salt.Span, Dataset);
        return new StepProof(state.Step, Backend, state.Commitment.ToArray(), next.Commitment.ToArray(), proof);
    }

    /// <summary>
    /// Trains over <paramref name="batches"/> (row indices into the committed data), commits to the weights after every step,
    /// proves the steps <paramref name="plan"/> selects and returns the transcript.
    /// </summary>
    /// <param name="initial">The starting weights (published in the transcript).</param>
    /// <param name="batches">One array of BatchSize row indices per step.</param>
    /// <param name="plan">Which steps to prove.</param>
    /// <param name="progress">Optional progress sink.</param>
    /// <param name="onStepProven">Optional callback with each proof and its proving time.</param>
    public TrainingTranscript Train(QuantizedMlp initial, IReadOnlyList<int[]> batches, ProofPlan plan,
        IProgress<TrainingProgress>? progress = null, Action<StepProof, TimeSpan>? onStepProven = null)
    {
        ArgumentNullException.ThrowIfNull(batches);
        ArgumentNullException.ThrowIfNull(plan);
        CheckNetwork(initial);
        // Training is sequential and cheap; committing (hashing every state) dominates, and states are independent,
        // so all states are kept and committed in parallel.
        var models = new QuantizedMlp[batches.Count + 1];
        models[0] = initial.Clone();
        for (int t = 0; t < batches.Count; t++) models[t + 1] = Apply(models[t], batches[t]);
        var salts = new byte[models.Length][];
        for (int t = 0; t < salts.Length; t++) salts[t] = _backend.NewSalt();
        var commitmentArray = new byte[models.Length][];
        int committed = 0;
        // Bounded: backends parallelise inside a commitment too, and an unbounded outer loop lets the pool oversubscribe memory.
        Parallel.For(0, models.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, t =>
        {
            commitmentArray[t] = _backend.CommitWeights(models[t], salts[t]);
            int done = Interlocked.Increment(ref committed);
            if (progress != null && (done % 16 == 0 || done == models.Length)) progress.Report(new TrainingProgress("train", done, models.Length));
        });
        var commitments = commitmentArray.ToList();

        int[] selected = plan.SelectSteps(batches.Count, Dataset.Root.Span, commitments);
        var proofs = new List<TranscriptStepProof>(selected.Length);
        for (int i = 0; i < selected.Length; i++)
        {
            int t = selected[i];
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            byte[] proof = _backend.ProveStep(Statement(t, commitments[t], commitments[t + 1], batches[t]), models[t], salts[t], salts[t + 1], Dataset);
            var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
            proofs.Add(new TranscriptStepProof { Step = t, Proof = proof });
            onStepProven?.Invoke(new StepProof(t, Backend, commitments[t], commitments[t + 1], proof), elapsed);
            progress?.Report(new TrainingProgress("prove", i + 1, selected.Length));
        }

        return new TrainingTranscript
        {
            Backend = Backend,
            Network = Network,
            DatasetRoot = Dataset.Root.ToArray(),
            DatasetRows = Dataset.RowCount,
            VerifyingKey = _backend.VerifyingKey,
            ProofPlan = plan.ToString(),
            InitialWeights = TranscriptWeights.From(initial, salts[0]),
            FinalWeights = TranscriptWeights.From(models[^1], salts[^1]),
            Commitments = commitments,
            Proofs = proofs,
        };
    }

    // Interim: the contract digest is not bound yet (issue #13 in progress).
    private StepStatement Statement(int step, byte[] before, byte[] after, ReadOnlySpan<int> rows) =>
        new(new byte[32].ToImmutableArray(), step, [.. before], [.. after], [.. Dataset.Root.Span], Dataset.RowCount, [.. rows]);

    private QuantizedMlp Apply(QuantizedMlp model, ReadOnlySpan<int> rows)
    {
        var c = Network;
        if (rows.Length != c.BatchSize) throw new ArgumentException($"A batch has {c.BatchSize} rows, got {rows.Length}.", nameof(rows));
        var (inputs, labels) = Dataset.Batch(rows);
        var next = model.Clone();
        next.TrainStep(inputs, labels);
        return next;
    }

    private void CheckNetwork(QuantizedMlp model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Config != Network)
            throw new ArgumentException($"The model's configuration {model.Config} differs from the prover's {Network}.", nameof(model));
    }
}
