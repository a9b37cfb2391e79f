using System.Text.Json;
using System.Text.Json.Serialization;
using ZkMl.Common;
using ZkMl.Models;

namespace ZkMl.Training;

/// <summary>
/// A versioned JSON record of a verifiable training run: network, dataset root, the chain of weight commitments
/// (one before the first step and one after each step), the step proofs the plan selects, and the initial and final weights.
/// A verifier needs nothing else (see <see cref="TrainingVerifier"/>).
/// </summary>
public sealed class TrainingTranscript
{
    /// <summary>Value of <see cref="Format"/>.</summary>
    public const string FormatName = "zkml-training-transcript";
    /// <summary>The version this library writes and reads.</summary>
    public const int CurrentVersion = 1;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Always <see cref="FormatName"/>.</summary>
    public string Format { get; init; } = FormatName;
    /// <summary>File format version.</summary>
    public int Version { get; init; } = CurrentVersion;
    /// <summary>The proof system of every step proof.</summary>
    public Backend Backend { get; init; }
    /// <summary>Network shape and fixed-point parameters.</summary>
    public QuantizedMlpConfig Network { get; init; } = new();
    /// <summary>Merkle root of the committed training data.</summary>
    public byte[] DatasetRoot { get; init; } = [];
    /// <summary>Number of committed rows (fixes the tree depth).</summary>
    public int DatasetRows { get; init; }
    /// <summary>Backend verification key (Groth16), or null. It must come from a trusted setup; pin it with its fingerprint.</summary>
    public byte[]? VerifyingKey { get; init; }
    /// <summary>The proof plan (<see cref="Training.ProofPlan"/> text form) that selects the steps that must be proven.</summary>
    public string ProofPlan { get; init; } = "all";
    /// <summary>Weights before the first step.</summary>
    public TranscriptWeights InitialWeights { get; init; } = new();
    /// <summary>Weights after the last step.</summary>
    public TranscriptWeights FinalWeights { get; init; } = new();
    /// <summary>Weight commitments: index t is the state before step t; the last one is the final state.</summary>
    public IReadOnlyList<byte[]> Commitments { get; init; } = [];
    /// <summary>The step proofs, in increasing step order.</summary>
    public IReadOnlyList<TranscriptStepProof> Proofs { get; init; } = [];

    /// <summary>Number of SGD steps in the chain.</summary>
    [JsonIgnore]
    public int StepCount => Math.Max(0, Commitments.Count - 1);

    /// <summary>Serializes to UTF-8 JSON.</summary>
    public byte[] ToJsonBytes() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <summary>Writes the transcript atomically: to a temporary file in the same folder, then renamed over <paramref name="path"/>.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.WriteAllBytes(path, ToJsonBytes());
    }

    /// <summary>Reads and structurally validates a transcript file.</summary>
    /// <exception cref="TranscriptFormatException">The file is not a valid transcript of this version.</exception>
    public static TrainingTranscript Load(string path) => Parse(File.ReadAllBytes(path));

    /// <summary>Parses and structurally validates a transcript.</summary>
    /// <exception cref="TranscriptFormatException">The bytes are not a valid transcript of this version.</exception>
    public static TrainingTranscript Parse(ReadOnlySpan<byte> utf8Json)
    {
        TrainingTranscript? t;
        try
        {
            t = JsonSerializer.Deserialize<TrainingTranscript>(utf8Json, Json);
        }
        catch (JsonException e)
        {
            throw new TranscriptFormatException($"Not a training transcript: {e.Message}", e);
        }
        if (t is null) throw new TranscriptFormatException("Not a training transcript: the JSON is null.");
        t.Validate();
        return t;
    }

    /// <summary>Checks the structure (not the proofs): format, version, configuration, sizes, step indices.</summary>
    /// <exception cref="TranscriptFormatException">Something is missing or inconsistent.</exception>
    public void Validate()
    {
        if (Format != FormatName) throw new TranscriptFormatException($"format is '{Format}', expected '{FormatName}'.");
        if (Version != CurrentVersion) throw new TranscriptFormatException($"version {Version} is not supported (this library reads version {CurrentVersion}).");
        if (Network is null) throw new TranscriptFormatException("network is missing.");
        try { Network.Validate(); }
        catch (ArgumentException e) { throw new TranscriptFormatException($"network: {e.Message}", e); }
        if (DatasetRoot is null || DatasetRoot.Length == 0) throw new TranscriptFormatException("datasetRoot is missing.");
        if (DatasetRows < Network.BatchSize) throw new TranscriptFormatException($"datasetRows {DatasetRows} is smaller than a batch.");
        try { Training.ProofPlan.Parse(ProofPlan ?? ""); }
        catch (FormatException e) { throw new TranscriptFormatException($"proofPlan: {e.Message}", e); }
        if (Commitments is null || Commitments.Count == 0) throw new TranscriptFormatException("commitments must hold at least the initial commitment.");
        for (int i = 0; i < Commitments.Count; i++)
            if (Commitments[i] is null || Commitments[i].Length == 0) throw new TranscriptFormatException($"commitments[{i}] is empty.");
        if (InitialWeights is null || FinalWeights is null) throw new TranscriptFormatException("initialWeights and finalWeights are required.");
        if (InitialWeights.W1 is null || InitialWeights.W2 is null || InitialWeights.Salt is null || FinalWeights.W1 is null || FinalWeights.W2 is null || FinalWeights.Salt is null)
            throw new TranscriptFormatException("weights need w1, w2 and salt.");
        if (Proofs is null) throw new TranscriptFormatException("proofs is missing.");
        int previous = -1;
        foreach (var p in Proofs)
        {
            if (p is null || p.Proof is null || p.Proof.Length == 0) throw new TranscriptFormatException("a proof entry is empty.");
            if (p.Step < 0 || p.Step >= StepCount) throw new TranscriptFormatException($"proof for step {p.Step} is outside the chain of {StepCount} steps.");
            if (p.Step <= previous) throw new TranscriptFormatException($"proofs must be in increasing step order without repeats (step {p.Step}).");
            previous = p.Step;
        }
    }
}
