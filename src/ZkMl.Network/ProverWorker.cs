namespace ZkMl.Network;

/// <summary>
/// A prover worker of the trainer's farm: pulls step tasks of one run, proves them with <c>prove</c> (any backend), and
/// submits, until the run no longer needs proofs or the worker is recorded as faulty.
/// </summary>
/// <param name="grains">The cluster client.</param>
/// <param name="runId">The run.</param>
/// <param name="workerId">This worker's id (unique in the farm).</param>
/// <param name="prove">Proves a step: returns the backend's proof bytes.</param>
public sealed class ProverWorker(IGrainFactory grains, string runId, string workerId, Func<int, CancellationToken, Task<byte[]>> prove)
{
    private readonly IRunGrain _run = (grains ?? throw new ArgumentNullException(nameof(grains))).GetGrain<IRunGrain>(runId);

    /// <summary>This worker's id.</summary>
    public string Id => workerId;

    private readonly List<int> _accepted = [];

    /// <summary>Proofs accepted.</summary>
    public int Accepted => _accepted.Count;

    /// <summary>The steps whose proofs from this worker were accepted, in order.</summary>
    public IReadOnlyList<int> AcceptedSteps => _accepted;

    /// <summary>Proofs rejected (invalid, lease lost, already accepted).</summary>
    public int Rejected { get; private set; }

    /// <summary>Optional progress sink (one line per event).</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Delay between lease requests when no task is free.</summary>
    public TimeSpan Poll { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Works until the run is accepted or failed, the worker is refused as faulty or unknown, or <paramref name="cancel"/>.</summary>
    public async Task RunAsync(CancellationToken cancel = default)
    {
        while (!cancel.IsCancellationRequested)
        {
            var (worked, done) = await StepOnceAsync(cancel);
            if (done) return;
            if (!worked) await Task.Delay(Poll, cancel);
        }
    }

    /// <summary>One lease-prove-submit cycle: whether a task was worked on, and whether the worker should stop.</summary>
    public async Task<(bool Worked, bool Done)> StepOnceAsync(CancellationToken cancel = default)
    {
        var lease = await _run.Lease(workerId);
        if (lease.Task is not { } task)
        {
            bool done = lease.Phase is RunPhase.Accepted or RunPhase.Failed or RunPhase.Unknown
                || lease.Outcome.Rejection is Rejection.FaultyWorker or Rejection.UnknownRun or Rejection.Malformed or Rejection.TooLarge;
            return (false, done);
        }
        Log?.Invoke($"prover {workerId}: step {task.Step} leased");
        byte[] proof = await prove(task.Step, cancel);
        var outcome = await SubmitAsync(new ProofSubmission { Worker = workerId, Lease = task.Lease, Step = task.Step, Proof = proof }, task.Expires, cancel);
        if (outcome.Accepted) _accepted.Add(task.Step); else Rejected++;
        Log?.Invoke($"prover {workerId}: step {task.Step} {outcome}");
        return (true, outcome.Rejection == Rejection.InvalidProof);
    }

    // A proof is kept through a silo or store outage: the submission is retried until answered or the lease has expired
    // (then the task is someone else's and the last failure is thrown).
    private async Task<Outcome> SubmitAsync(ProofSubmission submission, DateTimeOffset expires, CancellationToken cancel)
    {
        while (true)
        {
            try { return await _run.Submit(submission); }
            catch (Exception e) when (e is not OperationCanceledException && DateTimeOffset.UtcNow < expires && !cancel.IsCancellationRequested)
            {
                Log?.Invoke($"prover {workerId}: step {submission.Step} submission failed ({e.GetType().Name}); retrying");
                await Task.Delay(Poll, cancel);
            }
        }
    }
}
