using System.Buffers.Binary;
using System.Diagnostics;
using Xunit.Abstractions;
using ZkMl.Field;

namespace ZkMl.Sumcheck.Tests;

/// <summary>
/// Proof of work before a Ligero opening's queries (<see cref="LigeroParameters.GrindingBits"/>,
/// <see cref="Transcript.ProveWork"/>): the nonce search and check, and a verifier that refuses a nonce without the
/// work, a nonce found for another transcript, a proof whose nonce is removed, flipped or truncated, and a prover that
/// skips grinding.
/// </summary>
public class LigeroGrindingTests(ITestOutputHelper output)
{
    private const int Bits = 16;
    private static readonly LigeroParameters Grinding = new(2, 12, true, 2, GrindingBits: Bits);

    private static Transcript NewTranscript(string statement = "grind") => new("ZkMl.Sumcheck.Tests.LigeroGrinding", Naive.Digest(statement));

    private static (LigeroCommitment Commitment, GoldilocksExt2[] Point, GoldilocksExt2 Value, LigeroOpening Opening) Open(LigeroParameters parameters, int n = 8, int seed = 1, string statement = "grind")
    {
        var rng = new Random(seed);
        var data = LigeroPcs.Commit(parameters, Naive.RandomTable(rng, n), rng);
        var point = Naive.RandomPoint(rng, n);
        var transcript = NewTranscript(statement);
        data.Commitment.AbsorbInto(transcript);
        var opening = LigeroPcs.OpenHiding(transcript, data, point, 1, 0, out var value);
        return (data.Commitment, point, value, opening);
    }

    private static bool Verify(LigeroCommitment commitment, GoldilocksExt2[] point, GoldilocksExt2 value, LigeroOpening opening, string statement = "grind")
    {
        var transcript = NewTranscript(statement);
        commitment.AbsorbInto(transcript);
        return LigeroPcs.VerifyHiding(transcript, commitment, point, 1, 0, value, opening);
    }

    private static byte[] State(string s)
    {
        var digest = new byte[32];
        Blake3.Hasher.Hash(System.Text.Encoding.UTF8.GetBytes(s), digest);
        return digest;
    }

    private static LigeroOpening WithNonce(LigeroOpening o, ulong? nonce)
    {
        var columns = new Goldilocks[o.OpenedColumns * o.Rows];
        var salts = new byte[o.Hiding ? 32 * o.OpenedColumns : 0];
        for (int q = 0; q < o.OpenedColumns; q++)
        {
            o.Column(q).CopyTo(columns.AsSpan(q * o.Rows));
            if (o.Hiding) o.Salt(q).CopyTo(salts.AsSpan(32 * q));
        }
        var rows = new GoldilocksExt2[o.Points * o.MessageLength];
        for (int p = 0; p < o.Points; p++) o.EvaluationRow(p).CopyTo(rows.AsSpan(p * o.MessageLength));
        return new LigeroOpening(o.Points, o.MessageLength, o.Rows, o.Hiding, rows, o.ProximityRow.ToArray(), columns, salts, [.. o.MerkleProof], nonce);
    }

    [Fact]
    public void TheSearchFindsTheSmallestNonceWithTheWork()
    {
        var state = State("state");
        ulong nonce = Transcript.SearchWork(state, 10);
        Assert.True(Transcript.WorkHolds(state, 10, nonce));
        for (ulong w = 0; w < nonce; w++) Assert.False(Transcript.WorkHolds(state, 10, w));
        Assert.True(Transcript.WorkHolds(state, 0, 12345));
        Assert.True(nonce < 1 << 16);
    }

    [Fact]
    public void TheWorkIsThatOfTheDocumentedHash()
    {
        // BLAKE3("ZkMl.Grind v1" padded to 16 bytes || state || nonce LE): its first 8 bytes LE have g zero low bits.
        var state = State("doc");
        ulong nonce = Transcript.SearchWork(state, 8);
        var message = new byte[56];
        System.Text.Encoding.ASCII.GetBytes("ZkMl.Grind v1").CopyTo(message, 0);
        state.CopyTo(message, 16);
        BinaryPrimitives.WriteUInt64LittleEndian(message.AsSpan(48), nonce);
        var digest = new byte[32];
        Blake3.Hasher.Hash(message, digest);
        Assert.Equal(0ul, BinaryPrimitives.ReadUInt64LittleEndian(digest) & 0xFF);
    }

    [Fact]
    public void ProveAndVerifyWorkKeepTheTranscriptsTogether()
    {
        var (prover, verifier) = (NewTranscript(), NewTranscript());
        ulong nonce = prover.ProveWork("w", 12);
        Assert.True(verifier.VerifyWork("w", 12, nonce));
        Assert.Equal(prover.ChallengeExt("after"), verifier.ChallengeExt("after"));
        // Another difficulty or label is another transcript.
        Assert.False(NewTranscript().VerifyWork("v", 12, nonce));
        Assert.Throws<ArgumentOutOfRangeException>(() => NewTranscript().ProveWork("w", Transcript.MaxWorkBits + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => NewTranscript().VerifyWork("w", -1, 0));
    }

    [Fact]
    public void ANonceWithoutTheWorkIsRefusedByTheTranscript()
    {
        var probe = NewTranscript();
        ulong nonce = probe.ProveWork("w", Bits);
        ulong bad = nonce + 1;
        var t = NewTranscript();
        t.Absorb("w", (ulong)Bits);
        while (Transcript.WorkHolds(StateOf(t), Bits, bad)) bad++;
        Assert.False(NewTranscript().VerifyWork("w", Bits, bad));
    }

    private static byte[] StateOf(Transcript t)
    {
        var field = typeof(Transcript).GetField("_state", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;
        return ((byte[])field.GetValue(t)!).ToArray();
    }

    [Fact]
    public void AnHonestGrindingOpeningVerifiesAndCarriesItsNonce()
    {
        var (commitment, point, value, opening) = Open(Grinding);
        Assert.NotNull(opening.GrindingNonce);
        Assert.True(Verify(commitment, point, value, opening));
        var bytes = opening.ToBytes();
        Assert.Equal(LigeroOpening.GrindingFormatVersion, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(4)));
        Assert.True(LigeroPcs.VerifyHiding(Begin(commitment), commitment, point, 1, 0, value, bytes));
        Assert.Equal(Grinding.SoundnessBits, Grinding.Queries * LigeroParameters.QueryBits(2) + Bits, 9);
        Assert.Equal(commitment.SoundnessBits - Bits, new LigeroCommitment(Grinding with { GrindingBits = 0 }, commitment.Variables, commitment.RowVariables, commitment.Root).SoundnessBits, 9);
    }

    private static Transcript Begin(LigeroCommitment commitment)
    {
        var t = NewTranscript();
        commitment.AbsorbInto(t);
        return t;
    }

    [Fact]
    public void ANonceWithoutTheWorkIsRefused()
    {
        var (commitment, point, value, opening) = Open(Grinding);
        ulong honest = opening.GrindingNonce!.Value;
        // The honest nonce is the smallest that works: every smaller one lacks the work.
        for (ulong w = 0; w < Math.Min(honest, 64); w++) Assert.False(Verify(commitment, point, value, WithNonce(opening, w)));
        Assert.False(Verify(commitment, point, value, WithNonce(opening, honest + 1)));
    }

    [Fact]
    public void ANonceValidForAnotherTranscriptIsRefused()
    {
        var (commitment, point, value, opening) = Open(Grinding);
        var other = Open(Grinding, statement: "another statement");
        Assert.NotEqual(opening.GrindingNonce, other.Opening.GrindingNonce);
        Assert.False(Verify(commitment, point, value, WithNonce(opening, other.Opening.GrindingNonce)));
        // The whole opening of the other transcript does not verify here either.
        Assert.False(Verify(other.Commitment, other.Point, other.Value, other.Opening));
        Assert.True(Verify(other.Commitment, other.Point, other.Value, other.Opening, "another statement"));
    }

    [Fact]
    public void ARemovedFlippedOrTruncatedNonceIsRefused()
    {
        var (commitment, point, value, opening) = Open(Grinding);
        ulong nonce = opening.GrindingNonce!.Value;
        Assert.False(Verify(commitment, point, value, WithNonce(opening, null)));
        for (int bit = 0; bit < 64; bit++) Assert.False(Verify(commitment, point, value, WithNonce(opening, nonce ^ (1ul << bit))));

        var bytes = opening.ToBytes();
        // The nonce follows the six header counts (4 + 2 magic/version, then 4 + 4 + 4 + 1 + 4 + 4).
        int at = 6 + 21;
        Assert.Equal(nonce, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(at)));
        // Removed from the bytes with its flag cleared: version 3 needs a nonce.
        var removed = bytes.Take(at).Concat(bytes.Skip(at + 8)).ToArray();
        removed[6 + 12] &= 0xFD;
        Assert.Throws<ProofFormatException>(() => LigeroOpening.FromBytes(removed));
        // Relabelled as the version without nonces: decodes, but a grinding verifier refuses it.
        BinaryPrimitives.WriteUInt16LittleEndian(removed.AsSpan(4), LigeroOpening.FormatVersion);
        Assert.False(LigeroPcs.VerifyHiding(Begin(commitment), commitment, point, 1, 0, value, removed));
        // Truncated anywhere in the nonce (or after it): the bytes do not decode.
        for (int cut = at; cut <= at + 8; cut++)
            Assert.Throws<ProofFormatException>(() => LigeroOpening.FromBytes(bytes.AsSpan(0, cut)));
        Assert.Throws<ProofFormatException>(() => LigeroOpening.FromBytes(bytes.AsSpan(0, bytes.Length - 1)));
        // An unknown flag bit is refused.
        var flagged = bytes.ToArray();
        flagged[6 + 12] |= 4;
        Assert.Throws<ProofFormatException>(() => LigeroOpening.FromBytes(flagged));
    }

    [Fact]
    public void AProverThatSkipsGrindingIsRefused()
    {
        // The same table and randomness committed and opened without grinding: the verifier pins the grinding bits,
        // so the commitment is refused by shape, and its opening (no nonce, queries drawn without work) by the check.
        var (commitment, point, value, _) = Open(Grinding);
        var skipped = Open(Grinding with { GrindingBits = 0 });
        Assert.Null(skipped.Opening.GrindingNonce);
        Assert.False(Verify(commitment, point, value, skipped.Opening));
        var writer = new ProofWriter("TEST", 1);
        skipped.Commitment.WriteTo(writer);
        var encoded = writer.ToArray();
        Assert.Throws<LigeroShapeException>(() => { var reader = new ProofReader(encoded, "TEST", 1); LigeroCommitment.ReadPinned(ref reader, Grinding, 8); });
        // And a nonce on a commitment that does not grind is refused too (one encoding per proof).
        Assert.False(Verify(skipped.Commitment, skipped.Point, skipped.Value, WithNonce(skipped.Opening, 0)));
        Assert.True(Verify(skipped.Commitment, skipped.Point, skipped.Value, skipped.Opening));
    }

    [Fact]
    public void TheGrindingBitsAreEncodedInTheCommitmentAndBounded()
    {
        var (commitment, _, _, _) = Open(Grinding);
        var writer = new ProofWriter("TEST", 1);
        commitment.WriteTo(writer);
        var bytes = writer.ToArray();
        var reader = new ProofReader(bytes, "TEST", 1);
        Assert.Equal(Grinding, LigeroCommitment.ReadPinned(ref reader, Grinding, 8).Parameters);
        // Queries word: queries | bits << 24 (after the 6-byte header and the rate word).
        Assert.Equal((uint)Grinding.Queries | Bits << 24, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(10)));
        bytes[13] = Transcript.MaxWorkBits + 1;
        Assert.Throws<ProofFormatException>(() => { var r = new ProofReader(bytes, "TEST", 1); LigeroCommitment.ReadFrom(ref r); });
        Assert.Throws<ArgumentOutOfRangeException>(() => (Grinding with { GrindingBits = Transcript.MaxWorkBits + 1 }).Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => (Grinding with { GrindingBits = -1 }).Validate());
    }

    [Fact]
    public void NonHidingOpeningsGrindToo()
    {
        var parameters = new LigeroParameters(2, 20, false, GrindingBits: 12);
        var rng = new Random(3);
        var data = LigeroPcs.Commit(parameters, Naive.RandomTable(rng, 8));
        var point = Naive.RandomPoint(rng, 8);
        var values = new GoldilocksExt2[1];
        var opening = LigeroPcs.Open(Begin(data.Commitment), data, [point], values);
        Assert.NotNull(opening.GrindingNonce);
        Assert.True(LigeroPcs.Verify(Begin(data.Commitment), data.Commitment, [point], values, opening.ToBytes()));
        Assert.False(LigeroPcs.Verify(Begin(data.Commitment), data.Commitment, [point], values, WithNonce(opening, null)));
        Assert.False(LigeroPcs.Verify(Begin(data.Commitment), data.Commitment, [point], values, WithNonce(opening, opening.GrindingNonce + 1)));
    }

    /// <summary>The search's speed on this machine (hashes per second over all cores), for the docs' cost figures.</summary>
    [Theory]
    [InlineData(20)]
    public void TheSearchRate(int bits)
    {
        Transcript.SearchWork(State("warm"), 12);
        long hashes = 0;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < 8; i++) hashes += (long)Transcript.SearchWork(State($"rate {i}"), bits) + 1;
        watch.Stop();
        double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        output.WriteLine($"{Environment.ProcessorCount} cores: 8 searches of {bits} bits, {hashes} nonces in {watch.ElapsedMilliseconds} ms wall, {cpuSeconds * 1000:F0} ms CPU: " +
            $"{hashes / watch.Elapsed.TotalSeconds / 1e6:F1} M hashes/s wall, {hashes / cpuSeconds / 1e6:F1} M hashes per CPU second; " +
            $"2^{bits} = {1 << bits} nonces expected per search: {watch.Elapsed.TotalMilliseconds * (1 << bits) / hashes:F1} ms wall at this rate");
    }
}
