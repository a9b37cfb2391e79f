using ZkMl.Field;
using ZkMl.Snark.Formats;
using ZkMl.Snark.Groth16;

namespace ZkMl.Snark.Tests.Groth16;

/// <summary>End-to-end compatibility with snarkjs 0.7.6 and circom2 (keys, proofs and JSON made by the peers).</summary>
[Collection(SnarkjsCollection.Name)]
public class SnarkjsInteropTests
{
    private readonly SnarkjsFixture _fx;
    private static readonly Groth16Prover Prover = new();

    public SnarkjsInteropTests(SnarkjsFixture fx) => _fx = fx;

    private string Temp(string name) => Path.Combine(_fx.Dir, $"{Guid.NewGuid():N}-{name}");

    [Fact]
    public void ZkeyHeaderMatchesTheCircuit()
    {
        var key = Zkey.ReadProvingKey(_fx.Zkey);
        Assert.Equal(_fx.Witness.Length, key.VariableCount);
        Assert.Equal(2, key.PublicCount);
        Assert.Equal(8, key.DomainSize); // 2 constraints + 3 public rows → 8
    }

    [Fact]
    public void SnarkjsAcceptsOurProofFromItsZkey()
    {
        var key = Zkey.ReadProvingKey(_fx.Zkey);
        var (proof, pub) = Prover.Prove(key, _fx.Witness);
        string proofPath = Temp("proof.json"), pubPath = Temp("public.json");
        SnarkjsJson.WriteProof(proofPath, proof);
        SnarkjsJson.WritePublicSignals(pubPath, pub);
        Assert.Equal(File.ReadAllText(_fx.PublicJson), File.ReadAllText(pubPath));
        Assert.True(_fx.SnarkjsVerifies(_fx.VkJson, pubPath, proofPath));
    }

    [Fact]
    public void SnarkjsRejectsOurProofForAnotherPublicInput()
    {
        var key = Zkey.ReadProvingKey(_fx.Zkey);
        var (proof, pub) = Prover.Prove(key, _fx.Witness);
        pub[1] += Bn254Fr.One;
        string proofPath = Temp("proof.json"), pubPath = Temp("public.json");
        SnarkjsJson.WriteProof(proofPath, proof);
        SnarkjsJson.WritePublicSignals(pubPath, pub);
        Assert.False(_fx.SnarkjsVerifies(_fx.VkJson, pubPath, proofPath));
    }

    [Fact]
    public void SnarkjsProofJsonRoundTripsByteForByte()
    {
        var text = File.ReadAllText(_fx.ProofJson);
        Assert.Equal(text, SnarkjsJson.ProofToJson(SnarkjsJson.ParseProof(text)));
        var pub = File.ReadAllText(_fx.PublicJson);
        Assert.Equal(pub, SnarkjsJson.PublicSignalsToJson(SnarkjsJson.ParsePublicSignals(pub)));
    }

    [Fact]
    public void PtauSetupMakesAZkeySnarkjsProvesAndVerifiesWith()
    {
        var qap = QapFromSnarkjsZkey();
        var key = Groth16Setup.SetupFromPtau(qap, _fx.Ptau);
        string zkey = Temp("ours.zkey"), vk = Temp("vk.json"), proof = Temp("proof.json"), pub = Temp("public.json");
        Zkey.Write(key, zkey);
        _fx.Snarkjs("zkey", "export", "verificationkey", zkey, vk);
        _fx.Snarkjs("groth16", "prove", zkey, _fx.Wtns, proof, pub);
        Assert.True(_fx.SnarkjsVerifies(vk, pub, proof));
        // and snarkjs accepts our prover's proof with our key
        var (ours, ourPub) = Prover.Prove(Zkey.ReadProvingKey(zkey), _fx.Witness);
        SnarkjsJson.WriteProof(proof, ours);
        SnarkjsJson.WritePublicSignals(pub, ourPub);
        Assert.True(_fx.SnarkjsVerifies(vk, pub, proof));
    }

    [Fact]
    public void ZkeyWriteRoundTripsThroughSnarkjsSections()
    {
        var key = Zkey.ReadProvingKey(_fx.Zkey);
        string copy = Temp("copy.zkey");
        Zkey.Write(key, copy);
        var again = Zkey.ReadProvingKey(copy);
        Assert.Equal(key.APoints, again.APoints);
        Assert.Equal(key.B2Points, again.B2Points);
        Assert.Equal(key.HPoints, again.HPoints);
        Assert.Equal(key.MatrixA.Values, again.MatrixA.Values);
        Assert.Equal(key.MatrixB.Signals, again.MatrixB.Signals);
    }

    /// <summary>The circuit's QAP shape, recovered from a .r1cs via snarkjs's JSON export.</summary>
    private QapShape QapFromSnarkjsZkey()
    {
        string json = Temp("r1cs.json");
        _fx.Snarkjs("r1cs", "export", "json", _fx.R1cs, json);
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(json));
        var root = doc.RootElement;
        int nVars = root.GetProperty("nVars").GetInt32();
        int nPub = root.GetProperty("nOutputs").GetInt32() + root.GetProperty("nPubInputs").GetInt32();
        var a = new List<(int, int, Bn254Fr)>();
        var b = new List<(int, int, Bn254Fr)>();
        var c = new List<(int, int, Bn254Fr)>();
        int row = 0;
        foreach (var constraint in root.GetProperty("constraints").EnumerateArray())
        {
            var parts = constraint.EnumerateArray().ToArray();
            foreach (var (part, list) in new[] { (parts[0], a), (parts[1], b), (parts[2], c) })
                foreach (var term in part.EnumerateObject())
                    list.Add((row, int.Parse(term.Name), Bn254Fr.FromBigInteger(System.Numerics.BigInteger.Parse(term.Value.GetString()!))));
            row++;
        }
        return new QapShape { VariableCount = nVars, PublicCount = nPub, ConstraintCount = row, A = a.ToArray(), B = b.ToArray(), C = c.ToArray() };
    }
}
