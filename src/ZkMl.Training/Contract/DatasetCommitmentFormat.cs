namespace ZkMl.Training.Contract;

/// <summary>How the dataset root was built; one id per backend's commitment scheme (see <see cref="DatasetCommitment"/>).</summary>
public enum DatasetCommitmentFormat : byte
{
    /// <summary>Salted Poseidon-BN254 Merkle tree (the Groth16 backend), 32-byte root.</summary>
    PoseidonBn254Merkle = 1,
    /// <summary>Salted Poseidon-Goldilocks Merkle tree (the STARK backend), 32-byte root.</summary>
    PoseidonGoldilocksMerkle = 2,
    /// <summary>
    /// Retired: BLAKE3 Merkle tree over (salt, Ligero commitment of the row) leaves, the sumcheck backend's format while it
    /// sent the batch rows in the clear. Contracts with this id are refused.
    /// </summary>
    Blake3LigeroMerkle = 3,
    /// <summary>
    /// BLAKE3 Merkle tree over salted Poseidon-Goldilocks row digests (8 secret salt elements per row; the STARK backend's
    /// row leaf), the sumcheck backend's, whose step proof hashes the batch rows inside the proof; 32-byte root.
    /// </summary>
    Blake3PoseidonRowMerkle = 4,
}
