using ZkMl.Training;
using ZkMl.Training.Backends.Groth16;
using ZkMl.Training.Contract;
using ZkMl.Training.Shards;

namespace ZkMl.Network;

/// <summary>
/// Rechecks a run's acceptance from a <see cref="RunView"/> without trusting the cluster or the store: against the
/// contract and verifier keys the checker holds itself, it checks the trainer's chain signature and openings, every
/// draw commit's signature and reveal, recomputes the challenge value and the challenged steps, and counts, per step,
/// the valid verdicts signed by distinct registered keys over one proof hash.
/// </summary>
public static class RunAudit
{
    /// <summary>
    /// Null when the view proves acceptance of <paramref name="contract"/> by <paramref name="quorum"/> of <paramref name="verifierKeys"/>;
    /// otherwise why not. For Groth16, <paramref name="groth16Keys"/> is the checker's own copy of the verifying keys (else the
    /// registration's are taken), used only when the contract pins them; for a beacon contract, <paramref name="beacon"/> is the
    /// checker's own access to the beacon and board. With <paramref name="contributors"/> (the checker's own list of the run's
    /// data contributors), every contributor's attestation in the view must verify under its key and attestation key, and
    /// the attested shards must make the contract's dataset root.
    /// </summary>
    public static string? Check(RunView view, byte[] contract, IReadOnlyList<byte[]> verifierKeys, int quorum, Groth16VerifyingKeys? groth16Keys = null,
        BeaconAccess? beacon = null, IReadOnlyList<ContributorRegistration>? contributors = null)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(verifierKeys);
        var c = TrainingContract.Decode(contract);
        byte[] digest = c.Digest();
        if (view.Chain is null) return "no chain is published.";
        if (contributors is not null && Shards(view, c, contributors) is { } shards) return "shards: " + shards;
        TrainingVerifier verifier;
        IChallengeSource source;
        try { (verifier, source) = RunChecks.Verifier(c, RunChecks.TrustedKeys(c, view.Registration, groth16Keys), DateTimeOffset.UtcNow, beacon); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or ZkMl.Snark.Formats.SnarkFormatException) { return "this checker cannot verify the contract: " + e.Message; }
        if (RunChecks.Chain(view.RunId, c, digest, verifier, source, view.Chain) is { } bad) return "chain: " + bad;
        byte[] chainDigest = NetworkMessages.ChainDigest(digest, view.Chain.Commitments);
        if (view.Reveals.Count == 0 || view.Reveals.Count != view.Commits.Count) return "the draw is not complete.";
        foreach (var (index, nonce) in view.Reveals)
        {
            if (index < 0 || index >= verifierKeys.Count || !view.Commits.TryGetValue(index, out var commit)) return $"reveal {index} has no registered, committed verifier.";
            if (!WorkerKey.Verify(verifierKeys[index], digest, NetworkMessages.CommitSigned(view.RunId, chainDigest, view.Round, index, commit.Commitment), commit.Signature))
                return $"verifier {index}'s commit signature does not verify.";
            if (!NetworkMessages.NonceCommitment(view.RunId, chainDigest, view.Round, index, nonce).AsSpan().SequenceEqual(commit.Commitment))
                return $"verifier {index}'s reveal does not open its commit.";
        }
        byte[] value = NetworkMessages.ChallengeValue(view.RunId, chainDigest, view.Round, view.Reveals);
        if (!value.AsSpan().SequenceEqual(view.ChallengeValue)) return "the challenge value is not the one the reveals give.";
        foreach (int step in NetworkMessages.ChallengedSteps(c, value))
        {
            var valid = view.Verdicts.Where(v => v.Step == step && v.Valid && v.Verifier >= 0 && v.Verifier < verifierKeys.Count
                && WorkerKey.Verify(verifierKeys[v.Verifier], digest, NetworkMessages.VerdictSigned(view.RunId, chainDigest, value, step, v.ProofSha256, true), v.Signature)).ToList();
            int best = valid.GroupBy(v => Convert.ToHexString(v.ProofSha256)).Select(g => g.Select(v => v.Verifier).Distinct().Count()).DefaultIfEmpty(0).Max();
            if (best < quorum) return $"step {step} has {best} valid signed verdicts on one proof, under the quorum {quorum}.";
        }
        return null;
    }

    private static string? Shards(RunView view, TrainingContract contract, IReadOnlyList<ContributorRegistration> contributors)
    {
        if (view.Shards.Length != contributors.Count) return $"the run reports {view.Shards.Length} shards, the checker knows {contributors.Count} contributors.";
        var attested = new List<ShardAttestation>();
        for (int i = 0; i < contributors.Count; i++)
        {
            ShardAttestation a;
            try { a = ShardAttestation.Decode(view.Shards[i].Attestation); }
            catch (ShardFormatException e) { return $"contributor {i}'s attestation: {e.Message}"; }
            var parameters = new ShardParameters(contract.InputSize, contract.FractionBits, contributors[i].Capacity, contract.Layers[^1].Width);
            var verdict = ShardAttestations.Verify(a, NetworkMessages.ShardRunId(view.RunId), contributors[i].PublicKey, parameters,
                Groth16VerifyingKeys.ParseCanonicalBytes(contributors[i].AttestationKey, "attestation verifying key"));
            if (!verdict.IsValid) return $"contributor {i}'s attestation: {verdict.Reason}";
            attested.Add(a);
        }
        try { return DatasetShards.FromAttestations(attested).IsDatasetOf(contract) ? null : "the attested shards do not make the contract's dataset root."; }
        catch (ArgumentException e) { return "the attested shards break the layout rule: " + e.Message; }
    }
}
