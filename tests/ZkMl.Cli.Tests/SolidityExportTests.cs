using ZkMl.Snark.Formats;
using ZkMl.Snark.Solidity;
using ZkMl.Snark.Tests.Groth16;

namespace ZkMl.Cli.Tests;

/// <summary><c>zkml zkey export solidityverifier</c> and <c>soliditycalldata</c> against snarkjs's files and output.</summary>
[Collection(SnarkjsCollection.Name)]
public class SolidityExportTests
{
    private readonly SnarkjsFixture _fx;

    public SolidityExportTests(SnarkjsFixture fx) => _fx = fx;

    private static (int Code, string Out, string Err) Zkml(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = ZkmlCommand.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void SolidityCalldataPrintsWhatSnarkjsPrints()
    {
        var (code, output, err) = Zkml("zkey", "export", "soliditycalldata", _fx.PublicJson, _fx.ProofJson);
        Assert.True(code == 0, err);
        Assert.Equal(_fx.Snarkjs("zkey", "export", "soliditycalldata", _fx.PublicJson, _fx.ProofJson), output);
    }

    [Fact]
    public void SolidityVerifierWritesTheContractForTheZkeysVerifyingKey()
    {
        var sol = Path.Combine(_fx.Dir, $"{Guid.NewGuid():N}-verifier.sol");
        var (code, _, err) = Zkml("zkey", "export", "solidityverifier", _fx.Zkey, sol);
        Assert.True(code == 0, err);
        Assert.Equal(SolidityVerifier.Generate(Zkey.ReadVerifyingKey(_fx.Zkey)), File.ReadAllText(sol));
        Assert.Contains("function verifyProof(", File.ReadAllText(sol));
    }

    [Fact]
    public void HelpListsBothCommands()
    {
        var (_, output, _) = Zkml("--help");
        Assert.Contains("zkml zkey export solidityverifier <circuit_final.zkey> <verifier.sol>", output);
        Assert.Contains("zkml zkey export soliditycalldata <public.json> <proof.json>", output);
    }

    [Fact]
    public void MissingOrInvalidInputIsAOneLineErrorNamingTheFile()
    {
        var missing = Path.Combine(_fx.Dir, "no-such-public.json");
        var (code, output, err) = Zkml("zkey", "export", "soliditycalldata", missing, _fx.ProofJson);
        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.StartsWith($"error: {missing}", err);
        (code, _, err) = Zkml("zkey", "export", "solidityverifier", _fx.ProofJson, Path.Combine(_fx.Dir, "x.sol"));
        Assert.Equal(1, code);
        Assert.StartsWith($"error: {_fx.ProofJson}", err);
        Assert.Single(err.TrimEnd('\n').Split('\n'));
    }
}
