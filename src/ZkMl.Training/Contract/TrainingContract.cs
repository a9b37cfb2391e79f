using System.Collections.Immutable;
using System.Security.Cryptography;
using ZkMl.Models;

namespace ZkMl.Training.Contract;

/// <summary>
/// What the auditor and the worker agree before training, never taken from the worker's transcript: backend and its
/// parameters, network, fixed-point parameters, dataset, initial weights, step count, batch schedule, audit policy,
/// the worker's key and the challenge source. One canonical byte encoding (<see cref="Encode"/>, layout in
/// docs/contract.md) and its <see cref="Digest"/> identify the contract; proofs, transcripts and signatures bind the digest.
/// </summary>
/// <remarks>
/// Immutable. Build with an object initializer (and <see cref="WithNetwork(QuantizedNetworkConfig)"/>); <see cref="Validate"/> (called by
/// <see cref="Encode"/> and <see cref="Decode"/>) checks every field. Equality is equality of the encodings.
/// </remarks>
public sealed record TrainingContract
{
    /// <summary>The encoding version this library writes and reads.</summary>
    public const ushort CurrentVersion = 1;
    /// <summary>Most layers a network may have.</summary>
    public const int MaxLayers = 8;
    private const int HashBytes = 32;

    /// <summary>The 4 magic bytes that start an encoding: ASCII "ZKTC".</summary>
    public static ReadOnlySpan<byte> Magic => "ZKTC"u8;

    /// <summary>The domain tag hashed before the encoding: ASCII "ZkMl.TrainingContract.v1".</summary>
    public static ReadOnlySpan<byte> DigestTag => "ZkMl.TrainingContract.v1"u8;

    /// <summary>The proof system.</summary>
    public Backend Backend { get; init; }
    /// <summary>STARK only: the parameter preset (<see cref="StarkPreset.None"/> for Groth16).</summary>
    public StarkPreset StarkPreset { get; init; }
    /// <summary>STARK only: the preset's claimed security bits (100, or 0 for the test preset); 0 for Groth16.</summary>
    public int StarkSecurityBits { get; init; }
    /// <summary>Groth16 only: SHA-256 of the trusted SGD-step verifying key (the backend's serialized key); empty for STARK.</summary>
    public ImmutableArray<byte> StepVerifyingKeySha256 { get; init; } = [];
    /// <summary>Groth16 only: SHA-256 of the trusted batch-membership verifying key; empty for STARK.</summary>
    public ImmutableArray<byte> MembershipVerifyingKeySha256 { get; init; } = [];

    /// <summary>Number of network inputs.</summary>
    public int InputSize { get; init; }
    /// <summary>The dense layers in order (1..<see cref="MaxLayers"/>); hidden layers use ReLU, the last is the output.</summary>
    public ImmutableArray<ContractLayer> Layers { get; init; } = [];
    /// <summary>Fixed-point fraction bits f (4..24).</summary>
    public int FractionBits { get; init; }
    /// <summary>Declared signed width B (f+2..40).</summary>
    public int ValueBits { get; init; }
    /// <summary>How raw inputs are quantized.</summary>
    public InputQuantization InputQuantization { get; init; } = InputQuantization.Pixel16;
    /// <summary>Learning-rate numerator eta (1..2^20-1): lr = eta / 2^s.</summary>
    public int LearningRateNumerator { get; init; }
    /// <summary>Learning-rate shift s (0..24).</summary>
    public int LearningRateShift { get; init; }
    /// <summary>Rows per SGD step (1..2^16).</summary>
    public int BatchSize { get; init; }

    /// <summary>The dataset commitment scheme; must be the backend's.</summary>
    public DatasetCommitmentFormat DatasetFormat { get; init; }
    /// <summary>The committed dataset root (32 bytes).</summary>
    public ImmutableArray<byte> DatasetRoot { get; init; } = [];
    /// <summary>Committed rows (&gt;= <see cref="BatchSize"/>).</summary>
    public int DatasetRows { get; init; }

    /// <summary>Where the initial weights come from.</summary>
    public InitialWeightsRule InitialWeights { get; init; }
    /// <summary>The backend's commitment to the agreed initial weights for <see cref="InitialWeightsRule.ExplicitCommitment"/>; empty otherwise.</summary>
    public ImmutableArray<byte> InitialWeightsCommitment { get; init; } = [];
    /// <summary>Number of SGD steps of the run (&gt;= 1).</summary>
    public int StepCount { get; init; }
    /// <summary>The batch-schedule rule.</summary>
    public BatchScheduleRule BatchSchedule { get; init; } = BatchScheduleRule.FeistelEpochs;
    /// <summary>Which steps must be proven.</summary>
    public AuditPolicy Audit { get; init; }
    /// <summary>
    /// For <see cref="AuditPolicy.SampleSteps"/>: steps drawn (0..<see cref="StepCount"/>; 0 is a commit-only run, whose chain
    /// is published and checked but proves no step); 0 otherwise.
    /// </summary>
    public int AuditSampleCount { get; init; }

    /// <summary>The worker's ECDSA P-256 public key, canonical SubjectPublicKeyInfo DER (see <see cref="WorkerKey"/>).</summary>
    public ImmutableArray<byte> WorkerPublicKey { get; init; } = [];

    /// <summary>The source of schedule seeds and audit draws.</summary>
    public ChallengeSourceKind ChallengeSource { get; init; }
    /// <summary>Interactive only: the auditor's ECDSA P-256 public key (SPKI DER); empty otherwise.</summary>
    public ImmutableArray<byte> AuditorPublicKey { get; init; } = [];
    /// <summary>Interactive only: seconds the worker has to answer a challenge (deadline = issue time + window); 0 otherwise.</summary>
    public int AnswerWindowSeconds { get; init; }
    /// <summary>Beacon only: the beacon's identifier (e.g. a drand chain hash or a chain id and contract); empty otherwise.</summary>
    public ImmutableArray<byte> BeaconId { get; init; } = [];

    /// <summary>The network and fixed-point fields of <paramref name="config"/> (layers [hidden, no bias], [output, no bias], Pixel16 inputs).</summary>
    public TrainingContract WithNetwork(QuantizedMlpConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        return this with
        {
            InputSize = config.InputSize,
            Layers = [new ContractLayer(config.HiddenSize, false), new ContractLayer(config.OutputSize, false)],
            FractionBits = config.FractionBits,
            ValueBits = config.ValueBits,
            InputQuantization = InputQuantization.Pixel16,
            LearningRateNumerator = config.LearningRateNumerator,
            LearningRateShift = config.LearningRateShift,
            BatchSize = config.BatchSize,
        };
    }

    /// <summary>
    /// The network and fixed-point fields of <paramref name="config"/>: input size, every layer's width and bias, f, B,
    /// the learning rate and the batch size. The input quantization is left as it is (it is not part of the configuration).
    /// </summary>
    public TrainingContract WithNetwork(QuantizedNetworkConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        return this with
        {
            InputSize = config.Network.InputSize,
            Layers = [.. config.Network.Layers.Select(l => new ContractLayer(l.Width, l.HasBias))],
            FractionBits = config.FractionBits,
            ValueBits = config.ValueBits,
            LearningRateNumerator = config.LearningRateNumerator,
            LearningRateShift = config.LearningRateShift,
            BatchSize = config.BatchSize,
        };
    }

    /// <summary>The network (any depth, with its biases) and fixed-point parameters as a <see cref="QuantizedNetworkConfig"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The layers do not form a valid <see cref="NetworkDescription"/> (none, or a width out of range).</exception>
    public QuantizedNetworkConfig ToQuantizedNetworkConfig()
    {
        var layers = Layers.IsDefault ? [] : Layers;
        return new QuantizedNetworkConfig(new NetworkDescription(InputSize, layers.Select(l => new DenseLayer(l.Width, l.HasBias))))
        {
            FractionBits = FractionBits, ValueBits = ValueBits, BatchSize = BatchSize,
            LearningRateNumerator = LearningRateNumerator, LearningRateShift = LearningRateShift,
        };
    }

    /// <summary>The network as today's two-layer <see cref="QuantizedMlpConfig"/> (any input quantization: the step works on quantized inputs).</summary>
    /// <exception cref="NotSupportedException">The network is not two layers without biases.</exception>
    public QuantizedMlpConfig ToQuantizedMlpConfig()
    {
        if (Layers.IsDefault || Layers.Length != 2 || Layers[0].HasBias || Layers[1].HasBias)
            throw new NotSupportedException("Only two dense layers without biases are implemented.");
        return new QuantizedMlpConfig
        {
            InputSize = InputSize, HiddenSize = Layers[0].Width, OutputSize = Layers[1].Width,
            FractionBits = FractionBits, ValueBits = ValueBits, BatchSize = BatchSize,
            LearningRateNumerator = LearningRateNumerator, LearningRateShift = LearningRateShift,
        };
    }

    /// <summary>The canonical encoding (docs/contract.md).</summary>
    /// <exception cref="ContractFormatException">A field is invalid.</exception>
    public byte[] Encode()
    {
        Validate();
        return EncodeFields();
    }

    /// <summary>SHA-256(<see cref="DigestTag"/> || <see cref="Encode"/>()): the contract's identity.</summary>
    public byte[] Digest()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(DigestTag);
        hash.AppendData(Encode());
        return hash.GetHashAndReset();
    }

    /// <summary>
    /// Decodes a canonical encoding. Lengths are checked against <paramref name="limits"/> and the bytes present before
    /// allocation; trailing bytes, unknown values and anything <see cref="Encode"/> would not write are rejected.
    /// </summary>
    /// <exception cref="ContractFormatException">The bytes are not a valid canonical contract; the exception names the field.</exception>
    public static TrainingContract Decode(ReadOnlySpan<byte> encoding, ContractLimits? limits = null)
    {
        limits ??= ContractLimits.Default;
        if (encoding.Length > limits.MaxEncodedBytes)
            throw new ContractFormatException("Encoding", $"{encoding.Length} bytes exceed the limit of {limits.MaxEncodedBytes}.");
        var r = new ContractReader(encoding, limits.MaxByteString);
        if (!r.Fixed(4, "Magic").SequenceEqual(Magic)) throw new ContractFormatException("Magic", "not a training contract (expected \"ZKTC\").");
        ushort version = r.U16("Version");
        if (version != CurrentVersion) throw new ContractFormatException("Version", $"{version} is not supported (this library reads {CurrentVersion}).");

        var backend = r.U8(nameof(Backend)) switch
        {
            1 => Backend.Groth16,
            2 => Backend.Stark,
            3 => Backend.Sumcheck,
            var b => throw new ContractFormatException(nameof(Backend), $"unknown backend id {b}."),
        };
        StarkPreset preset = StarkPreset.None;
        int securityBits = 0;
        byte[] stepVk = [], membershipVk = [];
        if (backend == Backend.Groth16)
        {
            stepVk = r.Fixed(HashBytes, nameof(StepVerifyingKeySha256)).ToArray();
            membershipVk = r.Fixed(HashBytes, nameof(MembershipVerifyingKeySha256)).ToArray();
        }
        else if (backend == Backend.Stark)
        {
            preset = (StarkPreset)r.U16(nameof(StarkPreset));
            securityBits = r.U16(nameof(StarkSecurityBits));
        }

        int inputSize = r.Int(nameof(InputSize), 1, limits.MaxWidth);
        int layerCount = r.U8(nameof(Layers));
        if (layerCount is < 1 or > MaxLayers) throw new ContractFormatException(nameof(Layers), $"{layerCount} layers is outside [1, {MaxLayers}].");
        var layers = ImmutableArray.CreateBuilder<ContractLayer>(layerCount);
        for (int i = 0; i < layerCount; i++)
            layers.Add(new ContractLayer(r.Int($"{nameof(Layers)}[{i}].Width", 1, limits.MaxWidth), r.Bool($"{nameof(Layers)}[{i}].HasBias")));

        var contract = new TrainingContract
        {
            Backend = backend,
            StepVerifyingKeySha256 = [.. stepVk],
            MembershipVerifyingKeySha256 = [.. membershipVk],
            StarkPreset = preset,
            StarkSecurityBits = securityBits,
            InputSize = inputSize,
            Layers = layers.MoveToImmutable(),
            FractionBits = r.U8(nameof(FractionBits)),
            ValueBits = r.U8(nameof(ValueBits)),
            InputQuantization = (InputQuantization)r.U8(nameof(InputQuantization)),
            LearningRateNumerator = r.Int(nameof(LearningRateNumerator), 1, (1 << 20) - 1),
            LearningRateShift = r.U8(nameof(LearningRateShift)),
            BatchSize = r.Int(nameof(BatchSize), 1, 1 << 16),
            DatasetFormat = (DatasetCommitmentFormat)r.U8(nameof(DatasetFormat)),
            DatasetRoot = [.. r.Bytes(nameof(DatasetRoot))],
            DatasetRows = r.Int(nameof(DatasetRows), 1, limits.MaxRows),
            InitialWeights = (InitialWeightsRule)r.U8(nameof(InitialWeights)),
            InitialWeightsCommitment = [.. r.Bytes(nameof(InitialWeightsCommitment))],
            StepCount = r.Int(nameof(StepCount), 1, limits.MaxSteps),
            BatchSchedule = (BatchScheduleRule)r.U8(nameof(BatchSchedule)),
            Audit = (AuditPolicy)r.U8(nameof(Audit)),
            AuditSampleCount = r.Int(nameof(AuditSampleCount), 0, int.MaxValue),
            WorkerPublicKey = [.. r.Bytes(nameof(WorkerPublicKey))],
            ChallengeSource = (ChallengeSourceKind)r.U8(nameof(ChallengeSource)),
            AuditorPublicKey = [.. r.Bytes(nameof(AuditorPublicKey))],
            AnswerWindowSeconds = r.Int(nameof(AnswerWindowSeconds), 0, int.MaxValue),
            BeaconId = [.. r.Bytes(nameof(BeaconId))],
        };
        r.End();
        contract.Validate(limits);
        return contract;
    }

    /// <summary>Checks every field (ranges, per-backend and per-kind consistency, key encodings).</summary>
    /// <exception cref="ContractFormatException">The first invalid field, named.</exception>
    public void Validate(ContractLimits? limits = null)
    {
        limits ??= ContractLimits.Default;
        static ContractFormatException Bad(string field, string message) => new(field, message);
        static void Range(long value, long min, long max, string field)
        {
            if (value < min || value > max) throw Bad(field, $"{value} is outside [{min}, {max}].");
        }
        static void Length(ImmutableArray<byte> value, int min, int max, string field)
        {
            int length = value.IsDefault ? 0 : value.Length;
            if (length < min || length > max)
                throw Bad(field, min == max ? $"must be {min} bytes, has {length}." : $"has {length} bytes, allowed [{min}, {max}].");
        }
        static void Key(ImmutableArray<byte> spki, string field)
        {
            if (!P256.TryImportPublic(spki.IsDefault ? [] : spki.AsSpan(), out var key, out string reason)) throw Bad(field, "invalid ECDSA P-256 public key: " + reason);
            key!.Dispose();
        }

        switch (Backend)
        {
            case Backend.Groth16:
                Length(StepVerifyingKeySha256, HashBytes, HashBytes, nameof(StepVerifyingKeySha256));
                Length(MembershipVerifyingKeySha256, HashBytes, HashBytes, nameof(MembershipVerifyingKeySha256));
                if (StarkPreset != StarkPreset.None) throw Bad(nameof(StarkPreset), "must be None for Groth16.");
                Range(StarkSecurityBits, 0, 0, nameof(StarkSecurityBits));
                if (DatasetFormat != DatasetCommitmentFormat.PoseidonBn254Merkle) throw Bad(nameof(DatasetFormat), $"Groth16 commits datasets as {DatasetCommitmentFormat.PoseidonBn254Merkle}.");
                break;
            case Backend.Stark:
                if (!StarkPresets.IsDefined(StarkPreset)) throw Bad(nameof(StarkPreset), $"unknown preset id {(ushort)StarkPreset}.");
                Range(StarkSecurityBits, StarkPresets.SecurityBits(StarkPreset), StarkPresets.SecurityBits(StarkPreset), nameof(StarkSecurityBits));
                Length(StepVerifyingKeySha256, 0, 0, nameof(StepVerifyingKeySha256));
                Length(MembershipVerifyingKeySha256, 0, 0, nameof(MembershipVerifyingKeySha256));
                if (DatasetFormat != DatasetCommitmentFormat.PoseidonGoldilocksMerkle) throw Bad(nameof(DatasetFormat), $"STARK commits datasets as {DatasetCommitmentFormat.PoseidonGoldilocksMerkle}.");
                break;
            case Backend.Sumcheck:
                if (StarkPreset != StarkPreset.None) throw Bad(nameof(StarkPreset), "must be None for Sumcheck.");
                Range(StarkSecurityBits, 0, 0, nameof(StarkSecurityBits));
                Length(StepVerifyingKeySha256, 0, 0, nameof(StepVerifyingKeySha256));
                Length(MembershipVerifyingKeySha256, 0, 0, nameof(MembershipVerifyingKeySha256));
                if (DatasetFormat != DatasetCommitmentFormat.Blake3PoseidonRowMerkle) throw Bad(nameof(DatasetFormat), $"Sumcheck commits datasets as {DatasetCommitmentFormat.Blake3PoseidonRowMerkle} (id 4; id 3, rows in the clear, is retired).");
                break;
            default:
                throw Bad(nameof(Backend), $"unknown backend {Backend}.");
        }

        Range(InputSize, 1, limits.MaxWidth, nameof(InputSize));
        if (Layers.IsDefault || Layers.Length is < 1 or > MaxLayers) throw Bad(nameof(Layers), $"needs 1..{MaxLayers} layers.");
        for (int i = 0; i < Layers.Length; i++) Range(Layers[i].Width, 1, limits.MaxWidth, $"{nameof(Layers)}[{i}].Width");
        Range(FractionBits, 4, 24, nameof(FractionBits));
        Range(ValueBits, FractionBits + 2, 40, nameof(ValueBits));
        if (InputQuantization is not (InputQuantization.Pixel16 or InputQuantization.Pixel255)) throw Bad(nameof(InputQuantization), $"unknown id {(byte)InputQuantization}.");
        Range(LearningRateNumerator, 1, (1 << 20) - 1, nameof(LearningRateNumerator));
        Range(LearningRateShift, 0, 24, nameof(LearningRateShift));
        Range(BatchSize, 1, 1 << 16, nameof(BatchSize));

        Length(DatasetRoot, HashBytes, HashBytes, nameof(DatasetRoot));
        Range(DatasetRows, BatchSize, limits.MaxRows, nameof(DatasetRows));

        switch (InitialWeights)
        {
            case InitialWeightsRule.ExplicitCommitment: Length(InitialWeightsCommitment, 1, limits.MaxByteString, nameof(InitialWeightsCommitment)); break;
            case InitialWeightsRule.DerivedFromScheduleSeed: Length(InitialWeightsCommitment, 0, 0, nameof(InitialWeightsCommitment)); break;
            default: throw Bad(nameof(InitialWeights), $"unknown rule id {(byte)InitialWeights}.");
        }
        Range(StepCount, 1, limits.MaxSteps, nameof(StepCount));
        if (BatchSchedule != BatchScheduleRule.FeistelEpochs) throw Bad(nameof(BatchSchedule), $"unknown rule id {(byte)BatchSchedule}.");
        switch (Audit)
        {
            case AuditPolicy.AllSteps: Range(AuditSampleCount, 0, 0, nameof(AuditSampleCount)); break;
            case AuditPolicy.SampleSteps: Range(AuditSampleCount, 0, StepCount, nameof(AuditSampleCount)); break;
            default: throw Bad(nameof(Audit), $"unknown policy id {(byte)Audit}.");
        }

        Key(WorkerPublicKey, nameof(WorkerPublicKey));
        switch (ChallengeSource)
        {
            case ChallengeSourceKind.Interactive:
                Key(AuditorPublicKey, nameof(AuditorPublicKey));
                Range(AnswerWindowSeconds, 1, int.MaxValue, nameof(AnswerWindowSeconds));
                Length(BeaconId, 0, 0, nameof(BeaconId));
                break;
            case ChallengeSourceKind.Beacon:
                Length(AuditorPublicKey, 0, 0, nameof(AuditorPublicKey));
                Range(AnswerWindowSeconds, 0, 0, nameof(AnswerWindowSeconds));
                Length(BeaconId, 1, limits.MaxByteString, nameof(BeaconId));
                break;
            case ChallengeSourceKind.FiatShamir:
                Length(AuditorPublicKey, 0, 0, nameof(AuditorPublicKey));
                Range(AnswerWindowSeconds, 0, 0, nameof(AnswerWindowSeconds));
                Length(BeaconId, 0, 0, nameof(BeaconId));
                break;
            default:
                throw Bad(nameof(ChallengeSource), $"unknown kind id {(byte)ChallengeSource}.");
        }
    }

    /// <summary>True when both have the same encoding (for valid contracts: every field equal).</summary>
    public bool Equals(TrainingContract? other) => other is not null && EncodeFields().AsSpan().SequenceEqual(other.EncodeFields());

    /// <inheritdoc />
    public override int GetHashCode() => BitConverter.ToInt32(SHA256.HashData(EncodeFields()));

    private byte[] EncodeFields()
    {
        static ReadOnlySpan<byte> Span(ImmutableArray<byte> a) => a.IsDefault ? [] : a.AsSpan();
        var w = new ContractWriter();
        w.Raw(Magic);
        w.U16(CurrentVersion);
        w.U8(Backend switch { Backend.Groth16 => 1, Backend.Stark => 2, Backend.Sumcheck => 3, _ => 0 });
        if (Backend == Backend.Groth16)
        {
            w.Raw(Span(StepVerifyingKeySha256));
            w.Raw(Span(MembershipVerifyingKeySha256));
        }
        else if (Backend == Backend.Stark)
        {
            w.U16((ushort)StarkPreset);
            w.U16((ushort)StarkSecurityBits);
        }
        w.U32((uint)InputSize);
        var layers = Layers.IsDefault ? [] : Layers;
        w.U8((byte)layers.Length);
        foreach (var layer in layers)
        {
            w.U32((uint)layer.Width);
            w.U8(layer.HasBias ? (byte)1 : (byte)0);
        }
        w.U8((byte)FractionBits);
        w.U8((byte)ValueBits);
        w.U8((byte)InputQuantization);
        w.U32((uint)LearningRateNumerator);
        w.U8((byte)LearningRateShift);
        w.U32((uint)BatchSize);
        w.U8((byte)DatasetFormat);
        w.Bytes(Span(DatasetRoot));
        w.U32((uint)DatasetRows);
        w.U8((byte)InitialWeights);
        w.Bytes(Span(InitialWeightsCommitment));
        w.U32((uint)StepCount);
        w.U8((byte)BatchSchedule);
        w.U8((byte)Audit);
        w.U32((uint)AuditSampleCount);
        w.Bytes(Span(WorkerPublicKey));
        w.U8((byte)ChallengeSource);
        w.Bytes(Span(AuditorPublicKey));
        w.U32((uint)AnswerWindowSeconds);
        w.Bytes(Span(BeaconId));
        return w.ToArray();
    }
}
