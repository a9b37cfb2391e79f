namespace ZkMl.Fuzz.Tests;

/// <summary>
/// Every file of tests/ZkMl.Fuzz/corpus/&lt;target&gt; (seeds) and tests/ZkMl.Fuzz/regressions/&lt;target&gt; (minimized
/// crashes, one per finding) run through its target: the outcome must be a documented exception or a value, within the
/// target's memory bound and (scaled for a busy test machine) its time bound.
/// </summary>
public sealed class CorpusReplayTests
{
    // Test runs share the machine with other test processes; the bound is for catching blow-ups, not for benchmarking.
    private const double TimeSlack = 5;

    private static readonly string FuzzDir = Path.Combine(RepoRoot(), "tests", "ZkMl.Fuzz");

    public static TheoryData<string, string> Seeds() => Files("corpus");

    public static TheoryData<string, string> Regressions() => Files("regressions");

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Seed_keeps_the_contract(string target, string file) => Replay(target, "corpus", file);

    [Theory]
    [MemberData(nameof(Regressions))]
    public void Finding_stays_fixed(string target, string file) => Replay(target, "regressions", file);

    [Fact]
    public void Every_target_has_seeds()
    {
        foreach (var t in Targets.All)
            Assert.True(Directory.Exists(Path.Combine(FuzzDir, "corpus", t.Name)) && Directory.EnumerateFiles(Path.Combine(FuzzDir, "corpus", t.Name)).Any(),
                $"no seeds for {t.Name}");
    }

    [Fact]
    public void Valid_seeds_are_accepted()
    {
        Assert.Equal("True", Run("groth16-verify", "corpus", "snarkjs-proof.json"));
        Assert.Equal("True", Run("stark-verify", "corpus", "ours-fib16.bin"));
        Assert.Equal("accepted", Run("verify-run", "corpus", "ours-run.json"));
        Assert.Equal("True", Run("ligero-zero-tail", "corpus", "ours-tail11of16.bin"));
        Assert.Equal("False", Run("ligero-zero-tail", "corpus", "ours-flipped-rows.bin"));
        Assert.Equal("True", Run("ligero-opening", "corpus", "ours-hiding16.bin"));
        Assert.Equal("True", Run("zk-sumcheck", "corpus", "ours-n3.bin"));
        Assert.Equal("True", Run("zk-fractional-gkr", "corpus", "ours-n3.bin"));
        Assert.Equal("True", Run("zk-linear-reduction", "corpus", "ours-k2.bin"));
    }

    private static void Replay(string target, string kind, string file) => Run(target, kind, file);

    private static string Run(string target, string kind, string file)
    {
        var t = Targets.Find(target) ?? throw new InvalidOperationException($"unknown target {target}");
        return (t with { TimeBound = t.TimeBound * TimeSlack }).Execute(File.ReadAllBytes(Path.Combine(FuzzDir, kind, target, file)));
    }

    private static TheoryData<string, string> Files(string kind)
    {
        var data = new TheoryData<string, string>();
        string dir = Path.Combine(FuzzDir, kind);
        if (!Directory.Exists(dir)) return data;
        foreach (var targetDir in Directory.GetDirectories(dir).Order())
            foreach (var file in Directory.GetFiles(targetDir).Order())
                data.Add(Path.GetFileName(targetDir), Path.GetFileName(file));
        return data;
    }

    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "ZkMl.sln"))) return d.FullName;
        throw new InvalidOperationException("ZkMl.sln not found above " + AppContext.BaseDirectory);
    }
}
