using System.Diagnostics;

namespace ZkMl.Network.Tests;

/// <summary>The network as separate processes on localhost against the real store (the sample with an external Redis).</summary>
public sealed class MultiProcessTests
{
    [RedisFact]
    public async Task SeparateProcessesCompleteTheRunThroughAProverAndAVerifierKilledMidRun()
    {
        string sample = Locate();
        var p = Process.Start(new ProcessStartInfo("dotnet", $"\"{sample}\" --quiet --redis {Environment.GetEnvironmentVariable("ZKML_REDIS")}")
        { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(9));
        await p.WaitForExitAsync(timeout.Token);
        string line = (await stdout).Trim().Split('\n')[^1];
        Assert.True(p.ExitCode == 0, line + "\n" + await stderr);
        Assert.Matches(@"^run=run-\w+ steps=6 challenged=3 proven=3 verified=3 lost=0 accepted=True$", line);
    }

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            foreach (var config in new[] { "Release", "Debug" })
            {
                string candidate = Path.Combine(dir.FullName, "samples", "ZkMl.Samples.Network", "bin", config, "net10.0", "ZkMl.Samples.Network.dll");
                if (File.Exists(candidate)) return candidate;
            }
        throw new FileNotFoundException("ZkMl.Samples.Network.dll not found: build samples/ZkMl.Samples.Network first.");
    }
}
