namespace ZkMl.Samples.Tests;

internal static class RepoPaths
{
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ZkMl.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("ZkMl.sln is not above the test assembly.");
    }
}
