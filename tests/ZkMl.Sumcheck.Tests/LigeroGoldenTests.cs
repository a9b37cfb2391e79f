using System.Security.Cryptography;
using ZkMl.Field;

namespace ZkMl.Sumcheck.Tests;

public class LigeroGoldenTests
{
    /// <summary>The non-hiding commitment and opening bytes are those of the format before hiding slots existed (hash of commit 2001fd5's output).</summary>
    [Fact]
    public void NonHidingBytesAreUnchanged()
    {
        var rng = new Random(4242);
        var table = Naive.RandomTable(rng, 9);
        var data = LigeroPcs.Commit(new LigeroParameters(2, 40, false), table);
        GoldilocksExt2[][] points = [Naive.RandomPoint(rng, 9), Naive.RandomPoint(rng, 9)];
        var values = new GoldilocksExt2[2];
        var transcript = new Transcript("golden", Naive.Digest("golden"));
        data.Commitment.AbsorbInto(transcript);
        var opening = LigeroPcs.Open(transcript, data, points, values);
        var writer = new ProofWriter("GOLD", 1);
        data.Commitment.WriteTo(writer);
        writer.Write(values);
        writer.WriteBytes(opening.ToBytes());
        writer.Write(transcript.ChallengeExt("after"));
        Assert.Equal("DD765734092BFB583D276BCF130787F1AB01367219E51BF608452C333578C3D3", Convert.ToHexString(SHA256.HashData(writer.ToArray())));
    }
}
