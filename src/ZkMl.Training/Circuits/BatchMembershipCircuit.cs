using ZkMl.Common;
using System.Numerics;
using ZkMl.Circuits;
using ZkMl.Hashing;
using ZkMl.Circuits.Gadgets;
using ZkMl.Field;
using ZkMl.Models;

namespace ZkMl.Training.Circuits;

/// <summary>
/// Batch membership over BN254, the one data-set membership design: public (dataset root, batch commitment, then the row
/// position of each batch sample, in batch order); private, per batch row: its sample leaf, its row salt and its Merkle
/// path; and the batch salt. Constrains Poseidon(row salt, sample leaf) to lie under the root at exactly the public
/// position (the path's index bits pack to it), and the batch commitment to be <see cref="PoseidonCommitment"/> of the
/// sample leaves with the batch salt, the same commitment <see cref="SgdStepCircuit{T}"/> exposes, which links the two
/// proofs. So the batch is exactly the scheduled rows, in the scheduled order.
/// </summary>
internal static class BatchMembershipCircuit
{
    /// <summary>The data-set tree's leaf of a row: Poseidon(row salt, <see cref="TrainingCommitments.SampleLeaf{T}(int, ReadOnlySpan{long}, int)"/>).</summary>
    internal static Bn254Fr SaltedLeaf(Bn254Fr salt, Bn254Fr sampleLeaf) => Poseidon.Hash(salt, sampleLeaf);

    /// <summary>Public inputs for a batch of <paramref name="batchSize"/>: root, batch commitment, one position per sample.</summary>
    internal static int PublicInputCount(int batchSize) => 2 + batchSize;

    internal static int Depth(int rows) => BitMath.CeilingLog2(rows);

    internal static R1cs<Bn254Fr> BuildShape(QuantizedNetworkConfig network, int rows)
    {
        int depth = Depth(rows);
        var b = new R1csBuilder<Bn254Fr>(strict: false);
        var root = b.PublicInput(Bn254Fr.Zero);
        var batch = b.PublicInput(Bn254Fr.Zero);
        var positions = Enumerable.Range(0, network.BatchSize).Select(_ => b.PublicInput(Bn254Fr.Zero)).ToArray();
        Constrain(b, network.BatchSize, depth, root, batch, positions,
            _ => (Bn254Fr.Zero, Bn254Fr.Zero, new bool[depth], new Bn254Fr[depth]), Bn254Fr.Zero);
        return b.Build().System;
    }

    /// <summary>
    /// The circuit and witness for the rows <paramref name="batchRows"/> of a data set of <paramref name="rows"/> rows committed in
    /// <paramref name="tree"/> over <see cref="SaltedLeaf"/>(<paramref name="salts"/>[i], <paramref name="sampleLeaves"/>[i]).
    /// </summary>
    /// <exception cref="InvalidOperationException">The openings do not satisfy the circuit (e.g. a leaf is not the tree's).</exception>
    internal static BuiltCircuit<Bn254Fr> Build(QuantizedNetworkConfig network, int rows, PoseidonMerkleTree<Bn254Fr> tree, Bn254Fr[] salts,
        Bn254Fr[] sampleLeaves, ReadOnlySpan<int> batchRows, Bn254Fr batchSalt, Bn254Fr batchCommitment)
    {
        int depth = Depth(rows);
        var rowsOfBatch = batchRows.ToArray();
        if (rowsOfBatch.Length != network.BatchSize) throw new ArgumentException($"A batch has {network.BatchSize} rows, got {rowsOfBatch.Length}.", nameof(batchRows));
        var b = new R1csBuilder<Bn254Fr>();
        var root = b.PublicInput(tree.Root);
        var batch = b.PublicInput(batchCommitment);
        var positions = rowsOfBatch.Select(r => b.PublicInput(Bn254Fr.FromUInt64((ulong)r))).ToArray();
        Constrain(b, network.BatchSize, depth, root, batch, positions, s =>
        {
            int row = rowsOfBatch[s];
            var path = tree.Path(row);
            var bits = new bool[depth];
            for (int d = 0; d < depth; d++) bits[d] = ((row >> d) & 1) == 1;
            return (sampleLeaves[row], salts[row], bits, path.Siblings.ToArray());
        }, batchSalt);
        if (b.FirstFailure is { } failure) throw new InvalidOperationException("Batch membership witness does not satisfy the circuit: " + failure);
        return b.Build();
    }

    private static void Constrain(R1csBuilder<Bn254Fr> b, int batchSize, int depth, LinearCombination<Bn254Fr> root, LinearCombination<Bn254Fr> batch,
        LinearCombination<Bn254Fr>[] positions,
        Func<int, (Bn254Fr Leaf, Bn254Fr Salt, bool[] Bits, Bn254Fr[] Siblings)> sample, Bn254Fr batchSaltValue)
    {
        var leaves = new LinearCombination<Bn254Fr>[batchSize];
        for (int s = 0; s < batchSize; s++)
        {
            var (leafValue, saltValue, bitValues, siblingValues) = sample(s);
            var leaf = b.PrivateInput(leafValue);
            var salt = b.PrivateInput(saltValue);
            var bits = bitValues.Select(v => b.PrivateInput(v ? Bn254Fr.One : Bn254Fr.Zero)).ToArray();
            var siblings = siblingValues.Select(b.PrivateInput).ToArray();
            var salted = PoseidonGadget.Hash(b, salt, leaf);
            MerkleMembershipGadget.AssertMembership(b, root, salted, bits, siblings);
            // The gadget constrains the bits boolean; packed, they are the leaf's position, which must be the public one.
            b.AssertEqual(b.Pack(bits), positions[s]);
            leaves[s] = leaf;
        }
        var batchSalt = b.PrivateInput(batchSaltValue);
        b.AssertEqual(PoseidonCommitmentGadget.Commit(b, leaves, batchSalt), batch);
    }
}
