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

    private static readonly int[] Arities = [1, 2, 5, 16];

    [Fact]
    public void GadgetEqualsNativeAndCircomlibsCompiledCircuit()
    {
        var rng = new Random(7);
        var inputs = Arities.Select(n => Enumerable.Range(0, n).Select(_ => F.Random(rng)).ToArray()).ToArray();
        var natives = inputs.Select(x => Poseidon.Hash<F>(x)).ToArray();

        foreach (var ins in inputs)
        {
            var b = new R1csBuilder<F>();
            var outW = b.PublicOutput(Poseidon.Hash(b, ins.Select(b.PrivateInput).ToArray()));
            var built = b.Build();
            Assert.True(built.System.IsSatisfied(built.Witness));
            Assert.Equal(Poseidon.Hash<F>(ins), built.Witness[built.WireOf(outW)]);
            var p = PoseidonParameters<F>.Circomlib(ins.Length);
            // 3 per S-box, minus the first round's constant state[0], plus the public output
            Assert.Equal(3 * (p.FullRounds * p.Width + p.PartialRounds) - 3 + 1, built.System.ConstraintCount);
        }

        // One circom circuit hashing with Poseidon(1), (2), (5) and (16): outputs are wires 1..4.
        var decl = string.Concat(Arities.Select(n => $"signal input in{n}[{n}]; component p{n} = Poseidon({n}); for (var i = 0; i < {n}; i++) {{ p{n}.inputs[i] <== in{n}[i]; }} "));
        var outs = string.Concat(Arities.Select((n, k) => $"out[{k}] <== p{n}.out; "));
        var (r1csPath, wasm) = _fx.Compile("poseidons", $$"""
            pragma circom 2.0.0;
            include "poseidon.circom";
            template H() { signal output out[{{Arities.Length}}]; {{decl}} {{outs}} }
            component main = H();
            """, "poseidon.circom", "poseidon_constants.circom");
        var json = "{" + string.Join(",", Arities.Select((n, k) => $"\"in{n}\": [" + string.Join(",", inputs[k].Select(x => $"\"{x}\"")) + "]")) + "}";
        var wtns = CircomWitness.ReadFile<F>(_fx.CalculateWitness(wasm, json, "poseidons"));
        Assert.Equal(natives, wtns[1..(1 + Arities.Length)]);
        // circom's own constraints, read by our reader, accept circom's witness and reject a changed output.
        var system = CircomR1cs.ReadFile<F>(r1csPath);
        Assert.True(system.IsSatisfied(wtns, out var failure), failure?.Description);
        wtns[1] += F.One;
        Assert.False(system.IsSatisfied(wtns));
    }

    [Fact]
    public void ChangingTheOutputOrAnyIntermediateBreaksTheGadget()
    {
        var b = new R1csBuilder<F>();
        var outW = b.PublicOutput(Poseidon.Hash(b, b.PrivateInput(V(1)), b.PrivateInput(V(2))));
        R1csBuilderTests.AssertEveryWireIsBound(b.Build());
    }
}
