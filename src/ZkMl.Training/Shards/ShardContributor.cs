using System.Collections.Immutable;
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
        var committer = new Groth16Committer(parameters.Network);
        return Commit(data, parameters, committer.NewSalts(data.Count));
    }

    internal static ShardContributor Commit(QuantizedDataset data, ShardParameters parameters, byte[] salts)
    {
        if (data.InputSize != parameters.InputSize)
            throw new ArgumentException($"Rows have {data.InputSize} features, the parameters say {parameters.InputSize}.", nameof(data));
        if (data.Count < parameters.MinRows || data.Count > parameters.Capacity)
            throw new ArgumentException($"A shard of capacity {parameters.Capacity} holds {parameters.MinRows}..{parameters.Capacity} rows, not {data.Count}.", nameof(data));
        var (root, openings) = new Groth16Committer(parameters.Network).Commit(data, salts);
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
        var unsigned = new ShardAttestation(runId, key.PublicKey, Root.ToArray(), claims, proof, new byte[ShardAttestation.SignatureBytes]);
        return unsigned.With(signature: key.Sign(unsigned.SignedBytes()));
    }

    internal Bn254Fr[] FieldSalts => _openings.Salts;
}
