namespace ZkMl.Benchmarks.Report;

/// <summary>Files of the repository the report uses, found by walking up from the program.</summary>
internal static class Paths
{
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ZkMl.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("The repository root (ZkMl.sln) is not above the program.");
    }

    public static string Digits() => Path.Combine(Root(), "samples", "ZkMl.Samples.Training", "data", "digits.csv.gz");
}
