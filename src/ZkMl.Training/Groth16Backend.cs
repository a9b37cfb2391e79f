using ZkMl.Circuits;
using ZkMl.Circuits.Gadgets;
using ZkMl.Hashing;
using ZkMl.Circuits.NeuralNetwork;
using ZkMl.Circuits.Quantized;
using ZkMl.Field;
using ZkMl.Snark.Curves;
using ZkMl.Snark.Formats;
using ZkMl.Snark.Groth16;

namespace ZkMl.Training;

/// <summary>
/// Groth16 over BN254. A step proof is two Groth16 proofs that share the batch commitment
/// c_B = PoseidonCommitment(sample leaves, batch salt), a sample leaf being Poseidon(packed inputs, label)
/// (<see cref="TrainingCommitments"/>):
/// <list type="number">
/// <item>the SGD-step circuit (<see cref="SgdStepCircuit{T}"/>), public (c_W, c_W', c_B): W' is one exact quantized SGD step
/// from W on the batch committed in c_B;</item>
/// <item>the batch-membership circuit (<see cref="BatchMembershipCircuit"/>), public (root, c_B): every leaf committed in c_B,
/// salted with its row's secret salt, has a Merkle path to the dataset root.</item>
/// </list>
/// Splitting membership into its own circuit keeps the SGD circuit identical to the one the circuits package tests against
/// <see cref="QuantizedMlp"/>, and the shared c_B links the two: Poseidon binding means both proofs talk about the same
/// rows. Neither proof reveals the rows, their positions or the weights (all commitments are salted).
/// </summary>
internal static class Groth16Backend
{
    internal const int ProofSize = 1 + 2 * ProofBytes + FrBytes;
    private const byte FormatVersion = 1;
    private const int FrBytes = 32;
    private const int ProofBytes = G1Affine.CompressedSize * 2 + G2Affine.CompressedSize;

    internal sealed record Keys(Groth16ProvingKey Step, Groth16ProvingKey Membership);

    internal static TrainingKeys Setup(QuantizedMlpConfig network, int datasetRows)
    {
        var stepShape = SgdStepCircuit<Bn254Fr>.BuildShape(network);
        var membershipShape = BatchMembershipCircuit.BuildShape(network, datasetRows);
        var step = Groth16Setup.Development(stepShape);
        var membership = Groth16Setup.Development(membershipShape);
        byte[] vk = VerifyingKeyBytes(step.VerifyingKey, membership.VerifyingKey);
        return new TrainingKeys(Backend.Groth16, network, datasetRows, vk, new Keys(step, membership));
    }

    /// <summary>Both verifying keys as snarkjs JSON, length-prefixed (UTF-8).</summary>
    private static byte[] VerifyingKeyBytes(Groth16VerifyingKey step, Groth16VerifyingKey membership)
    {
        using var ms = new MemoryStream();
        using var w = new BinaryWriter(ms);
        w.Write("zkml-training-groth16-keys/1");
        w.Write(SnarkjsJson.VerifyingKeyToJson(step));
        w.Write(SnarkjsJson.VerifyingKeyToJson(membership));
        w.Flush();
        return ms.ToArray();
    }

    private static (Groth16VerifyingKey Step, Groth16VerifyingKey Membership) ParseVerifyingKeys(byte[] bytes)
    {
        try
        {
            using var r = new BinaryReader(new MemoryStream(bytes));
            if (r.ReadString() != "zkml-training-groth16-keys/1") throw new TranscriptFormatException("verifyingKey: unknown key format.");
            var step = SnarkjsJson.ParseVerifyingKey(r.ReadString(), "step verifying key");
            var membership = SnarkjsJson.ParseVerifyingKey(r.ReadString(), "membership verifying key");
            if (r.BaseStream.Position != bytes.Length) throw new TranscriptFormatException("verifyingKey: trailing bytes.");
            return (step, membership);
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or FormatException or ArgumentException or SnarkFormatException)
        {
            throw new TranscriptFormatException($"verifyingKey: {e.Message}", e);
        }
    }

    internal static Bn254Fr ReadFr(ReadOnlySpan<byte> bytes, string what) =>
        bytes.Length == FrBytes && Bn254Fr.TryReadBytes(bytes, out var v) ? v
            : throw new ArgumentException($"{what} must be a canonical 32-byte BN254 scalar.");

    internal static byte[] FrBytesOf(in Bn254Fr v)
    {
        var b = new byte[FrBytes];
        v.WriteBytes(b);
        return b;
    }

    internal static byte[] CommitWeights(QuantizedMlp model, ReadOnlySpan<byte> salt) =>
        FrBytesOf(TrainingCommitments.Weights(model.Config, model.Weights1, model.Weights2, ReadFr(salt, "salt")));

    private static void WriteProof(Groth16Proof p, Span<byte> d)
    {
        p.A.WriteCompressed(d);
        p.B.WriteCompressed(d[G1Affine.CompressedSize..]);
        p.C.WriteCompressed(d[(G1Affine.CompressedSize + G2Affine.CompressedSize)..]);
    }

    private static bool TryReadProof(ReadOnlySpan<byte> s, out Groth16Proof proof)
    {
        proof = null!;
        if (!G1Affine.TryReadCompressed(s[..G1Affine.CompressedSize], out var a)) return false;
        if (!G2Affine.TryReadCompressed(s.Slice(G1Affine.CompressedSize, G2Affine.CompressedSize), out var b)) return false;
        if (!G1Affine.TryReadCompressed(s.Slice(G1Affine.CompressedSize + G2Affine.CompressedSize, G1Affine.CompressedSize), out var c)) return false;
        proof = new Groth16Proof(a, b, c);
        return true;
    }

    internal sealed class Committer(QuantizedMlpConfig network) : IDatasetCommitter
    {
        public int SaltLength => FrBytes;

        public byte[] NewSalts(int count)
        {
            var salts = new byte[count * FrBytes];
            for (int i = 0; i < count; i++) FieldMath.RandomSecure<Bn254Fr>().WriteBytes(salts.AsSpan(i * FrBytes, FrBytes));
            return salts;
        }

        public (byte[] Root, object Openings) Commit(QuantizedDataset data, ReadOnlySpan<byte> salts)
        {
            var leaves = new Bn254Fr[data.Count];
            var saltValues = new Bn254Fr[data.Count];
            var sampleLeaves = new Bn254Fr[data.Count];
            for (int i = 0; i < data.Count; i++) saltValues[i] = ReadFr(salts.Slice(i * FrBytes, FrBytes), "row salt");
            Parallel.For(0, data.Count, i =>
            {
                sampleLeaves[i] = TrainingCommitments.SampleLeaf<Bn254Fr>(network, data.Row(i), data.Labels[i]);
                leaves[i] = BatchMembershipCircuit.SaltedLeaf(saltValues[i], sampleLeaves[i]);
            });
            var tree = new PoseidonMerkleTree<Bn254Fr>(leaves);
            return (FrBytesOf(tree.Root), new Openings(tree, saltValues, sampleLeaves));
        }
    }

    internal sealed record Openings(PoseidonMerkleTree<Bn254Fr> Tree, Bn254Fr[] Salts, Bn254Fr[] SampleLeaves);

    internal sealed class Prover(TrainingKeys keys) : IStepProver
    {
        private readonly Keys _keys = (Keys)keys.ProvingKey!;
        private readonly Groth16Prover _prover = new();

        public Backend Backend => Backend.Groth16;
        public QuantizedMlpConfig Network => keys.Network;
        public byte[]? VerifyingKey => keys.VerifyingKey;

        public byte[] NewSalt() => FrBytesOf(FieldMath.RandomSecure<Bn254Fr>());

        public byte[] CommitWeights(QuantizedMlp model, ReadOnlySpan<byte> salt) => Groth16Backend.CommitWeights(model, salt);

        public byte[] ProveStep(QuantizedMlp before, ReadOnlySpan<byte> saltBefore, ReadOnlySpan<byte> saltAfter, ReadOnlySpan<int> rows, DatasetCommitment data)
        {
            var c = Network;
            var openings = (Openings)data.Openings;
            var (inputs, labels) = data.Batch(rows);
            var batchSalt = FieldMath.RandomSecure<Bn254Fr>();
            var step = SgdStepCircuit<Bn254Fr>.Build(c, new SgdStepInputs<Bn254Fr>(
                before.Weights1.ToArray(), before.Weights2.ToArray(), inputs, labels,
                ReadFr(saltBefore, "salt before"), ReadFr(saltAfter, "salt after"), batchSalt));
            var membership = BatchMembershipCircuit.Build(c, data.RowCount, openings, rows, batchSalt, step.BatchCommitment);
            var (stepProof, _) = _prover.Prove(_keys.Step, step.Circuit.Witness);
            var (membershipProof, _) = _prover.Prove(_keys.Membership, membership);

            var bytes = new byte[ProofSize];
            bytes[0] = FormatVersion;
            WriteProof(stepProof, bytes.AsSpan(1, ProofBytes));
            WriteProof(membershipProof, bytes.AsSpan(1 + ProofBytes, ProofBytes));
            step.BatchCommitment.WriteBytes(bytes.AsSpan(1 + 2 * ProofBytes, FrBytes));
            return bytes;
        }
    }

    internal sealed class Verifier : IStepVerifier
    {
        private readonly Groth16VerifyingKey _step, _membership;

        public Verifier(QuantizedMlpConfig network, byte[]? verifyingKey)
        {
            Network = network;
            if (verifyingKey is null) throw new TranscriptFormatException("verifyingKey is required for Groth16.");
            (_step, _membership) = ParseVerifyingKeys(verifyingKey);
            if (_step.PublicCount != 3 || _membership.PublicCount != 2)
                throw new TranscriptFormatException("verifyingKey: the keys do not have the SGD-step (3) and membership (2) public inputs.");
        }

        public Backend Backend => Backend.Groth16;
        public QuantizedMlpConfig Network { get; }

        public byte[] CommitWeights(QuantizedMlp model, ReadOnlySpan<byte> salt) => Groth16Backend.CommitWeights(model, salt);

        public bool VerifyStep(ReadOnlySpan<byte> commitBefore, ReadOnlySpan<byte> commitAfter, ReadOnlySpan<byte> dataRoot, int datasetRows, ReadOnlySpan<byte> proof)
        {
            if (proof.Length != ProofSize || proof[0] != FormatVersion) return false;
            if (!TryFr(commitBefore, out var before) || !TryFr(commitAfter, out var after) || !TryFr(dataRoot, out var root)) return false;
            if (!TryReadProof(proof.Slice(1, ProofBytes), out var stepProof)) return false;
            if (!TryReadProof(proof.Slice(1 + ProofBytes, ProofBytes), out var membershipProof)) return false;
            if (!TryFr(proof.Slice(1 + 2 * ProofBytes, FrBytes), out var batch)) return false;
            return Groth16Verifier.Verify(_step, [before, after, batch], stepProof)
                && Groth16Verifier.Verify(_membership, [root, batch], membershipProof);
        }

        private static bool TryFr(ReadOnlySpan<byte> b, out Bn254Fr v)
        {
            v = default;
            return b.Length == FrBytes && Bn254Fr.TryReadBytes(b, out v);
        }
    }
}

/// <summary>
/// Batch membership over BN254: public (dataset root, batch commitment); private, per batch row: its sample leaf, its row
/// salt and its Merkle path; and the batch salt. Constrains Poseidon(row salt, sample leaf) to lie under the root and the
/// batch commitment to be <see cref="PoseidonCommitment"/> of the sample leaves with the batch salt.
/// </summary>
internal static class BatchMembershipCircuit
{
    internal static Bn254Fr SaltedLeaf(Bn254Fr salt, Bn254Fr sampleLeaf) => Poseidon.Hash(salt, sampleLeaf);

    internal static int Depth(int rows) => MerkleTree.DepthFor(rows);

    internal static R1cs<Bn254Fr> BuildShape(QuantizedMlpConfig network, int rows)
    {
        int depth = Depth(rows);
        var b = new R1csBuilder<Bn254Fr>(strict: false);
        var root = b.PublicInput(Bn254Fr.Zero);
        var batch = b.PublicInput(Bn254Fr.Zero);
        Constrain(b, network.BatchSize, depth, root, batch,
            _ => (Bn254Fr.Zero, Bn254Fr.Zero, new bool[depth], new Bn254Fr[depth]), Bn254Fr.Zero);
        return b.Build().System;
    }

    internal static Bn254Fr[] Build(QuantizedMlpConfig network, int rows, Groth16Backend.Openings openings, ReadOnlySpan<int> batchRows,
        Bn254Fr batchSalt, Bn254Fr batchCommitment) => BuildCircuit(network, rows, openings, batchRows.ToArray(), batchSalt, batchCommitment).Witness;

    private static BuiltCircuit<Bn254Fr> BuildCircuit(QuantizedMlpConfig network, int rows, Groth16Backend.Openings openings, int[] batchRows,
        Bn254Fr batchSalt, Bn254Fr batchCommitment)
    {
        int depth = Depth(rows);
        var b = new R1csBuilder<Bn254Fr>();
        var root = b.PublicInput(openings.Tree.Root);
        var batch = b.PublicInput(batchCommitment);
        Constrain(b, network.BatchSize, depth, root, batch, s =>
        {
            int row = batchRows[s];
            var path = openings.Tree.Path(row);
            var bits = new bool[depth];
            for (int d = 0; d < depth; d++) bits[d] = ((row >> d) & 1) == 1;
            return (openings.SampleLeaves[row], openings.Salts[row], bits, path.Siblings.ToArray());
        }, batchSalt);
        if (b.FirstFailure is { } failure) throw new InvalidOperationException("Batch membership witness does not satisfy the circuit: " + failure);
        return b.Build();
    }

    private static void Constrain(R1csBuilder<Bn254Fr> b, int batchSize, int depth, LinearCombination<Bn254Fr> root, LinearCombination<Bn254Fr> batch,
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
            leaves[s] = leaf;
        }
        var batchSalt = b.PrivateInput(batchSaltValue);
        b.AssertEqual(PoseidonCommitmentGadget.Commit(b, leaves, batchSalt), batch);
    }
}
