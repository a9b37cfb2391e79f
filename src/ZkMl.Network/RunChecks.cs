using ZkMl.Training;
using ZkMl.Training.Backends.Groth16;
using ZkMl.Training.Contract;

namespace ZkMl.Network;

/// <summary>Checks shared by the run grain, verifier nodes and <see cref="RunAudit"/>; none of them trusts the others' results.</summary>
internal static class RunChecks
{
    /// <summary>
    /// The contract's step verifier; the schedule challenge is checked as answered at <paramref name="answeredAt"/>, or (beacon)
    /// against the node's own <paramref name="beacon"/> access.
    /// </summary>
    /// <exception cref="NotSupportedException">A beacon contract on a node without beacon access, or a contract beyond this build.</exception>
    /// <exception cref="ArgumentException">Groth16 without trusted keys, or a beacon that is not the contract's.</exception>
    internal static (TrainingVerifier Verifier, IChallengeSource Source) Verifier(TrainingContract contract, Groth16VerifyingKeys? keys, DateTimeOffset answeredAt, BeaconAccess? beacon = null)
    {
        IChallengeSource source = contract.ChallengeSource switch
        {
            ChallengeSourceKind.FiatShamir => new FiatShamirChallenge(contract),
            ChallengeSourceKind.Interactive => InteractiveChallenge.ForVerifier(contract, answeredAt),
            ChallengeSourceKind.Beacon when beacon is not null => new BeaconChallenge(contract, beacon.Beacon, beacon.Board),
            ChallengeSourceKind.Beacon => throw new NotSupportedException("A beacon contract needs the node's own access to the beacon and publication board (NetworkHosting.AddZkMlBeacon, VerifierNode.Beacon, RunAudit's beacon)."),
            _ => throw new NotSupportedException($"The network does not carry {contract.ChallengeSource} challenge evidence."),
        };
        return (TrainingVerifier.Create(contract, source, keys), source);
    }

    /// <summary>
    /// The Groth16 verifying keys to check a run with: <paramref name="own"/> (the checker's copy, e.g. from its ceremony's files)
    /// or else the registration's; either way <see cref="TrainingVerifier.Create"/> accepts them only when their SHA-256 values
    /// are the contract's pins. Null for a STARK contract or a registration without keys.
    /// </summary>
    /// <exception cref="ZkMl.Snark.Formats.SnarkFormatException">A registered key is malformed.</exception>
    internal static Groth16VerifyingKeys? TrustedKeys(TrainingContract contract, RunRegistration? registration, Groth16VerifyingKeys? own)
    {
        if (contract.Backend != Backend.Groth16) return null;
        if (own is not null) return own;
        if (registration is null || registration.Groth16StepKey.Length == 0) return null;
        return Groth16VerifyingKeys.FromBytes(registration.Groth16StepKey, registration.Groth16MembershipKey);
    }

    /// <summary>Sizes of a publication against the contract and <see cref="NetworkLimits"/>, before its content is used.</summary>
    internal static Outcome? Sizes(TrainingContract contract, ChainPublication chain)
    {
        if (chain.Commitments is null || chain.ScheduleChallenge is null || chain.InitialWeights is null || chain.FinalWeights is null || chain.Signature is null)
            return Outcome.Reject(Rejection.Malformed, "The publication has a missing field.");
        if (chain.Commitments.Length != contract.StepCount + 1)
            return Outcome.Reject(Rejection.Malformed, $"The chain has {chain.Commitments.Length} commitments; the contract's {contract.StepCount} steps need {contract.StepCount + 1}.");
        foreach (var c in chain.Commitments)
            if (c is null || c.Length is 0 or > NetworkLimits.MaxCommitmentBytes)
                return Outcome.Reject(Rejection.TooLarge, $"A commitment must have 1..{NetworkLimits.MaxCommitmentBytes} bytes.");
        var s = chain.ScheduleChallenge;
        if (s.Value is null || s.Commitment is null || s.Evidence is null || s.Evidence.Length > NetworkLimits.MaxEvidenceBytes || s.Commitment.Length > NetworkLimits.MaxCommitmentBytes)
            return Outcome.Reject(Rejection.TooLarge, $"The schedule challenge's commitment or evidence is missing or too large (evidence limit {NetworkLimits.MaxEvidenceBytes} bytes).");
        foreach (var w in new[] { chain.InitialWeights, chain.FinalWeights })
            if (w.W1 is null || w.W2 is null || w.Salt is null || (long)w.W1.Length + w.W2.Length > NetworkLimits.MaxOpeningWeights || w.Salt.Length > NetworkLimits.MaxCommitmentBytes)
                return Outcome.Reject(Rejection.TooLarge, "A weights opening is missing a field or exceeds the limits.");
        if (chain.Signature.Length != 64) return Outcome.Reject(Rejection.BadSignature, "The chain signature must be 64 bytes (P1363).");
        return null;
    }

    /// <summary>
    /// Null when <paramref name="chain"/> is a valid publication of <paramref name="runId"/> under the contract: sizes, the
    /// schedule challenge (purpose, commitment = contract digest, the source's evidence), the worker key's signature, and the
    /// openings of the first commitment (and the contract's initial-weights rule) and of the last.
    /// </summary>
    internal static Outcome? Chain(string runId, TrainingContract contract, byte[] digest, TrainingVerifier verifier, IChallengeSource source, ChainPublication chain)
    {
        if (Sizes(contract, chain) is { } bad) return bad;
        ChallengeRecord record;
        try { record = chain.ScheduleChallenge.ToRecord(); }
        catch (ArgumentException e) { return Outcome.Reject(Rejection.Malformed, "Schedule challenge: " + e.Message); }
        if (record.Purpose != ChallengePurpose.ScheduleSeed || !record.Commitment.AsSpan().SequenceEqual(digest))
            return Outcome.Reject(Rejection.Malformed, "The schedule challenge is not the schedule seed drawn on the contract digest.");
        if (!source.Verify(record, out string why)) return Outcome.Reject(Rejection.Malformed, "Schedule challenge rejected: " + why);
        byte[] chainDigest = NetworkMessages.ChainDigest(digest, chain.Commitments);
        if (!WorkerKey.Verify(contract.WorkerPublicKey.AsSpan(), digest, NetworkMessages.ChainSigned(runId, chainDigest, chain.ScheduleChallenge), chain.Signature))
            return Outcome.Reject(Rejection.BadSignature, "The chain is not signed by the contract's worker key for this run.");
        if (!Opens(verifier, chain.InitialWeights, chain.Commitments[0]))
            return Outcome.Reject(Rejection.Malformed, "The initial weights do not open commitment 0.");
        if (contract.InitialWeights == InitialWeightsRule.DerivedFromScheduleSeed)
        {
            var expected = SeededInitialWeights.Create(contract, record.Value.AsSpan());
            if (!expected.Weights1.SequenceEqual(chain.InitialWeights.W1) || !expected.Weights2.SequenceEqual(chain.InitialWeights.W2))
                return Outcome.Reject(Rejection.Malformed, "The initial weights are not the ones the contract derives from the schedule seed.");
        }
        else if (!chain.Commitments[0].AsSpan().SequenceEqual(contract.InitialWeightsCommitment.AsSpan()))
            return Outcome.Reject(Rejection.Malformed, "Commitment 0 is not the contract's initial-weights commitment.");
        if (!Opens(verifier, chain.FinalWeights, chain.Commitments[^1]))
            return Outcome.Reject(Rejection.Malformed, "The final weights do not open the last commitment.");
        return null;
    }

    /// <summary>True when <paramref name="proof"/> proves <paramref name="step"/> between the chain's adjacent commitments.</summary>
    internal static bool Step(TrainingVerifier verifier, ChainPublication chain, int step, byte[] proof) =>
        step >= 0 && step + 1 < chain.Commitments.Length &&
        verifier.VerifyStep(new StepProof(step, verifier.Backend, chain.Commitments[step], chain.Commitments[step + 1], proof), chain.ScheduleChallenge.Value);

    private static bool Opens(TrainingVerifier verifier, WeightsOpening opening, byte[] commitment)
    {
        var n = verifier.Network;
        if (opening.W1.Length != n.Weights1Count || opening.W2.Length != n.Weights2Count) return false;
        try { return verifier.CommitWeights(opening.ToTranscript().ToModel(n), opening.Salt).AsSpan().SequenceEqual(commitment); }
        catch (ArgumentException) { return false; }
    }
}
