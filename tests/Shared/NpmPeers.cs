using System.Diagnostics;

namespace ZkMl.Tests.Shared;

/// <summary>
/// Locates the pinned npm peers (circom2, snarkjs, circomlib, solc, @ethereumjs/evm) under interop/node_modules, installing them with
/// <c>npm ci</c> on first use when they are missing, and runs their CLIs. Shared by several test projects.
/// </summary>
internal static class NpmPeers
{
    private static readonly Lazy<string> InteropDir = new(Install, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The repository root (the folder holding ZkMl.sln).</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>interop/node_modules, installed if needed.</summary>
    public static string NodeModules => Path.Combine(InteropDir.Value, "node_modules");

    /// <summary>Path of the circom2 CLI script.</summary>
    public static string Circom2 => Path.Combine(NodeModules, "circom2", "cli.js");

    /// <summary>Path of the snarkjs CLI script.</summary>
    public static string Snarkjs => Path.Combine(NodeModules, "snarkjs", "build", "cli.cjs");

    /// <summary>circomlib's circuits folder.</summary>
    public static string CircomlibCircuits => Path.Combine(NodeModules, "circomlib", "circuits");

    /// <summary>Runs circom2 in <paramref name="workDir"/> (it only sees files below its working directory's ancestors by relative path).</summary>
    public static string RunCircom2(string workDir, params string[] args) => RunNode(workDir, Circom2, args);

    /// <summary>Runs the snarkjs CLI in <paramref name="workDir"/>.</summary>
    public static string RunSnarkjs(string workDir, params string[] args) => RunNode(workDir, Snarkjs, args);

    /// <summary>Runs <c>node script args</c>, returning stdout+stderr; throws with the output when the exit code is not 0.</summary>
    public static string RunNode(string workDir, string script, params string[] args)
    {
        var all = new List<string> { script };
        all.AddRange(args);
        // Generous: a shared 2-core machine under parallel test load runs snarkjs several times slower than when idle.
        var (code, output) = Run("node", workDir, all, TimeSpan.FromMinutes(15));
        if (code != 0)
            throw new InvalidOperationException($"node {Path.GetFileName(script)} {string.Join(' ', args)} exited with {code}:\n{output}");
        return output;
    }

    /// <summary>Creates a fresh temporary folder for one test's files.</summary>
    public static string NewTempDir(string prefix)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"zkml-{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ZkMl.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"ZkMl.sln not found above {AppContext.BaseDirectory}");
    }

    private static string Install()
    {
        var interop = Path.Combine(RepoRoot, "interop");
        // One file per pinned package: a node_modules from before a package was added is installed again.
        string[] markers = ["snarkjs/package.json", "circom2/cli.js", "solc/package.json", "@ethereumjs/evm/package.json"];
        bool Installed() => markers.All(m => File.Exists(Path.Combine(interop, "node_modules", m)));
        if (Installed())
            return interop;
        // Serialise concurrent installs from several test processes with an exclusive lock file.
        using var lockFile = AcquireLock(Path.Combine(Path.GetTempPath(), "zkml-npm-ci.lock"));
        if (!Installed())
        {
            var (code, output) = Run("npm", interop, ["ci", "--no-audit", "--no-fund", "--loglevel=error"], TimeSpan.FromMinutes(10));
            if (code != 0)
                throw new InvalidOperationException($"npm ci in {interop} failed ({code}):\n{output}");
        }
        return interop;
    }

    private static FileStream AcquireLock(string path)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(10);
        while (true)
        {
            try { return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); }
            catch (IOException) when (DateTime.UtcNow < deadline) { Thread.Sleep(200); }
        }
    }

    private static (int Code, string Output) Run(string file, string workDir, IEnumerable<string> args, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(file)
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {timeout}");
        }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}
