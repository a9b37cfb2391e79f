using System.Collections.Immutable;
using System.Numerics;
using ZkMl.Field;
using ZkMl.Models;
using ZkMl.Training.Shards;

namespace ZkMl.Training.Tests.Shards;

public class ShardAttestationTests
{
    private static readonly ContributorKey Alice = ContributorKey.Create();
    private static readonly ContributorKey Bob = ContributorKey.Create();
    private static readonly Lazy<(ShardContributor Shard, ShardAttestation Attestation)> Honest = new(() =>
    {
        var shard = ShardContributor.Commit(ShardFixture.Digits(0, 4), ShardFixture.Parameters(4));
        return (shard, shard.Attest(ShardFixture.RunId, Alice, ShardFixture.Key(4)));
    });

    private static ShardVerdict Check(ShardAttestation a, ContributorKey? registered = null) =>
        ShardAttestations.Verify(a, ShardFixture.RunId, (registered ?? Alice).PublicKey, ShardFixture.Parameters(4), ShardFixture.Key(4).VerifyingKey);

    [Fact]
    public void HonestAttestationVerifiesAndClaimsTheTrueCounts()
    {
        var (shard, a) = Honest.Value;
        Assert.Equal(ShardVerdict.Valid, Check(a));
        Assert.Equal(4, a.Claims.RowCount);
        var expected = new int[ShardFixture.Classes];
        foreach (int label in shard.Data.Labels) expected[label]++;
        Assert.Equal(expected, a.Claims.Histogram);
        long max = 0;
        foreach (long v in shard.Data.Inputs) max = Math.Max(max, v);
        Assert.Equal(max, a.Claims.MaxFeature);
        Assert.Equal(shard.Root.ToArray(), a.ShardRoot.ToArray());
    }

    [Fact]
    public void ALooserDeclaredMaximumAlsoVerifies()
    {
        var (shard, _) = Honest.Value;
        var a = shard.Attest(ShardFixture.RunId, Alice, ShardFixture.Key(4), maxFeature: 16L << (ShardFixture.FractionBits - 4));
        Assert.True(Check(a).IsValid);
    }

    [Fact]
    public void AWrongHistogramIsRejected()
    {
        var (shard, a) = Honest.Value;
        var h = a.Claims.Histogram.ToArray();
        int from = Array.FindIndex(h, c => c > 0);
        h[from]--;
        h[(from + 1) % h.Length]++;
        var forged = shard.Sign([.. a.RunId], Alice, a.Claims with { Histogram = [.. h] }, [.. a.Proof]);
        var verdict = Check(forged);
        Assert.False(verdict.IsValid);
        Assert.Contains("proof does not verify", verdict.Reason);
    }

    [Fact]
    public void AWrongRowCountIsRejected()
    {
        var (shard, a) = Honest.Value;
        var h = a.Claims.Histogram.ToArray();
        h[Array.FindIndex(h, c => c > 0)]--;
        // Consistent claims (3 rows, histogram summing to 3) with the honest proof: only the proof can reject it.
        var fewer = shard.Sign([.. a.RunId], Alice, new ShardClaims(3, a.Claims.MaxFeature, [.. h]), [.. a.Proof]);
        Assert.Contains("proof does not verify", Check(fewer).Reason);
        // A histogram that does not sum to the row count is rejected before the proof.
        var inconsistent = shard.Sign([.. a.RunId], Alice, a.Claims with { RowCount = 3 }, [.. a.Proof]);
        Assert.False(Check(inconsistent).IsValid);
    }

    [Fact]
    public void AnOutOfRangeValueCannotBeAttested()
    {
        var (shard, a) = Honest.Value;
        long tooLow = a.Claims.MaxFeature - 1;
        // The honest prover refuses; a lying one proves an unsatisfied witness, and the proof fails.
        Assert.Throws<ArgumentOutOfRangeException>(() => shard.Attest(ShardFixture.RunId, Alice, ShardFixture.Key(4), tooLow));
        var lie = Lie(shard, shard.Data, tooLow, a.Claims.Histogram);
        Assert.Contains("proof does not verify", Check(lie).Reason);

        // A label outside [0, classes): a row labelled 10 with 10 classes, claimed as class 0.
        var labels = shard.Data.Labels.ToArray();
        labels[0] = ShardFixture.Classes;
        var badData = new QuantizedDataset(ShardFixture.Features, shard.Data.Inputs, labels);
        var badShard = ShardContributor.Commit(badData, ShardFixture.Parameters(4));
        Assert.Throws<InvalidOperationException>(() => badShard.Attest(ShardFixture.RunId, Alice, ShardFixture.Key(4)));
        var h = new int[ShardFixture.Classes];
        foreach (int l in labels) h[l < ShardFixture.Classes ? l : 0]++;
        Assert.Contains("proof does not verify", Check(Lie(badShard, badData, a.Claims.MaxFeature, [.. h])).Reason);

        // A negative feature, claimed in range.
        var inputs = shard.Data.Inputs.ToArray();
        inputs[3] = -1;
        var negative = ShardContributor.Commit(new QuantizedDataset(ShardFixture.Features, inputs, shard.Data.Labels), ShardFixture.Parameters(4));
        Assert.Throws<InvalidOperationException>(() => negative.Attest(ShardFixture.RunId, Alice, ShardFixture.Key(4)));
        Assert.Contains("proof does not verify", Check(Lie(negative, negative.Data, a.Claims.MaxFeature, a.Claims.Histogram)).Reason);
    }

    [Fact]
    public void AProofAgainstAnotherShardsCommitmentIsRejected()
    {
        var (_, a) = Honest.Value;
        var other = ShardContributor.Commit(ShardFixture.Digits(4, 4), ShardFixture.Parameters(4));
        // Bob signs his own root with Alice's claims and proof.
        var moved = other.Sign([.. a.RunId], Bob, a.Claims, [.. a.Proof]);
        Assert.Contains("proof does not verify", Check(moved, Bob).Reason);
        // The same rows committed again (fresh salts) give another root: the proof does not carry over either.
        var resalted = ShardContributor.Commit(Honest.Value.Shard.Data, ShardFixture.Parameters(4));
        Assert.Contains("proof does not verify", Check(resalted.Sign([.. a.RunId], Alice, a.Claims, [.. a.Proof])).Reason);
    }

    [Fact]
    public void AnAlteredSignatureIsRejected()
    {
        var (_, a) = Honest.Value;
        for (int i = 0; i < ShardAttestation.SignatureBytes; i += 13)
        {
            var sig = a.Signature.ToArray();
            sig[i] ^= 0x01;
            Assert.Contains("signature", Check(a.With(signature: sig)).Reason);
        }
        // The high-s twin of a valid signature is valid ECDSA but not canonical.
        var n = BigInteger.Parse("0FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", System.Globalization.NumberStyles.HexNumber);
        var s = new BigInteger(a.Signature.AsSpan(32, 32), isUnsigned: true, isBigEndian: true);
        var high = a.Signature.ToArray();
        (n - s).ToByteArray(isUnsigned: true, isBigEndian: true).CopyTo(high.AsSpan(32));
        Assert.Contains("signature", Check(a.With(signature: high)).Reason);
        // Any signed field changed under the old signature.
        Assert.Contains("signature", Check(a.With(claims: a.Claims with { MaxFeature = a.Claims.MaxFeature + 1 })).Reason);
    }

    [Fact]
    public void ASwappedContributorKeyIsRejected()
    {
        var (shard, a) = Honest.Value;
        // Bob's key in Alice's attestation, her signature kept.
        Assert.Contains("signature", Check(a.With(contributorKey: Bob.PublicKey), Bob).Reason);
        // Bob re-signs Alice's attestation as his own: valid for Bob, but Alice is the registered contributor.
        var stolen = shard.Sign([.. a.RunId], Bob, a.Claims, [.. a.Proof]);
        Assert.True(Check(stolen, Bob).IsValid);
        Assert.Contains("registered", Check(stolen).Reason);
    }

    [Fact]
    public void AnotherRunOrParametersAreRejected()
    {
        var (_, a) = Honest.Value;
        var otherRun = new byte[32];
        Assert.Contains("another run", ShardAttestations.Verify(a, otherRun, Alice.PublicKey, ShardFixture.Parameters(4), ShardFixture.Key(4).VerifyingKey).Reason);
        Assert.False(ShardAttestations.Verify(a, ShardFixture.RunId, Alice.PublicKey, ShardFixture.Parameters(8), ShardFixture.Key(4).VerifyingKey).IsValid);
        var fewerClasses = new ShardParameters(ShardFixture.Features, ShardFixture.FractionBits, 4, 9);
        Assert.False(ShardAttestations.Verify(a, ShardFixture.RunId, Alice.PublicKey, fewerClasses, ShardFixture.Key(4).VerifyingKey).IsValid);
        Assert.False(Check(a.With(claims: a.Claims with { Histogram = default })).IsValid);
        var garbage = a.Proof.ToArray();
        garbage[0] ^= 0x5A;
        Assert.False(Check(a.With(proof: garbage)).IsValid);
    }

    // A contributor that proves claims its rows do not satisfy (the witness is unsatisfied; the prover does not check).
    private static ShardAttestation Lie(ShardContributor shard, QuantizedDataset data, long max, ImmutableArray<int> histogram)
    {
        var p = shard.Parameters;
        Assert.True(Bn254Fr.TryReadBytes(shard.Root.Span, out var root));
        var circuit = ShardAttestationCircuit.Build(p, data, shard.FieldSalts, root, max, [.. histogram], strict: false);
        var proof = ShardAttestations.ProveBytes(ShardFixture.Key(p.Capacity), circuit.Witness);
        return shard.Sign([.. ShardFixture.RunId], Alice, new ShardClaims(data.Count, max, histogram), proof);
    }
}
