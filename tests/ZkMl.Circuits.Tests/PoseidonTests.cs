using System.Numerics;
using System.Text.RegularExpressions;
using ZkMl.Circuits.Circom;
using ZkMl.Circuits.Hashing;
using ZkMl.Field;
using ZkMl.Tests.Shared;
using F = ZkMl.Field.Bn254Fr;

namespace ZkMl.Circuits.Tests;

public class PoseidonTests : IClassFixture<CircomFixture>
{
    private readonly CircomFixture _fx;
    public PoseidonTests(CircomFixture fx) => _fx = fx;

    private static F V(long x) => SignedValues.FromInt64<F>(x);

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

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(16)]
    public void GadgetEqualsNativeAndCircomlibsCompiledCircuit(int n)
    {
        var rng = new Random(n);
        var inputs = Enumerable.Range(0, n).Select(_ => F.Random(rng)).ToArray();
        var native = Poseidon.Hash<F>(inputs);

        var b = new R1csBuilder<F>();
        var ins = inputs.Select(b.PrivateInput).ToArray();
        var outW = b.PublicOutput(Poseidon.Hash(b, ins));
        var built = b.Build();
        Assert.True(built.System.IsSatisfied(built.Witness));
        Assert.Equal(native, built.Witness[built.WireOf(outW)]);
        var p = PoseidonParameters<F>.Circomlib(n);
        // 3 per S-box, minus the first round's constant state[0], plus the public output
        Assert.Equal(3 * (p.FullRounds * p.Width + p.PartialRounds) - 3 + 1, built.System.ConstraintCount);

        var name = $"poseidon{n}";
        var (_, wasm) = _fx.Compile(name, $$"""
            pragma circom 2.0.0;
            include "poseidon.circom";
            template H() { signal input in[{{n}}]; signal output out; component p = Poseidon({{n}}); for (var i = 0; i < {{n}}; i++) { p.inputs[i] <== in[i]; } out <== p.out; }
            component main = H();
            """, "poseidon.circom", "poseidon_constants.circom");
        var json = "{\"in\": [" + string.Join(",", inputs.Select(x => $"\"{x}\"")) + "]}";
        var wtns = CircomWitness.ReadFile<F>(_fx.CalculateWitness(wasm, json, name));
        Assert.Equal(native, wtns[1]); // wire 1 = the public output
    }

    [Fact]
    public void ChangingTheOutputOrAnyIntermediateBreaksTheGadget()
    {
        var b = new R1csBuilder<F>();
        var outW = b.PublicOutput(Poseidon.Hash(b, b.PrivateInput(V(1)), b.PrivateInput(V(2))));
        R1csBuilderTests.AssertEveryWireIsBound(b.Build());
    }
}
