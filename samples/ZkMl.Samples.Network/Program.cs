using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

// A local proving network as separate processes: the store (redis-server, when installed; else the embedded cluster), two
// silos, three data contributors (each attests its shard, checks its inclusion and reports its usage), a trainer (a Groth16
// run over the contributors' shards), three prover workers and three independent verifiers. Mid-run it kills a prover, a verifier and the
// store (restarted from its append-only file), and waits until the run is accepted. `--quiet` prints only the last line;
// `--redis host:port` uses an existing store (which the sample then does not kill).
bool quiet = args.Contains("--quiet");
int redisArg = Array.IndexOf(args, "--redis");
string? external = redisArg >= 0 && redisArg + 1 < args.Length ? args[redisArg + 1] : null;
string work = Path.Combine(Path.GetTempPath(), "zkml-network-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(work);
string node = Locate();
var children = new List<Process>();
void Say(string line) { if (!quiet) Console.WriteLine(line); }

Process Start(string file, string arguments, string log)
{
    var info = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    var p = Process.Start(info) ?? throw new InvalidOperationException("could not start " + file);
    var writer = TextWriter.Synchronized(new StreamWriter(Path.Combine(work, log + ".log")) { AutoFlush = true });
    p.OutputDataReceived += (_, e) => { if (e.Data is { } d) { writer.WriteLine(d); if (!quiet && log is not "silo-0" and not "silo-1" and not "redis") Console.WriteLine($"[{log}] {d}"); } };
    p.ErrorDataReceived += (_, e) => { if (e.Data is { } d) writer.WriteLine(d); };
    p.BeginOutputReadLine();
    p.BeginErrorReadLine();
    children.Add(p);
    return p;
}
Process Node(string arguments, string log) => Start("dotnet", $"\"{node}\" {arguments}", log);
async Task<(int Code, string Output)> NodeOnce(string arguments)
{
    var p = Process.Start(new ProcessStartInfo("dotnet", $"\"{node}\" {arguments}") { RedirectStandardOutput = true, RedirectStandardError = true })!;
    string output = await p.StandardOutput.ReadToEndAsync();
    await p.WaitForExitAsync();
    return (p.ExitCode, output);
}
static int FreePort()
{
    using var l = new TcpListener(IPAddress.Loopback, 0);
    l.Start();
    return ((IPEndPoint)l.LocalEndpoint).Port;
}

string? redisServer = external is null ? FindOnPath("redis-server") : null;
int redisPort = FreePort();
string? redis = external ?? (redisServer is null ? null : $"127.0.0.1:{redisPort}");
Process? store = null;
Process StartStore() => Start(redisServer!, $"--port {redisPort} --bind 127.0.0.1 --dir \"{work}\" --appendonly yes --appendfsync always --save \"\"", "redis");
int exit = 1;
try
{
    if (redisServer is not null) { store = StartStore(); Say($"store: redis-server on {redis} (append-only, fsync always)"); await Task.Delay(500); }
    else if (external is null) Say("store: redis-server not installed; the embedded cluster (one silo, in-memory state) is used and the store is not killed");
    string cluster = redis is null ? $"--gateway {FreePort()}" : $"--redis {redis}";
    int silos = redis is null ? 1 : 2;
    for (int i = 0; i < silos; i++)
        Node(redis is null ? $"silo {cluster} --silo-port {FreePort()}" : $"silo --redis {redis} --silo-port {FreePort()} --gateway {FreePort()}", $"silo-{i}");

    string job = Path.Combine(work, "job");
    string run = "run-" + Guid.NewGuid().ToString("N")[..6];
    await NodeOnce($"init --job \"{job}\" --steps 6 --audit 3 --verifiers 3 --contributors 3");
    var contributors = Enumerable.Range(0, 3).Select(i => Node($"contributor {cluster} --run {run} --job \"{job}\" --index {i}", $"contributor-{i}")).ToList();
    var verifiers = Enumerable.Range(0, 3).Select(i => Node($"verifier {cluster} --run {run} --job \"{job}\" --index {i}", $"verifier-{i}")).ToList();
    var provers = Enumerable.Range(0, 3).Select(i => Node($"prover {cluster} --run {run} --job \"{job}\" --id prover-{i}", $"prover-{i}")).ToList();
    var trainer = Node($"submit {cluster} --run {run} --job \"{job}\" --lease-seconds 15 --deadline-seconds 10", "trainer");

    // Once the challenged steps are drawn (provers leasing, verifiers assigned), kill a prover, a verifier and the store.
    string status = "";
    var deadline = DateTime.UtcNow.AddMinutes(8);
    bool killed = false;
    while (DateTime.UtcNow < deadline)
    {
        var (code, output) = await NodeOnce($"status {cluster} --run {run} --job \"{job}\" --quiet");
        status = output.Trim().Split('\n').LastOrDefault(l => l.StartsWith("run=", StringComparison.Ordinal)) ?? status;
        if (code == 0) break;
        if (!killed && status.Contains(" challenged=") && !status.Contains(" challenged=0 "))
        {
            killed = true;
            provers[0].Kill(entireProcessTree: true);
            verifiers[2].Kill(entireProcessTree: true);
            Say("killed prover-0 and verifier-2");
            if (store is not null)
            {
                store.Kill(entireProcessTree: true);
                await store.WaitForExitAsync();
                Say("killed the store; restarting it from its append-only file in 2 s");
                await Task.Delay(2000);
                store = StartStore();
            }
        }
        await Task.Delay(2000);
    }
    // The contributors end once the run settles, each with its shard's usage by the proven steps.
    await Task.WhenAny(Task.WhenAll(contributors.Select(c => c.WaitForExitAsync())), Task.Delay(TimeSpan.FromSeconds(30)));
    Console.WriteLine(status);
    exit = status.EndsWith("accepted=True", StringComparison.Ordinal) && status.Contains(" lost=0 ") && contributors.All(c => c.HasExited && c.ExitCode == 0) ? 0 : 1;
}
finally
{
    // Silos before the store: a silo whose store is gone hangs on SIGTERM.
    foreach (var p in children.Where(p => p != store && !p.HasExited)) { try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } }
    if (store is { HasExited: false }) store.Kill(entireProcessTree: true);
    if (exit == 0) Directory.Delete(work, recursive: true);
    else Console.Error.WriteLine("logs: " + work);
}
return exit;

static string Locate()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        foreach (var config in new[] { "Release", "Debug" })
        {
            string candidate = Path.Combine(dir.FullName, "src", "ZkMl.Node", "bin", config, "net10.0", "zkml-node.dll");
            if (File.Exists(candidate)) return candidate;
        }
    throw new FileNotFoundException("zkml-node.dll not found: build src/ZkMl.Node first.");
}

static string? FindOnPath(string name) =>
    (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
