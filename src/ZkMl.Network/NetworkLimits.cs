namespace ZkMl.Network;

/// <summary>
/// Bounds on what the run grain accepts from the network, checked before a field's content is used. The transport bound
/// (Orleans' message body limit, set by <see cref="NetworkHosting"/>) stops larger messages before they are deserialized.
/// </summary>
public static class NetworkLimits
{
    /// <summary>Characters in a run id.</summary>
    public const int MaxRunIdChars = 128;
    /// <summary>Characters in a prover worker id.</summary>
    public const int MaxWorkerIdChars = 128;
    /// <summary>Registered verifiers per run.</summary>
    public const int MaxVerifiers = 64;
    /// <summary>Bytes of one verifier public key (SPKI DER).</summary>
    public const int MaxKeyBytes = 256;
    /// <summary>Bytes of one step proof.</summary>
    public const int MaxProofBytes = 4 << 20;
    /// <summary>Bytes of one weight commitment.</summary>
    public const int MaxCommitmentBytes = 64;
    /// <summary>Bytes of a challenge record's evidence.</summary>
    public const int MaxEvidenceBytes = 4096;
    /// <summary>Weights in one published opening.</summary>
    public const int MaxOpeningWeights = 1 << 22;
    /// <summary>Data contributors per run.</summary>
    public const int MaxContributors = 64;
    /// <summary>Bytes of one encoded shard attestation or attestation verifying key.</summary>
    public const int MaxAttestationBytes = 64 << 10;
    /// <summary>Bytes of one Groth16 training verifying key (canonical bytes).</summary>
    public const int MaxVerifyingKeyBytes = 1 << 20;
    /// <summary>Bytes of one Orleans message body (the transport limit).</summary>
    public const int MaxMessageBodyBytes = 16 << 20;
}
