using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ZkMl.Common;
using ZkMl.Training.Contract;

namespace ZkMl.Training;

/// <summary>
/// A versioned JSON record of a training run under a <see cref="TrainingContract"/>: a copy of the contract (compared with
/// the verifier's, never trusted), the schedule-seed and audit challenges, the chain of weight commitments (one before the
/// first step and one after each step), the step proofs, the published initial and final weights, and the worker's
/// signature over all of it (<see cref="Digest"/>). See docs/protocol.md.
/// </summary>
/// <remarks>
/// Version 2 stores weights in the two-layer form (w1, w2) and is what the two-layer network without biases still writes,
/// byte for byte; version 3 stores every layer's weights and biases (<see cref="TranscriptWeights.Layers"/>) and is written
/// for every other network. Both are read.
/// </remarks>
public sealed class TrainingTranscript
{
    /// <summary>Value of <see cref="Format"/>.</summary>
    public const string FormatName = "zkml-training-transcript";
    /// <summary>The newest version this library writes and reads (weights of any network, layer by layer).</summary>
    public const int CurrentVersion = 3;
    /// <summary>The version with two-layer weights (w1, w2), still written for the two-layer network without biases.</summary>
    public const int TwoLayerVersion = 2;

    private static ReadOnlySpan<byte> DigestTagV2 => "ZkMl.TrainingTranscript.v2"u8;
    private static ReadOnlySpan<byte> DigestTagV3 => "ZkMl.TrainingTranscript.v3"u8;
    private static ReadOnlySpan<byte> ChainTag => "ZkMl.CommitmentChain.v1"u8;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter<ChallengePurpose>(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        MaxDepth = 8,
        TypeInfoResolver = TranscriptJsonContext.Default.WithAddedModifier(OmitTwoLayerFormInLayerForm),
    };

    private static JsonTypeInfo<TrainingTranscript> JsonInfo => (JsonTypeInfo<TrainingTranscript>)Json.GetTypeInfo(typeof(TrainingTranscript));

    // Layer-form weights leave out the empty w1 and w2 (so a version-3 file names only what it holds).
    private static void OmitTwoLayerFormInLayerForm(JsonTypeInfo info)
    {
        if (info.Type != typeof(TranscriptWeights)) return;
        foreach (var property in info.Properties)
            if (property.Name is "w1" or "w2")
                property.ShouldSerialize = (owner, _) => ((TranscriptWeights)owner).IsTwoLayerForm;
    }

    /// <summary>Always <see cref="FormatName"/>.</summary>
    public string Format { get; init; } = FormatName;
    /// <summary>
    /// File format version; unless set, <see cref="TwoLayerVersion"/> when both weight sets are in the two-layer form and
    /// <see cref="CurrentVersion"/> otherwise.
    /// </summary>
    public int Version
    {
        get => _version ?? (InitialWeights is { IsTwoLayerForm: true } && FinalWeights is { IsTwoLayerForm: true } ? TwoLayerVersion : CurrentVersion);
        init => _version = value;
    }

    private readonly int? _version;
    /// <summary>The canonical encoding of the contract the worker trained under (a copy: the verifier compares it with its own).</summary>
    public byte[] Contract { get; init; } = [];
    /// <summary>The challenge that gave the schedule seed (commitment: the contract digest).</summary>
    public TranscriptChallenge ScheduleChallenge { get; init; } = new();
    /// <summary>The challenge that selected the audited steps (commitment: <see cref="ChainDigest"/>); null when every step is proven.</summary>
    public TranscriptChallenge? AuditChallenge { get; init; }
    /// <summary>Weights before the first step.</summary>
    public TranscriptWeights InitialWeights { get; init; } = new();
    /// <summary>Weights after the last step.</summary>
    public TranscriptWeights FinalWeights { get; init; } = new();
    /// <summary>Weight commitments: index t is the state before step t; the last one is the final state.</summary>
    public IReadOnlyList<byte[]> Commitments { get; init; } = [];
    /// <summary>The step proofs, in increasing step order.</summary>
    public IReadOnlyList<TranscriptStepProof> Proofs { get; init; } = [];
    /// <summary>The worker's P-256 signature over <see cref="Digest"/> (<see cref="WorkerKey.SignTranscript"/>).</summary>
    public byte[] Signature { get; init; } = [];

    /// <summary>Number of SGD steps in the chain.</summary>
    [JsonIgnore]
    public int StepCount => Math.Max(0, (Commitments?.Count ?? 0) - 1);

    /// <summary>
    /// The digest the worker signs: SHA-256 over a tag, the contract digest, both challenges, the published weights, every
    /// commitment and every proof (layout in docs/contract.md); everything in the transcript but the signature. The tag and
    /// the weights' encoding follow <see cref="Version"/>.
    /// </summary>
    public byte[] Digest()
    {
        using var h = new IncrementalHashWriter(Version == TwoLayerVersion ? DigestTagV2 : DigestTagV3);
        h.Bytes(System.Security.Cryptography.SHA256.HashData(Contract));
        ScheduleChallenge.AppendTo(h);
        h.U8(AuditChallenge is null ? (byte)0 : (byte)1);
        AuditChallenge?.AppendTo(h);
        InitialWeights.AppendTo(h);
        FinalWeights.AppendTo(h);
        h.U32((uint)Commitments.Count);
        foreach (var c in Commitments) h.Bytes(c);
        h.U32((uint)Proofs.Count);
        foreach (var p in Proofs)
        {
            h.U32((uint)p.Step);
            h.Bytes(p.Proof);
        }
        return h.Finish();
    }

    /// <summary>
    /// The commitment an audit challenge answers: SHA-256("ZkMl.CommitmentChain.v1" || contract digest || u32 count ||
    /// each commitment u32-length-prefixed), so the audited steps are drawn only after every state is committed.
    /// </summary>
    public static byte[] ChainDigest(ReadOnlySpan<byte> contractDigest, IReadOnlyList<byte[]> commitments)
    {
        ArgumentNullException.ThrowIfNull(commitments);
        using var h = new IncrementalHashWriter(ChainTag);
        h.Raw(contractDigest);
        h.U32((uint)commitments.Count);
        foreach (var c in commitments) h.Bytes(c);
        return h.Finish();
    }

    /// <summary>A copy with <paramref name="signature"/> in place of <see cref="Signature"/>.</summary>
    public TrainingTranscript WithSignature(byte[] signature) => new()
    {
        Version = Version, Contract = Contract, ScheduleChallenge = ScheduleChallenge, AuditChallenge = AuditChallenge, InitialWeights = InitialWeights,
        FinalWeights = FinalWeights, Commitments = Commitments, Proofs = Proofs, Signature = signature,
    };

    /// <summary>Serializes to UTF-8 JSON.</summary>
    public byte[] ToJsonBytes() => JsonSerializer.SerializeToUtf8Bytes(this, JsonInfo);

    /// <summary>Writes the transcript atomically: to a temporary file in the same folder, then renamed over <paramref name="path"/>.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.WriteAllBytes(path, ToJsonBytes());
    }

    /// <summary>Reads and structurally validates a transcript file, refusing files larger than the limit before reading them.</summary>
    /// <exception cref="TranscriptFormatException">The file is too large or not a valid transcript of this version (the message names the file).</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static TrainingTranscript Load(string path, TranscriptLimits? limits = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        limits ??= TranscriptLimits.Default;
        long length = new FileInfo(path).Length;
        if (length > limits.MaxTranscriptBytes)
            throw new TranscriptFormatException($"{path}: {length} bytes exceed the transcript limit of {limits.MaxTranscriptBytes} (TranscriptLimits.MaxTranscriptBytes).");
        try { return Parse(File.ReadAllBytes(path), limits); }
        catch (TranscriptFormatException e) { throw new TranscriptFormatException($"{path}: {e.Message}", e); }
    }

    /// <summary>Parses and structurally validates a transcript.</summary>
    /// <exception cref="TranscriptFormatException">The bytes are not a valid transcript of this version.</exception>
    public static TrainingTranscript Parse(ReadOnlySpan<byte> utf8Json, TranscriptLimits? limits = null)
    {
        limits ??= TranscriptLimits.Default;
        if (utf8Json.Length > limits.MaxTranscriptBytes)
            throw new TranscriptFormatException($"{utf8Json.Length} bytes exceed the transcript limit of {limits.MaxTranscriptBytes} (TranscriptLimits.MaxTranscriptBytes).");
        TrainingTranscript? t;
        try
        {
            t = JsonSerializer.Deserialize(utf8Json, JsonInfo);
        }
        catch (JsonException e)
        {
            throw new TranscriptFormatException($"Not a training transcript: {e.Message}", e);
        }
        if (t is null) throw new TranscriptFormatException("Not a training transcript: the JSON is null.");
        t.Validate(limits);
        return t;
    }

    /// <summary>Checks the structure (not the proofs or the contract): format, version, sizes, step indices.</summary>
    /// <exception cref="TranscriptFormatException">Something is missing, inconsistent or over a limit.</exception>
    public void Validate(TranscriptLimits? limits = null)
    {
        limits ??= TranscriptLimits.Default;
        if (Format != FormatName) throw new TranscriptFormatException($"format is '{Format}', expected '{FormatName}'.");
        if (Version is not (TwoLayerVersion or CurrentVersion))
            throw new TranscriptFormatException($"version {Version} is not supported (this library reads versions {TwoLayerVersion} and {CurrentVersion}).");
        if (Contract is null || Contract.Length == 0) throw new TranscriptFormatException("contract is missing.");
        if (ScheduleChallenge is null) throw new TranscriptFormatException("scheduleChallenge is missing.");
        if (Commitments is null || Commitments.Count == 0) throw new TranscriptFormatException("commitments must hold at least the initial commitment.");
        if (Commitments.Count - 1 > limits.MaxSteps)
            throw new TranscriptFormatException($"{Commitments.Count - 1} steps exceed the limit of {limits.MaxSteps} (TranscriptLimits.MaxSteps).");
        for (int i = 0; i < Commitments.Count; i++)
            if (Commitments[i] is null || Commitments[i].Length == 0) throw new TranscriptFormatException($"commitments[{i}] is empty.");
        if (InitialWeights is null || FinalWeights is null) throw new TranscriptFormatException("initialWeights and finalWeights are required.");
        if ((InitialWeights.Problem(Version == CurrentVersion) ?? FinalWeights.Problem(Version == CurrentVersion)) is { } problem)
            throw new TranscriptFormatException(problem);
        if (Proofs is null) throw new TranscriptFormatException("proofs is missing.");
        if (Signature is null) throw new TranscriptFormatException("signature is missing.");
        int previous = -1;
        foreach (var p in Proofs)
        {
            if (p is null || p.Proof is null || p.Proof.Length == 0) throw new TranscriptFormatException("a proof entry is empty.");
            if (p.Proof.Length > limits.MaxProofBytes)
                throw new TranscriptFormatException($"the proof of step {p.Step} has {p.Proof.Length} bytes, over the limit of {limits.MaxProofBytes} (TranscriptLimits.MaxProofBytes).");
            if (p.Step < 0 || p.Step >= StepCount) throw new TranscriptFormatException($"proof for step {p.Step} is outside the chain of {StepCount} steps.");
            if (p.Step <= previous) throw new TranscriptFormatException($"proofs must be in increasing step order without repeats (step {p.Step}).");
            previous = p.Step;
        }
    }
}
