using ZkMl.Field;
using ZkMl.Sumcheck;
using ZkMl.Training.Backends.Sumcheck;
using static ZkMl.Training.Tests.Sumcheck.ZeroKnowledgeSteps;

namespace ZkMl.Training.Tests.Sumcheck;

/// <summary>
/// Attacks on the zero-knowledge step ("ZKST" v4) verifier: the joint reduction's Libra mask commitment is read from the
/// proof, and its value g'(r) closes the reduction's combined check, so its parameters must be the verifier's (with rate
/// 1/2 and one query a forged g'(r) proves a false claim: tests/ZkMl.Sumcheck.Tests/AdversarialMaskSetParametersTests.cs);
/// count fields set to 2^32 - 1 anywhere in a proof are refused without an allocation failure.
/// </summary>
public class ZeroKnowledgeAdversarialTests
{
    /// <summary>The bytes a ZK step verifier with no blocks and no tables reads at Commit: the stack commitment and the reduction's mask commitment.</summary>
    private static (bool Accepted, int Variables) CommitWith(LigeroParameters reductionMaskParameters, Func<StackLayout, LigeroCommitment>? stackShape = null, int privateVariables = 8)
    {
        var verifier = new StepVerifier(Digest(0));
        var masks = new StepMasks([], 0);
        // With a private table of 2^privateVariables entries (16: a stack large enough to have several row splits; at
        // least 8: the compact stack needs rows of 16 entries or more, as every real step's stack has).
        if (privateVariables > 0) verifier.AddPrivate(privateVariables);
        var layout = new StackLayout(privateVariables > 0 ? [privateVariables, masks.Variables] : [masks.Variables], [], RangeLimbs.LimbBits);
        var writer = new ProofWriter(StepProver.Magic, StepProver.ZeroKnowledgeVersion);
        var stack = stackShape?.Invoke(layout) ?? LigeroCommitment.Canonical(SumcheckStep.ZeroKnowledgeStackParameters, layout.Variables, Math.Max(layout.Used, 1), 1);
        stack.WriteTo(writer);
        var shape = ZeroKnowledgeStep.ReductionShape(layout.Variables, []);
        ZkSumcheckMaskSet.Commit(reductionMaskParameters, [shape], new Random(1)).Commitment.WriteTo(writer);
        var reader = new ProofReader(writer.ToArray(), StepProver.Magic, StepProver.ZeroKnowledgeVersion);
        return (verifier.Commit(ref reader, []), layout.Variables);
    }

    /// <summary>The parameters the honest prover uses for the reduction's masks pass Commit.</summary>
    [Fact]
    public void TheHonestReductionMaskParametersPassCommit() => Assert.True(CommitWith(SumcheckStep.ReductionMaskParameters).Accepted);

    /// <summary>
    /// The stack commitment's whole shape is the verifier's (<see cref="LigeroCommitment.ReadPinned"/>): another row split,
    /// all rows instead of the zero tail, another rate, fewer queries, the compact flag flipped or another number of
    /// evaluation slots is refused with <see cref="LigeroShapeException"/> (its actual rate, hence the bits
    /// <see cref="SumcheckSoundness"/> counts, would otherwise be the prover's choice).
    /// </summary>
    [Fact]
    public void AStackCommitmentOfAnotherShapeIsRefused()
    {
        var p = SumcheckStep.ZeroKnowledgeStackParameters;
        var variants = new Func<StackLayout, LigeroCommitment>[]
        {
            l => Shape(p, l, +1), l => Shape(p, l, -1),
            l => new LigeroCommitment(p, l.Variables, LigeroPcs.RowVariables(p, l.Variables, Math.Max(l.Used, 1), 1), new byte[32]),
            l => LigeroCommitment.Canonical(p with { RateLog = 4 }, l.Variables, Math.Max(l.Used, 1), 1),
            l => LigeroCommitment.Canonical(p with { Queries = p.Queries - 1 }, l.Variables, Math.Max(l.Used, 1), 1),
            l => LigeroCommitment.Canonical(p with { Compact = !p.Compact }, l.Variables, Math.Max(l.Used, 1), 1),
            l => LigeroCommitment.Canonical(p, l.Variables, Math.Max(l.Used, 1), 2),
        };
        Assert.True(CommitWith(SumcheckStep.ReductionMaskParameters, null, 16).Accepted);
        foreach (var variant in variants) Assert.Throws<LigeroShapeException>(() => CommitWith(SumcheckStep.ReductionMaskParameters, variant, 16));
    }

    /// <summary>
    /// An honest step proof whose stack commitment bytes claim another row split (one more or one fewer row variable),
    /// rate 1/16 or compact codewords: the verifier refuses it (the pinned read throws, the step verifier returns false).
    /// </summary>
    [Fact]
    public void AProofWhoseStackCommitmentClaimsAnotherShapeIsRefused()
    {
        var (_, step0, _) = ZeroKnowledgeStepTests.Chain.Value;
        var proof = step0.Proof;
        Assert.True(Verify(step0, 0, proof));
        int hiding = 6 + 8, rows = hiding + 1 + ((proof[hiding] & 0x40) != 0 ? 4 : 0) + 4;
        uint split = BitConverter.ToUInt32(proof, rows);
        var forgeries = new List<byte[]>();
        foreach (uint other in new[] { split - 1, split + 1 })
        {
            var forged = proof.ToArray();
            BitConverter.GetBytes(other).CopyTo(forged, rows);
            forgeries.Add(forged);
        }
        var rate = proof.ToArray();
        BitConverter.GetBytes(4u).CopyTo(rate, 6);
        forgeries.Add(rate);
        var compact = proof.ToArray();
        compact[hiding] ^= 0x20;
        forgeries.Add(compact);
        foreach (var forged in forgeries) Assert.False(Verify(step0, 0, forged));
    }

    /// <summary>
    /// Every opening of a step grinds (<see cref="SumcheckStep.Grinding"/>): the last one (the reduction mask's) carries
    /// its nonce; the proof with that nonce bit-flipped, zeroed, or removed (flag cleared, 8 bytes cut) is refused, and
    /// truncated inside the nonce does not decode.
    /// </summary>
    [Fact]
    public void AStepOpeningsNonceCannotBeChangedOrRemoved()
    {
        var (_, step0, _) = ZeroKnowledgeStepTests.Chain.Value;
        var proof = step0.Proof.ToArray();
        Assert.True(Verify(step0, 0, proof));
        // The last opening: the offset from which a grinding opening body reads to the proof's end.
        int at = -1;
        for (int o = proof.Length - 29; o >= 6 && at < 0; o--)
        {
            try
            {
                var reader = new ProofReader(proof, StepProver.Magic, StepProver.ZeroKnowledgeVersion);
                reader.ReadBytes(o - 6);
                var opening = LigeroOpening.ReadFrom(ref reader);
                if (reader.Remaining == 0 && opening.GrindingNonce is { } n && proof[o + 12] == 3 && BitConverter.ToUInt64(proof, o + 21) == n) at = o;
            }
            catch (ProofFormatException) { }
            catch (ArgumentException) { }
        }
        Assert.True(at > 0, "no grinding opening at the end of the proof");
        int nonce = at + 21;
        foreach (int bit in new[] { 0, 1, 7, 31, 63 })
        {
            var flipped = proof.ToArray();
            flipped[nonce + bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(Verify(step0, 0, flipped));
        }
        var zeroed = proof.ToArray();
        Array.Clear(zeroed, nonce, 8);
        if (BitConverter.ToUInt64(proof, nonce) != 0) Assert.False(Verify(step0, 0, zeroed));
        var removed = proof.Take(nonce).Concat(proof.Skip(nonce + 8)).ToArray();
        removed[at + 12] = 1;
        Assert.False(Verify(step0, 0, removed));
        Assert.False(Verify(step0, 0, proof.AsSpan(0, nonce + 4).ToArray()));
    }

    /// <summary>
    /// "ZKST" v3 (the step without zero knowledge, removed), v4 (the parameters before per-commitment accounting) and v5
    /// (X+'s range as two limb tables in the shared lookup, one chain commitment per layer's table) are refused by their
    /// versions: an honest v6 proof relabelled does not verify, and its reader throws the typed <see cref="ProofFormatException"/>.
    /// </summary>
    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public void AnOlderStepProofVersionIsRefused(int version)
    {
        var (_, step0, _) = ZeroKnowledgeStepTests.Chain.Value;
        Assert.Equal(7, StepProver.ZeroKnowledgeVersion);
        var forged = step0.Proof.ToArray();
        BitConverter.GetBytes((ushort)version).CopyTo(forged, 4);
        Assert.False(Verify(step0, 0, forged));
        Assert.Throws<ProofFormatException>(() => new ProofReader(forged, StepProver.Magic, StepProver.ZeroKnowledgeVersion));
    }

    /// <summary>
    /// The stack commits only the rows its layout reaches (its zero tail is not committed): the same root with another row
    /// count (one more, one fewer) or with every row (the zero-tail flag cleared) is another commitment, and the proof is refused.
    /// </summary>
    [Fact]
    public void TheStackCommitsItsUsedRowsAndNoOtherRowCountVerifies()
    {
        var (_, step0, _) = ZeroKnowledgeStepTests.Chain.Value;
        var proof = step0.Proof;
        var reader = new ProofReader(proof, StepProver.Magic, StepProver.ZeroKnowledgeVersion);
        var stack = LigeroCommitment.ReadFrom(ref reader);
        Assert.Equal(SumcheckStep.ZeroKnowledgeStackParameters, stack.Parameters);
        Assert.True(stack.DataRows < 1 << stack.RowVariables, $"{stack.DataRows} of {1 << stack.RowVariables} rows");
        const int flag = 6 + 4 + 4, rows = flag + 1; // header, rate, queries; then the hiding byte (0x40: a zero tail) and the data rows
        Assert.Equal(0x40, proof[flag] & 0xC0); // trimmed, one evaluation slot (no slot count before the data rows)
        Assert.Equal(stack.DataRows, BitConverter.ToInt32(proof, rows));
        foreach (int other in new[] { stack.DataRows - 1, stack.DataRows + 1 })
        {
            var forged = proof.ToArray();
            BitConverter.GetBytes(other).CopyTo(forged, rows);
            Assert.False(Verify(step0, 0, forged));
        }
        byte[] full = [.. proof[..flag], (byte)(proof[flag] & ~0x40), .. proof[(rows + 4)..]];
        Assert.False(Verify(step0, 0, full));
    }

    /// <summary>The canonical stack shape with its row split moved by <paramref name="delta"/> (data rows recomputed for the used entries).</summary>
    private static LigeroCommitment Shape(LigeroParameters p, StackLayout l, int delta)
    {
        var canonical = LigeroCommitment.Canonical(p, l.Variables, Math.Max(l.Used, 1), 1);
        int ra = canonical.RowVariables + delta;
        if (ra < 1 || ra > l.Variables) ra = canonical.RowVariables - 2 * delta; // a split of the other side when this one does not exist
        int rowLength = 1 << (l.Variables - ra);
        return new LigeroCommitment(p, l.Variables, ra, new byte[32]) is var full && Math.Max(l.Used, 1) < 1L << l.Variables
            ? ReadBack(p, l.Variables, ra, (int)((Math.Max(l.Used, 1) + rowLength - 1) / rowLength))
            : full;
    }

    /// <summary>A commitment with an explicit row split and data rows, through its encoding (the internal constructor's only public door).</summary>
    private static LigeroCommitment ReadBack(LigeroParameters p, int variables, int rowVariables, int dataRows)
    {
        var writer = new ProofWriter("TEST", 1);
        writer.WriteUInt32((uint)p.RateLog);
        writer.WriteUInt32((uint)p.Queries);
        bool trimmed = dataRows != 1 << rowVariables;
        writer.WriteByte((byte)(p.Openings | (p.Compact ? 0x20 : 0) | (trimmed ? 0x40 : 0)));
        if (trimmed) writer.WriteUInt32((uint)dataRows);
        writer.WriteUInt32((uint)variables);
        writer.WriteUInt32((uint)rowVariables);
        writer.WriteBytes(new byte[32]);
        var reader = new ProofReader(writer.ToArray(), "TEST", 1);
        return LigeroCommitment.ReadFrom(ref reader);
    }

    /// <summary>
    /// The reduction's mask commitment is read from the proof; its rate and queries must be the verifier's
    /// (StepVerifier.Commit pins them): committed at rate 1/2 with one query, its opening could carry a forged g'(r) (accepted
    /// 1 time in 4, ground) and with it any false claim of the joint reduction (found by the zkaudit review).
    /// </summary>
    [Fact]
    public void AReductionMaskCommitmentWithWeakParametersIsRefused()
    {
        Assert.False(CommitWith(new LigeroParameters(1, 1, true)).Accepted);
        Assert.False(CommitWith(new LigeroParameters(3, 1, true)).Accepted);
        Assert.False(CommitWith(new LigeroParameters(1, 124, true)).Accepted);
    }

    /// <summary>
    /// Every 4-byte window of the first 512 bytes (every 8th) and of sampled later offsets set to 2^32 - 1 (a count field
    /// claiming gigabytes where it lands on one): the verifier returns false or throws ProofFormatException, never an
    /// OutOfMemoryException or another exception.
    /// </summary>
    [Fact]
    public void HugeCountFieldsAnywhereInAZeroKnowledgeStepProofAreRefused()
    {
        var (_, step0, _) = ZeroKnowledgeStepTests.Chain.Value;
        var proof = step0.Proof;
        var offsets = Enumerable.Range(0, 64).Select(i => 6 + 8 * i).Concat(Enumerable.Range(1, 24).Select(i => (int)((long)proof.Length * i / 25))).Where(o => o + 4 <= proof.Length);
        foreach (int offset in offsets)
        {
            var forged = (byte[])proof.Clone();
            forged.AsSpan(offset, 4).Fill(0xFF);
            try
            {
                Assert.False(Verify(step0, 0, forged));
            }
            catch (ProofFormatException)
            {
            }
        }
    }
}
