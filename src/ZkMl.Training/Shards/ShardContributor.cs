using System.Buffers.Binary;
using ZkMl.Field;
using ZkMl.Models;
using ZkMl.Snark.Groth16;
using ZkMl.Training.Backends.Groth16;

namespace ZkMl.Training.Shards;

/// <summary>
/// A data contributor's shard: its rows, fresh secret row salts and the salted root the Groth16 backend's committer
/// computes for them (so the shard is a subtree of the run's dataset tree, see <see cref="DatasetShards"/>). The rows and
/// salts stay with the contributor and the trainer it hands them to; <see cref="Attest"/> publishes only the root, the
/// claims and a zero-knowledge proof.
/// </summary>
public sealed class ShardContributor
{
    private readonly Groth16DatasetOpenings _openings;

    private ShardContributor(ShardParameters parameters, QuantizedDataset data, byte[] salts, byte[] root, Groth16DatasetOpenings openings)
    {
        Parameters = parameters;
        Data = data;
        Salts = salts;
        Root = root;
        _openings = openings;
    }

    /// <summary>Commits to <paramref name="data"/> under <paramref name="parameters"/> with fresh secret salts.</summary>
    /// <exception cref="ArgumentException">The rows do not match the parameters (input size, or a row count whose padded size is not the capacity).</exception>
    public static ShardContributor Commit(QuantizedDataset data, ShardParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(parameters);
        var committer = new Groth16Committer(QuantizedNetworkConfig.FromMlp(parameters.Network));
        return Commit(data, parameters, committer.NewSalts(data.Count));
    }

    internal static ShardContributor Commit(QuantizedDataset data, ShardParameters parameters, byte[] salts)
    {
        if (data.InputSize != parameters.InputSize)
            throw new ArgumentException($"Rows have {data.InputSize} features, the parameters say {parameters.InputSize}.", nameof(data));
        if (data.Count < parameters.MinRows || data.Count > parameters.Capacity)
            throw new ArgumentException($"A shard of capacity {parameters.Capacity} holds {parameters.MinRows}..{parameters.Capacity} rows, not {data.Count}.", nameof(data));
        var (root, openings) = new Groth16Committer(QuantizedNetworkConfig.FromMlp(parameters.Network)).Commit(data, salts);
        return new ShardContributor(parameters, data, salts, root, (Groth16DatasetOpenings)openings);
    }

    /// <summary>The circuit shape this shard is attested under.</summary>
    public ShardParameters Parameters { get; }

    /// <summary>The rows (private to the contributor and the trainer).</summary>
    public QuantizedDataset Data { get; }

    /// <summary>The salted Merkle root (public).</summary>
    public ReadOnlyMemory<byte> Root { get; }

    /// <summary>Row salts, 32 bytes each (secret; the trainer needs them to prove batch membership).</summary>
    internal byte[] Salts { get; }

    /// <summary>The true claims with maximum feature <paramref name="maxFeature"/> (by default the largest feature present).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The maximum is below a feature, or not below <see cref="ShardParameters.FeatureBound"/>.</exception>
    /// <exception cref="InvalidOperationException">A label is outside [0, classes).</exception>
    public ShardClaims Claims(long? maxFeature = null)
    {
        long largest = 0;
        foreach (long v in Data.Inputs) largest = Math.Max(largest, v);
        long max = maxFeature ?? largest;
        if (max < largest || max >= Parameters.FeatureBound)
            throw new ArgumentOutOfRangeException(nameof(maxFeature), max, $"The maximum must lie in [{largest}, {Parameters.FeatureBound}).");
        var histogram = new int[Parameters.Classes];
        foreach (int label in Data.Labels)
        {
            if (label < 0 || label >= Parameters.Classes) throw new InvalidOperationException($"Label {label} is outside [0, {Parameters.Classes}).");
            histogram[label]++;
        }
        return new ShardClaims(Data.Count, max, [.. histogram]);
    }

    /// <summary>Proves <see cref="Claims"/> against <see cref="Root"/> with <paramref name="provingKey"/> and signs the attestation for <paramref name="runId"/>.</summary>
    /// <exception cref="ArgumentException">The run id is not 32 bytes, or the key is not for these parameters.</exception>
    /// <exception cref="InvalidOperationException">The rows break the claims (a negative feature, a label out of range).</exception>
    public ShardAttestation Attest(ReadOnlySpan<byte> runId, ContributorKey key, Groth16ProvingKey provingKey, long? maxFeature = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(provingKey);
        if (runId.Length != ShardAttestation.RunIdBytes) throw new ArgumentException("A run id is 32 bytes.", nameof(runId));
        if (provingKey.PublicCount != ShardAttestationCircuit.PublicInputCount(Parameters))
            throw new ArgumentException("The proving key is not for these shard parameters.", nameof(provingKey));
        var claims = Claims(maxFeature);
        var circuit = ShardAttestationCircuit.Build(Parameters, Data, _openings.Salts, _openings.Tree.Root, claims.MaxFeature, [.. claims.Histogram]);
        return Sign(runId.ToArray(), key, claims, ShardAttestations.ProveBytes(provingKey, circuit.Witness));
    }

    internal ShardAttestation Sign(byte[] runId, ContributorKey key, ShardClaims claims, byte[] proof)
    {
        if (claims.Histogram.IsDefault) throw new ArgumentException("The claims carry no histogram.", nameof(claims));
        var unsigned = new ShardAttestation(runId, key.PublicKey, Root.ToArray(), claims, proof, new byte[ShardAttestation.SignatureBytes]);
        return unsigned.With(signature: key.Sign(unsigned.SignedBytes()));
    }

    internal Bn254Fr[] FieldSalts => _openings.Salts;

    /// <summary>
    /// The rows and salts as bytes, for handing the shard to the trainer over a private channel (the bytes are secret):
    /// "ZKSS", u16 version 1, u32 rows, u32 input size, then per row its features (i64 LE each), then per row its label
    /// (u32 LE), then per row its salt (32 bytes).
    /// </summary>
    public byte[] ExportSecret()
    {
        int rows = Data.Count, width = Data.InputSize;
        var bytes = new byte[SecretLength(rows, width)];
        SecretMagic.CopyTo(bytes);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4), SecretVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(6), (uint)rows);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(10), (uint)width);
        int at = SecretHeader;
        foreach (long v in Data.Inputs) { BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(at), v); at += 8; }
        foreach (int l in Data.Labels) { BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), (uint)l); at += 4; }
        Salts.CopyTo(bytes.AsSpan(at));
        return bytes;
    }

    /// <summary>
    /// The trainer's side of <see cref="ExportSecret"/>: decodes the rows and salts and recommits them, giving the same
    /// root the contributor attested (compare it, or let <see cref="DatasetShards.Assemble"/> do so).
    /// </summary>
    /// <exception cref="ShardFormatException">The bytes exceed <see cref="ShardLimits.MaxSecretBytes"/>, are malformed, or
    /// hold rows that do not fit <paramref name="parameters"/> (row count, input size, a feature outside [0, 2^(f+1)), a label
    /// outside [0, classes), a non-canonical salt); sizes are checked before anything is allocated.</exception>
    public static ShardContributor ImportSecret(ReadOnlySpan<byte> bytes, ShardParameters parameters, ShardLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        limits ??= ShardLimits.Default;
        if (bytes.Length > limits.MaxSecretBytes) throw new ShardFormatException("Encoding", $"{bytes.Length} bytes exceed the limit of {limits.MaxSecretBytes}.");
        if (bytes.Length < SecretHeader) throw new ShardFormatException("Encoding", "truncated.");
        if (!bytes[..4].SequenceEqual(SecretMagic)) throw new ShardFormatException("Magic", "not a shard's rows.");
        if (BinaryPrimitives.ReadUInt16LittleEndian(bytes[4..]) != SecretVersion) throw new ShardFormatException("Version", "unsupported version.");
        uint rows = BinaryPrimitives.ReadUInt32LittleEndian(bytes[6..]);
        uint width = BinaryPrimitives.ReadUInt32LittleEndian(bytes[10..]);
        if (rows < parameters.MinRows || rows > parameters.Capacity)
            throw new ShardFormatException("RowCount", $"{rows} rows do not fit a shard of capacity {parameters.Capacity}.");
        if (width != parameters.InputSize) throw new ShardFormatException("InputSize", $"rows of {width} features, the parameters say {parameters.InputSize}.");
        if (bytes.Length != SecretLength((int)rows, (int)width)) throw new ShardFormatException("Encoding", $"{bytes.Length} bytes, {SecretLength((int)rows, (int)width)} expected.");
        var inputs = new long[rows * width];
        int at = SecretHeader;
        for (int i = 0; i < inputs.Length; i++, at += 8)
        {
            inputs[i] = BinaryPrimitives.ReadInt64LittleEndian(bytes[at..]);
            if (inputs[i] < 0 || inputs[i] >= parameters.FeatureBound) throw new ShardFormatException("Features", $"feature {i} is outside [0, {parameters.FeatureBound}).");
        }
        var labels = new int[rows];
        for (int i = 0; i < labels.Length; i++, at += 4)
        {
            uint label = BinaryPrimitives.ReadUInt32LittleEndian(bytes[at..]);
            if (label >= parameters.Classes) throw new ShardFormatException("Labels", $"label {label} of row {i} is outside [0, {parameters.Classes}).");
            labels[i] = (int)label;
        }
        var salts = bytes[at..].ToArray();
        for (int i = 0; i < rows; i++)
            if (!Bn254Fr.TryReadBytes(salts.AsSpan(i * Groth16Codec.FrBytes, Groth16Codec.FrBytes), out _))
                throw new ShardFormatException("Salts", $"the salt of row {i} is not a canonical BN254 scalar.");
        return Commit(new QuantizedDataset((int)width, inputs, labels), parameters, salts);
    }

    private const int SecretHeader = 14;
    private const ushort SecretVersion = 1;
    private static ReadOnlySpan<byte> SecretMagic => "ZKSS"u8;

    private static long SecretLength(int rows, int width) => SecretHeader + (long)rows * width * 8 + (long)rows * 4 + (long)rows * Groth16Codec.FrBytes;
}
