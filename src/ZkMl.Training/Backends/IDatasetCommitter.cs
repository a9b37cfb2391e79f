using ZkMl.Models;

namespace ZkMl.Training.Backends;

/// <summary>Builds a backend's dataset commitment (the hash and tree its membership proofs use).</summary>
internal interface IDatasetCommitter
{
    /// <summary>Returns the root and the backend's opening data (kept by the prover).</summary>
    (byte[] Root, DatasetOpenings Openings) Commit(QuantizedDataset data, ReadOnlySpan<byte> salts);
    /// <summary>Bytes of salt per row.</summary>
    int SaltLength { get; }
    /// <summary>Fresh secret salts for <paramref name="count"/> rows (<see cref="SaltLength"/> bytes each).</summary>
    byte[] NewSalts(int count);
}
