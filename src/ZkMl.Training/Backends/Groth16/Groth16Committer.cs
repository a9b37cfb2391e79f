using ZkMl.Hashing;
using ZkMl.Circuits.Gadgets;
using ZkMl.Field;
using ZkMl.Models;
using ZkMl.Training.Circuits;

namespace ZkMl.Training.Backends.Groth16;

/// <summary>Commits a data set as a Poseidon (BN254) Merkle tree over Poseidon(row salt, sample leaf).</summary>
internal sealed class Groth16Committer(QuantizedNetworkConfig network) : IDatasetCommitter
{
    public int SaltLength => Groth16Codec.FrBytes;

    public byte[] NewSalts(int count)
    {
        var salts = new byte[count * Groth16Codec.FrBytes];
        for (int i = 0; i < count; i++) FieldMath.RandomSecure<Bn254Fr>().WriteBytes(salts.AsSpan(i * Groth16Codec.FrBytes, Groth16Codec.FrBytes));
        return salts;
    }

    public (byte[] Root, DatasetOpenings Openings) Commit(QuantizedDataset data, ReadOnlySpan<byte> salts)
    {
        var leaves = new Bn254Fr[data.Count];
        var saltValues = new Bn254Fr[data.Count];
        var sampleLeaves = new Bn254Fr[data.Count];
        for (int i = 0; i < data.Count; i++) saltValues[i] = Groth16Codec.ReadFr(salts.Slice(i * Groth16Codec.FrBytes, Groth16Codec.FrBytes), "row salt");
        Parallel.For(0, data.Count, i =>
        {
            sampleLeaves[i] = TrainingCommitments.SampleLeaf<Bn254Fr>(network.FractionBits, data.Row(i), data.Labels[i]);
            leaves[i] = BatchMembershipCircuit.SaltedLeaf(saltValues[i], sampleLeaves[i]);
        });
        var tree = new PoseidonMerkleTree<Bn254Fr>(leaves);
        return (Groth16Codec.FrBytesOf(tree.Root), new Groth16DatasetOpenings(tree, saltValues, sampleLeaves));
    }
}
