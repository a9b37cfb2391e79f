using System.Reflection;

namespace ZkMl.Cli.Tests;

/// <summary>The command-line surface of zkml (help, version, usage errors, missing files); needs no circuit files.</summary>
public class CommandLineTests
{
    private static (int Code, string Out, string Err) Zkml(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = ZkmlCommand.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static void AssertOneLineError(string err)
    {
        Assert.StartsWith("error: ", err);
        Assert.Single(err.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void VersionPrintsTheInformationalVersion()
    {
        var (code, output, err) = Zkml("--version");
        Assert.Equal(0, code);
        Assert.Empty(err);
        string expected = typeof(ZkmlCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        Assert.Equal(expected, output.Trim());
        // MinVer: informational "0.2.0-alpha.0.12+sha", file version "0.2.0.0" (the assembly version keeps only the major).
        string fileVersion = typeof(ZkmlCommand).Assembly.GetCustomAttribute<AssemblyFileVersionAttribute>()!.Version;
        Assert.StartsWith(new Version(fileVersion).ToString(3), expected);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    public void HelpListsEveryCommandWithItsArguments(string flag)
    {
        var (code, output, err) = Zkml(flag);
        Assert.Equal(0, code);
        Assert.Empty(err);
        foreach (var usage in new[]
                 {
                     "zkml groth16 prove <circuit.zkey> <witness.wtns> <proof.json> <public.json>",
                     "zkml groth16 verify <verification_key.json> <public.json> <proof.json>",
                     "zkml groth16 setup <circuit.r1cs> <powersoftau.ptau> <circuit.zkey>",
                     "zkml groth16 devsetup <circuit.r1cs> <circuit.zkey>",
                     "zkml zkey export verificationkey <circuit.zkey> <verification_key.json>",
                     "zkml r1cs info <circuit.r1cs>",
                     "zkml --version",
                 })
            Assert.Contains(usage, output);
    }

    [Fact]
    public void NoArgumentsPrintsTheUsageAsAnError()
    {
        var (code, output, err) = Zkml();
        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Contains("zkml groth16 prove", err);
    }

    [Fact]
    public void HelpOfOneCommandDescribesItsArguments()
    {
        var (code, output, _) = Zkml("groth16", "verify", "--help");
        Assert.Equal(0, code);
        Assert.Contains("zkml groth16 verify <verification_key.json> <public.json> <proof.json>", output);
        Assert.Contains("Prints OK", output);
        Assert.DoesNotContain("groth16 prove", output);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("groth16", "frobnicate", "a")]
    [InlineData("groth16")]
    [InlineData("groth16", "verify", "vk.json", "public.json", "proof.json", "extra.json")]
    [InlineData("r1cs", "info", "c.r1cs", "--no-such-option")]
    public void UnknownCommandOrArgumentIsAOneLineUsageError(params string[] args)
    {
        var (code, output, err) = Zkml(args);
        Assert.Equal(2, code);
        Assert.Empty(output);
        AssertOneLineError(err);
        Assert.Contains("zkml --help", err);
    }

    [Fact]
    public void MissingFileErrorNamesTheFile()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"zkml-{Guid.NewGuid():N}");
        string r1cs = Path.Combine(dir, "missing.r1cs");
        var (code, output, err) = Zkml("r1cs", "info", r1cs);
        Assert.Equal(1, code);
        Assert.Empty(output);
        AssertOneLineError(err);
        Assert.Contains(r1cs, err);

        Directory.CreateDirectory(dir);
        try
        {
            string vk = Path.Combine(dir, "verification_key.json");
            (code, _, err) = Zkml("groth16", "verify", vk, Path.Combine(dir, "public.json"), Path.Combine(dir, "proof.json"));
            Assert.Equal(1, code);
            AssertOneLineError(err);
            Assert.Contains(vk, err);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
