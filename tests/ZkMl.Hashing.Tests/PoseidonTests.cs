using System.Numerics;
using System.Text.RegularExpressions;
using ZkMl.Field;
using ZkMl.Tests.Shared;
using F = ZkMl.Field.Bn254Fr;

namespace ZkMl.Hashing.Tests;

public class PoseidonTests
{
    private static F V(long x) => F.FromUInt64((ulong)x);

    [Fact]
    public void MatchesThePublishedVector()
    {
        var h = Poseidon.Hash<F>([V(1), V(2)]);
        Assert.Equal(BigInteger.Parse("0115cc0f5e7d690413df64c6b9662e9cf2a3617f2743245519e19607a4417189a", System.Globalization.NumberStyles.HexNumber), h.ToBigInteger());
    }

    /// <summary>Parses circomlib's unoptimised constants file (test time only; the file itself is not ours to ship).</summary>
    private static Dictionary<int, (BigInteger[] C, BigInteger[][] M)> CircomlibConstants()
    {
        var text = File.ReadAllText(Path.Combine(NpmPeers.CircomlibCircuits, "poseidon_constants_old.circom"));
        int mStart = text.IndexOf("function POSEIDON_M", StringComparison.Ordinal);
        var result = new Dictionary<int, (BigInteger[], BigInteger[][])>();
        static Dictionary<int, string> Blocks(string s)
        {
            var d = new Dictionary<int, string>();
            foreach (Match m in Regex.Matches(s, @"t == (\d+)\) \{\s*return (.*?);\s*\}", RegexOptions.Singleline))
                d[int.Parse(m.Groups[1].Value)] = m.Groups[2].Value;
            return d;
        }
        static BigInteger[] Numbers(string s) => Regex.Matches(s, @"0x[0-9a-fA-F]+|\d+").Select(m =>
            m.Value.StartsWith("0x") ? BigInteger.Parse("0" + m.Value[2..], System.Globalization.NumberStyles.HexNumber) : BigInteger.Parse(m.Value)).ToArray();
        var cs = Blocks(text[..mStart]);
        var ms = Blocks(text[mStart..]);
        foreach (var (t, c) in cs)
        {
            var flat = Numbers(ms[t]);
            result[t] = (Numbers(c), Enumerable.Range(0, t).Select(i => flat[(i * t)..((i + 1) * t)]).ToArray());
        }
        return result;
    }

    [Fact]
    public void GrainGeneratedConstantsEqualCircomlibsForEveryWidth()
    {
        var published = CircomlibConstants();
        Assert.Equal(16, published.Count);
        foreach (var (t, (c, m)) in published)
        {
            var p = PoseidonParameters<F>.Circomlib(t - 1);
            Assert.Equal(c, p.RoundConstants.Select(x => x.ToBigInteger()).ToArray());
            for (int i = 0; i < t; i++)
                for (int j = 0; j < t; j++)
                    Assert.Equal(m[i][j], p.Mds[i, j].ToBigInteger());
        }
    }
}
