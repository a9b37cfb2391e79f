using System.Numerics;
using ZkMl.Circuits.Circom;
using ZkMl.Field;
using ZkMl.Hashing;

namespace ZkMl.Circom.Tests;

/// <summary>Our witness against snarkjs's <c>wtns calculate</c> on circomlib circuits, byte for byte, and our errors.</summary>
[Collection(CircomlibCollection.Name)]
public sealed class WitnessCalculatorTests(CircomlibFixture fx)
{
    private WitnessCalculator Load(CircomlibFixture.Circuit c) => WitnessCalculator.Load(c.Wasm, new WitnessCalculatorOptions { CacheDirectory = fx.CacheDir });

    private void AssertSameWtns(CircomlibFixture.Circuit circuit, string inputJson, string tag)
    {
        var expected = File.ReadAllBytes(fx.SnarkjsWitness(circuit, inputJson, tag));
        using var wc = Load(circuit);
        var ours = Path.Combine(fx.Dir, $"{circuit.Name}.{tag}.zkml.wtns");
        CircomWitness.WriteFile(wc.Calculate(inputJson), ours);
        Assert.Equal(expected, File.ReadAllBytes(ours));
        Assert.True(CircomR1cs.ReadFile<Bn254Fr>(circuit.R1cs).IsSatisfied(CircomWitness.ReadFile<Bn254Fr>(ours)));
    }

    [Fact]
    public void PoseidonWitnessIsByteIdenticalToSnarkjs()
    {
        const string input = """{"in": ["1", 2, "21888242871839275222246405745257275088548364400416034343698204186575808495616"]}""";
        AssertSameWtns(fx.Poseidon, input, "basic");
        using var wc = Load(fx.Poseidon);
        var w = wc.Calculate(input);
        Assert.Equal(Poseidon.Hash<Bn254Fr>([Bn254Fr.FromBigInteger(1), Bn254Fr.FromBigInteger(2), Bn254Fr.FromBigInteger(-1)]), w[1]);
        Assert.Equal(wc.WitnessSize, w.Length);
        Assert.Equal(3, wc.InputSize);
        Assert.StartsWith("2.", wc.CircomVersion, StringComparison.Ordinal);
    }

    [Fact]
    public void InputFormsAsSnarkjsReadsThem()
    {
        // Hex, negative, above the prime, booleans and nested arrays are reduced or flattened as JavaScript's BigInt does.
        AssertSameWtns(fx.Poseidon, """{"in": [["0x1F"], [-5, ["21888242871839275222246405745257275088548364400416034343698204186575808495620"]]]}""", "forms");
        using var wc = Load(fx.Poseidon);
        Assert.Equal(wc.Calculate("""{"in": [31, "-5", 3]}"""), wc.Calculate("""{"in": ["0x1f", -5, "3"]}"""));
    }

    [Fact]
    public void MerklePathWitnessIsByteIdenticalToSnarkjs()
    {
        AssertSameWtns(fx.Merkle, MerkleInput(out _), "valid");
    }

    [Fact]
    public void WrongMerkleRootFailsWithCircomsAssertMessage()
    {
        var input = MerkleInput(out var root).Replace(root.ToString(), (root + 1).ToString(), StringComparison.Ordinal);
        using var wc = Load(fx.Merkle);
        var e = Assert.Throws<WitnessCalculatorException>(() => wc.Calculate(input));
        Assert.Contains("Assert Failed", e.Message, StringComparison.Ordinal);
        Assert.Contains("MerklePath", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        // The instance recovers after the trap.
        Assert.Equal(wc.WitnessSize, wc.Calculate(MerkleInput(out _)).Length);
    }

    [Fact]
    public void EddsaPoseidonWitnessIsByteIdenticalToSnarkjs()
    {
        var input = BabyJubEddsa.SignedInput(BigInteger.Parse("123456789123456789123456789"), BigInteger.Parse("987654321987654321"), 42);
        AssertSameWtns(fx.Eddsa, input, "signed");
        using var wc = Load(fx.Eddsa);
        var bad = BabyJubEddsa.SignedInput(BigInteger.Parse("123456789123456789123456789"), BigInteger.Parse("987654321987654321"), 42)
            .Replace("\"M\": \"42\"", "\"M\": \"43\"", StringComparison.Ordinal);
        Assert.Throws<WitnessCalculatorException>(() => wc.Calculate(bad));
    }

    [Theory]
    [InlineData("""{"in": [1, 2, 3], "salt": 4}""", "'salt' is not an input signal")]
    [InlineData("""{"in": [1, 2]}""", "input signal 'in' takes 3 values, got 2")]
    [InlineData("""{"in": [1, 2, 3, 4]}""", "input signal 'in' takes 3 values, got 4")]
    [InlineData("""{"in": [1, "two", 3]}""", "input signal 'in': value 1 (\"two\") is not an integer")]
    [InlineData("""{"in": [1, 2.5, 3]}""", "input signal 'in': value 1 (2.5) is not an integer")]
    [InlineData("""{"in": [1, null, 3]}""", "input signal 'in': value 1 is null")]
    [InlineData("""{"in": [1, 2, 3], "in": [1, 2, 3]}""", "input signal 'in' is given twice")]
    [InlineData("""[1, 2, 3]""", "input must be a JSON object")]
    [InlineData("""{"in": [1, 2, 3]""", "input is not valid JSON")]
    [InlineData("""{}""", "not all inputs are set: 0 of the circuit's 3")]
    public void BadInputsAreClearErrors(string input, string expected)
    {
        using var wc = Load(fx.Poseidon);
        var e = Assert.Throws<WitnessCalculatorException>(() => wc.Calculate(input));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CompiledModuleIsCachedByHashAndReused()
    {
        var cache = Path.Combine(fx.Dir, "cache-" + Guid.NewGuid().ToString("N"));
        var options = new WitnessCalculatorOptions { CacheDirectory = cache };
        Bn254Fr[] first;
        using (var wc = WitnessCalculator.Load(fx.Poseidon.Wasm, options)) first = wc.Calculate("""{"in": [1, 2, 3]}""");
        var cached = Assert.Single(Directory.GetFiles(cache, "*.cwasm"));
        var written = File.GetLastWriteTimeUtc(cached);
        using (var wc = WitnessCalculator.Load(fx.Poseidon.Wasm, options)) Assert.Equal(first, wc.Calculate("""{"in": [1, 2, 3]}"""));
        Assert.Equal(written, File.GetLastWriteTimeUtc(cached));
        // A damaged cache entry is compiled again, not trusted.
        File.WriteAllBytes(cached, [1, 2, 3]);
        using (var wc = WitnessCalculator.Load(fx.Poseidon.Wasm, options)) Assert.Equal(first, wc.Calculate("""{"in": [1, 2, 3]}"""));
        using (var wc = WitnessCalculator.Load(fx.Poseidon.Wasm, new WitnessCalculatorOptions { DisableCache = true }))
            Assert.Equal(first, wc.Calculate("""{"in": [1, 2, 3]}"""));
    }

    [Fact]
    public void NotAWitnessCalculatorIsAClearError()
    {
        var path = Path.Combine(fx.Dir, "garbage.wasm");
        File.WriteAllBytes(path, [0, 1, 2, 3, 4]);
        var e = Assert.Throws<WitnessCalculatorException>(() => WitnessCalculator.Load(path, new WitnessCalculatorOptions { DisableCache = true }));
        Assert.Contains("not a WebAssembly module", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SignalHashIsCircomsFnv1a()
    {
        // fnvHash("main.in") in circom_runtime's utils.js splits 64-bit FNV-1a into two 32-bit halves.
        ulong h = 0xCBF29CE484222325;
        foreach (var c in "in") { h ^= c; h *= 0x100000001B3; }
        Assert.Equal(((int)(h >> 32), (int)h), WitnessCalculator.SignalHash("in"));
    }

    /// <summary>A depth-4 path for leaf 7 at index 5 (binary 0101) with siblings 100..103, and the root it hashes to.</summary>
    private static string MerkleInput(out BigInteger root)
    {
        var node = Bn254Fr.FromBigInteger(7);
        int[] bits = [1, 0, 1, 0];
        for (int i = 0; i < 4; i++)
        {
            var sib = Bn254Fr.FromBigInteger(100 + i);
            node = bits[i] == 1 ? Poseidon.Hash(sib, node) : Poseidon.Hash(node, sib);
        }
        root = node.ToBigInteger();
        return $$"""{"leaf": 7, "root": "{{root}}", "siblings": ["100", 101, "0x66", 103], "pathIndices": [1, 0, 1, 0]}""";
    }
}
