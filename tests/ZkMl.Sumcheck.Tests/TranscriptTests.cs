using ZkMl.Field;

namespace ZkMl.Sumcheck.Tests;

public class TranscriptTests
{
    [Fact]
    public void SameStatementAndMessagesGiveTheSameChallenges()
    {
        var a = new Transcript("p", [1, 2, 3]);
        var b = new Transcript("p", [1, 2, 3]);
        a.Absorb("m", [GoldilocksExt2.One]);
        b.Absorb("m", [GoldilocksExt2.One]);
        Assert.Equal(a.ChallengeExt("c"), b.ChallengeExt("c"));
        Assert.Equal(a.ChallengeBase("c"), b.ChallengeBase("c"));
    }

    [Fact]
    public void ChallengesDependOnProtocolStatementLabelsMessagesAndOrder()
    {
        static GoldilocksExt2 Run(string protocol, byte[] statement, string label, ulong first, ulong second)
        {
            var t = new Transcript(protocol, statement);
            t.Absorb(label, first);
            t.Absorb(label, second);
            return t.ChallengeExt("c");
        }
        var reference = Run("p", [1], "m", 1, 2);
        Assert.NotEqual(reference, Run("q", [1], "m", 1, 2));
        Assert.NotEqual(reference, Run("p", [2], "m", 1, 2));
        Assert.NotEqual(reference, Run("p", [1], "n", 1, 2));
        Assert.NotEqual(reference, Run("p", [1], "m", 2, 1));
        Assert.NotEqual(reference, Run("p", [1], "m", 1, 3));
    }

    [Fact]
    public void SuccessiveChallengesDifferAndAreCanonical()
    {
        var t = new Transcript("p", []);
        var seen = new HashSet<GoldilocksExt2>();
        for (int i = 0; i < 1000; i++)
        {
            var c = t.ChallengeExt("c");
            Assert.True(c.C0.Value < Goldilocks.P && c.C1.Value < Goldilocks.P);
            Assert.True(seen.Add(c));
        }
    }
}
