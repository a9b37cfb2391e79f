using System.Security.Cryptography;
using ZkMl.Training;
using ZkMl.Training.Backends.Groth16;
using ZkMl.Training.Contract;

namespace ZkMl.Network;

/// <summary>
/// An independent verifier: holds its own copy of the contract and its own key, checks the published chain itself, takes
/// part in the commit-reveal draw, verifies every proof assigned to it with its own step verifier and signs its verdicts.
/// It trusts nothing the cluster computes: the challenge value and challenged steps are recomputed from the signed commits
/// and reveals before it signs.
/// </summary>
public sealed class VerifierNode
{
    private readonly IRunGrain _run;
    private readonly string _runId;
    private readonly int _index;
    private readonly WorkerKey _key;
    private readonly byte[] _contractBytes;
    private readonly TrainingContract _contract;
    private readonly byte[] _digest;
    private readonly Groth16VerifyingKeys? _keys;
    private readonly Dictionary<int, byte[]> _nonces = [];
    private TrainingVerifier? _verifier;
    private ChainPublication? _chain;
    private byte[] _chainDigest = [];

    /// <summary>
    /// A verifier for run <paramref name="runId"/>, registered at <paramref name="index"/> with <paramref name="key"/>'s public key,
    /// holding <paramref name="contract"/> (canonical bytes) and, for Groth16, its own copy of the verifying keys (else it takes the
    /// registration's; either copy is used only when its SHA-256 values are the pins of the contract this verifier holds).
    /// </summary>
    public VerifierNode(IGrainFactory grains, string runId, int index, WorkerKey key, byte[] contract, Groth16VerifyingKeys? keys = null)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(contract);
        _run = grains.GetGrain<IRunGrain>(runId);
        _runId = runId;
        _index = index;
        _key = key;
        _contractBytes = contract;
        _contract = TrainingContract.Decode(contract);
        _digest = _contract.Digest();
        _keys = keys;
    }

    /// <summary>Verdicts signed (valid and invalid).</summary>
    public int Signed { get; private set; }

    /// <summary>Why this verifier refuses the run (contract or chain it cannot accept), or null.</summary>
    public string? Refusal { get; private set; }

    /// <summary>This verifier's own access to the beacon and board, for a beacon contract.</summary>
    public BeaconAccess? Beacon { get; init; }

    /// <summary>Optional progress sink.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Delay between polls.</summary>
    public TimeSpan Poll { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Works until the run is accepted or failed (or this verifier refuses it, or <paramref name="cancel"/>); returns the last phase seen.</summary>
    public async Task<RunPhase> RunAsync(CancellationToken cancel = default)
    {
        while (true)
        {
            var phase = await StepOnceAsync();
            if (phase is RunPhase.Accepted or RunPhase.Failed || Refusal is not null) return phase;
            await Task.Delay(Poll, cancel);
        }
    }

    /// <summary>One poll: check the chain once, commit or reveal in the draw, judge and sign assigned proofs.</summary>
    public async Task<RunPhase> StepOnceAsync()
    {
        var view = await _run.Status();
        if (view.Phase is RunPhase.Unknown or RunPhase.AwaitingShards or RunPhase.AwaitingChain or RunPhase.Failed || Refusal is not null) return view.Phase;
        if (_chain is null && !CheckChain(view)) return view.Phase;
        if (view.Phase == RunPhase.Drawing && view.Participants.Contains(_index)) await Draw(view);
        if (view.Phase == RunPhase.Proving)
        {
            byte[] value = NetworkMessages.ChallengeValue(_runId, _chainDigest, view.Round, view.Reveals);
            if (!value.AsSpan().SequenceEqual(view.ChallengeValue)) { Refuse("the cluster's challenge value is not the one the reveals give."); return view.Phase; }
            var challenged = NetworkMessages.ChallengedSteps(_contract, value);
            foreach (var a in await _run.Assignments(_index))
            {
                if (Array.BinarySearch(challenged, a.Step) < 0) continue; // not challenged: nothing to sign
                bool valid = RunChecks.Step(_verifier!, _chain!, a.Step, a.Proof);
                byte[] sha = SHA256.HashData(a.Proof);
                var verdict = new SignedVerdict
                {
                    Verifier = _index, Step = a.Step, Valid = valid, ProofSha256 = sha,
                    Signature = _key.Sign(_digest, NetworkMessages.VerdictSigned(_runId, _chainDigest, value, a.Step, sha, valid)),
                };
                var outcome = await _run.SubmitVerdict(verdict);
                if (outcome.Accepted) Signed++;
                Log?.Invoke($"verifier {_index}: step {a.Step} {(valid ? "valid" : "INVALID")} -> {outcome}");
            }
        }
        return view.Phase;
    }

    private bool CheckChain(RunView view)
    {
        if (view.Registration is null || !view.Registration.Contract.AsSpan().SequenceEqual(_contractBytes)) return Refuse("the run's contract is not the one this verifier holds.");
        if (_index < 0 || _index >= view.Registration.VerifierKeys.Length || !view.Registration.VerifierKeys[_index].AsSpan().SequenceEqual(_key.PublicKey))
            return Refuse($"this verifier's key is not registered at index {_index}.");
        TrainingVerifier verifier;
        IChallengeSource source;
        try { (verifier, source) = RunChecks.Verifier(_contract, RunChecks.TrustedKeys(_contract, view.Registration, _keys), DateTimeOffset.UtcNow, Beacon); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or ZkMl.Snark.Formats.SnarkFormatException)
        {
            return Refuse("no verifying keys this verifier trusts: " + e.Message);
        }
        if (RunChecks.Chain(_runId, _contract, _digest, verifier, source, view.Chain!) is { } bad) return Refuse("the published chain is not acceptable: " + bad);
        _verifier = verifier;
        _chain = view.Chain;
        _chainDigest = NetworkMessages.ChainDigest(_digest, _chain!.Commitments);
        Log?.Invoke($"verifier {_index}: chain of {_contract.StepCount} steps checked");
        return true;
    }

    private async Task Draw(RunView view)
    {
        if (!view.Commits.ContainsKey(_index) && view.RevealDeadline == DateTimeOffset.MaxValue)
        {
            if (!_nonces.TryGetValue(view.Round, out var fresh)) _nonces[view.Round] = fresh = RandomNumberGenerator.GetBytes(NetworkMessages.NonceBytes);
            byte[] commitment = NetworkMessages.NonceCommitment(_runId, _chainDigest, view.Round, _index, fresh);
            var outcome = await _run.Commit(new DrawCommit
            {
                Verifier = _index, Round = view.Round, Commitment = commitment,
                Signature = _key.Sign(_digest, NetworkMessages.CommitSigned(_runId, _chainDigest, view.Round, _index, commitment)),
            });
            Log?.Invoke($"verifier {_index}: commit round {view.Round} -> {outcome}");
        }
        else if (view.Commits.ContainsKey(_index) && view.RevealDeadline != DateTimeOffset.MaxValue && !view.Reveals.ContainsKey(_index)
            && _nonces.TryGetValue(view.Round, out var nonce))
        {
            var outcome = await _run.Reveal(new DrawReveal { Verifier = _index, Round = view.Round, Nonce = nonce });
            Log?.Invoke($"verifier {_index}: reveal round {view.Round} -> {outcome}");
        }
    }

    private bool Refuse(string why)
    {
        Refusal = why;
        Log?.Invoke($"verifier {_index}: refuses run {_runId}: {why}");
        return false;
    }
}
