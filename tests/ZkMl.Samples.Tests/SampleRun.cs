using System.Reflection;

namespace ZkMl.Samples.Tests;

/// <summary>
/// One tiny real run of the training sample, in process (its entry point): Groth16, 64-1-10, batch 1, one epoch (1,400 steps),
/// one audited step, with --report and --json.
/// </summary>
public sealed class SampleRun : IDisposable
{
    public SampleRun()
    {
        Directory.CreateDirectory(Folder);
        string[] args = ["--epochs", "1", "--hidden", "1", "--batch", "1", "--audit", "sample:2", "--quiet", "--data", "digits",
            "--out", Path.Combine(Folder, "transcript.json"), "--report", ReportFolder, "--json", JsonPath];
        var entry = Assembly.Load("ZkMl.Samples.Training").EntryPoint!;
        ExitCode = (int)entry.Invoke(null, [args])!;
    }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "zkml-sample-report-" + Guid.NewGuid().ToString("N"));
    public string ReportFolder => Path.Combine(Folder, "report");
    public string JsonPath => Path.Combine(Folder, "run.json");
    public int ExitCode { get; }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
