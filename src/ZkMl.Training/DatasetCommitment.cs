using ZkMl.Models;
using ZkMl.Training.Backends;

namespace ZkMl.Training;

/// <summary>
/// A data owner's commitment to a training set: a Merkle root over salted leaves, one per quantized row
/// (inputs and label). Fresh random salts make the root hiding even though pixels and labels have low entropy;
/// the salts and rows stay with the prover. The hash is the backend's (Poseidon over BN254 for Groth16, Poseidon over
/// Goldilocks for STARK).
/// </summary>
public sealed class DatasetCommitment
{
    private DatasetCommitment(Backend backend, QuantizedDataset data, byte[] root, byte[] salts, DatasetOpenings openings)
    {
        Backend = backend;
        Data = data;
        Root = root;
        Salts = salts;
        Openings = openings;
    }

    /// <summary>Commits to <paramref name="data"/> (quantized for <paramref name="network"/>) for <paramref name="backend"/> with fresh secret salts.</summary>
    /// <exception cref="NotSupportedException">The backend is not available.</exception>
    public static DatasetCommitment Create(QuantizedDataset data, QuantizedMlpConfig network, Backend backend)
    {
        ArgumentNullException.ThrowIfNull(network);
        network.Validate();
        return Create(data, QuantizedNetworkConfig.FromMlp(network), backend);
    }

    /// <summary>Commits to <paramref name="data"/> (quantized for <paramref name="network"/>, of any depth) for <paramref name="backend"/> with fresh secret salts.</summary>
    /// <exception cref="NotSupportedException">The backend is not available.</exception>
    public static DatasetCommitment Create(QuantizedDataset data, QuantizedNetworkConfig network, Backend backend)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(network);
        network.Validate();
        if (data.InputSize != network.Network.InputSize)
            throw new ArgumentException($"Data rows have {data.InputSize} inputs, the network expects {network.Network.InputSize}.", nameof(data));
        var committer = BackendRegistry.Committer(backend, network);
        return Create(data, backend, committer, committer.NewSalts(data.Count));
    }

    /// <summary>
    /// The commitment to <paramref name="data"/> with the secret <paramref name="salts"/> of an earlier <see cref="Create(QuantizedDataset, QuantizedMlpConfig, Backend)"/>
    /// (<see cref="ExportSalts"/>): how the prover machines of one farm share a commitment.
    /// </summary>
    /// <exception cref="ArgumentException">The salts do not fit the data and backend.</exception>
    public static DatasetCommitment Restore(QuantizedDataset data, QuantizedMlpConfig network, Backend backend, ReadOnlySpan<byte> salts)
    {
        ArgumentNullException.ThrowIfNull(network);
        network.Validate();
        return Restore(data, QuantizedNetworkConfig.FromMlp(network), backend, salts);
    }

    /// <summary>As <see cref="Restore(QuantizedDataset, QuantizedMlpConfig, Backend, ReadOnlySpan{byte})"/>, for a network of any depth.</summary>
    /// <exception cref="ArgumentException">The salts do not fit the data and backend.</exception>
    public static DatasetCommitment Restore(QuantizedDataset data, QuantizedNetworkConfig network, Backend backend, ReadOnlySpan<byte> salts)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(network);
        network.Validate();
        if (data.InputSize != network.Network.InputSize)
            throw new ArgumentException($"Data rows have {data.InputSize} inputs, the network expects {network.Network.InputSize}.", nameof(data));
        var committer = BackendRegistry.Committer(backend, network);
        int expected = committer.NewSalts(data.Count).Length;
        if (salts.Length != expected) throw new ArgumentException($"{data.Count} rows need {expected} salt bytes, got {salts.Length}.", nameof(salts));
        return Create(data, backend, committer, salts.ToArray());
    }

    /// <summary>A copy of the secret row salts (they stay inside the prover's trust domain).</summary>
    public byte[] ExportSalts() => (byte[])Salts.Clone();

    internal static DatasetCommitment Create(QuantizedDataset data, Backend backend, IDatasetCommitter committer, byte[] salts)
    {
        if (data.Count == 0) throw new ArgumentException("Cannot commit to an empty data set.", nameof(data));
        var (root, openings) = committer.Commit(data, salts);
        return new DatasetCommitment(backend, data, root, salts, openings);
    }

    /// <summary>The backend whose hash built the tree.</summary>
    public Backend Backend { get; }

    /// <summary>The public Merkle root.</summary>
    public ReadOnlyMemory<byte> Root { get; }

    /// <summary>Number of committed rows.</summary>
    public int RowCount => Data.Count;

    /// <summary>The committed rows (private to the prover).</summary>
    public QuantizedDataset Data { get; }

    internal byte[] Salts { get; }

    /// <summary>The inputs (sample-major) and labels of committed rows <paramref name="rows"/>.</summary>
    internal (long[] Inputs, int[] Labels) Batch(ReadOnlySpan<int> rows)
    {
        var inputs = new long[rows.Length * Data.InputSize];
        var labels = new int[rows.Length];
        Data.GatherBatch(rows, inputs, labels);
        return (inputs, labels);
    }
    internal DatasetOpenings Openings { get; }
}
