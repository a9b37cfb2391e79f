using ZkMl.Field;
using ZkMl.Hashing;

namespace ZkMl.Sumcheck;

/// <summary>
/// The prover's side of a <see cref="LigeroPcs"/> commitment: the public <see cref="Commitment"/> and the private
/// rows (messages and codewords), salts and Merkle tree needed to open it. Holds the witness: never send it.
/// </summary>
public sealed class LigeroProverData
{
    internal LigeroProverData(LigeroCommitment commitment, Goldilocks[][] messages, Goldilocks[][] codewords, byte[] salts, Blake3MerkleTree tree)
    {
        (Commitment, Messages, Codewords, Salts, Tree) = (commitment, messages, codewords, salts, tree);
    }

    /// <summary>What the verifier receives.</summary>
    public LigeroCommitment Commitment { get; }

    /// <summary>Each committed row's coefficients (MessageLength each): data rows first, then the mask row when hiding.</summary>
    internal Goldilocks[][] Messages { get; }
    /// <summary>Each committed row's Reed-Solomon codeword (ColumnCount each).</summary>
    internal Goldilocks[][] Codewords { get; }
    /// <summary>32 bytes per column when hiding, else empty.</summary>
    internal byte[] Salts { get; }
    internal Blake3MerkleTree Tree { get; }
}
