using ZkMl.Circuits.Circom;
using ZkMl.Circuits.Gadgets;
using ZkMl.Hashing;
using ZkMl.Field;
using ZkMl.Tests.Shared;
using F = ZkMl.Field.Bn254Fr;

namespace ZkMl.Circuits.Tests;

public class PoseidonGadgetTests : IClassFixture<CircomFixture>
{
    private readonly CircomFixture _fx;
    public PoseidonGadgetTests(CircomFixture fx) => _fx = fx;

    private static F V(long x) => SignedValues.FromInt64<F>(x);

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
            var outW = b.PublicOutput(PoseidonGadget.Hash(b, ins.Select(b.PrivateInput).ToArray()));
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
        var outW = b.PublicOutput(PoseidonGadget.Hash(b, b.PrivateInput(V(1)), b.PrivateInput(V(2))));
        R1csBuilderTests.AssertEveryWireIsBound(b.Build());
    }
}
