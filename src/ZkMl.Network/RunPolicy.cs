namespace ZkMl.Network;

/// <summary>
/// The network terms of a run, fixed at registration: how many verifiers check each proof, how many valid signatures
/// accept a step, and the deadlines (seconds) of the commit-reveal draw, of a prover's lease and of a verifier's verdict.
/// </summary>
[GenerateSerializer, Immutable]
public sealed class RunPolicy
{
    /// <summary>Verifiers initially assigned to each proof (capped by the verifiers left).</summary>
    [Id(0)] public int Coverage { get; init; } = 3;
    /// <summary>Valid verdicts from distinct registered verifier keys that accept one step.</summary>
    [Id(1)] public int Quorum { get; init; } = 2;
    /// <summary>Seconds the verifiers have to commit to their draw nonces once the round opens.</summary>
    [Id(2)] public int CommitSeconds { get; init; } = 60;
    /// <summary>Seconds the committed verifiers have to reveal; a verifier that withholds its reveal is excluded and the round redrawn.</summary>
    [Id(3)] public int RevealSeconds { get; init; } = 60;
    /// <summary>Seconds a prover holds a step task before it is reassigned.</summary>
    [Id(4)] public int LeaseSeconds { get; init; } = 300;
    /// <summary>Seconds the assigned verifiers have to sign a step's verdict before one more verifier is assigned.</summary>
    [Id(5)] public int VerdictSeconds { get; init; } = 120;

    /// <summary>The reason this policy is unusable with <paramref name="verifiers"/> registered verifiers, or null.</summary>
    public string? Problem(int verifiers)
    {
        if (Quorum < 1 || Quorum > verifiers) return $"the quorum {Quorum} must be in [1, {verifiers}] (the registered verifiers).";
        if (Coverage < Quorum || Coverage > verifiers) return $"the coverage {Coverage} must be in [quorum {Quorum}, {verifiers}].";
        foreach (var (name, value) in new[] { ("CommitSeconds", CommitSeconds), ("RevealSeconds", RevealSeconds), ("LeaseSeconds", LeaseSeconds), ("VerdictSeconds", VerdictSeconds) })
            if (value is < 1 or > 7 * 24 * 3600) return $"{name} {value} is outside [1 s, 7 days].";
        return null;
    }
}
