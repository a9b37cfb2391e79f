using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using ZkMl.Benchmarks;

// Every [Benchmark] class in this assembly is selectable, e.g.
//   dotnet run -c Release --project benchmarks/ZkMl.Benchmarks -- --filter '*Ntt*' --job short
// Add suites as new files with their own classes; no registration needed here.
// --cpu-clock (instead of --job): a short in-process job timed by process CPU time, see ProcessCpuClock.
IConfig? config = null;
if (args.Contains("--cpu-clock"))
{
    args = [.. args.Where(a => a != "--cpu-clock")];
    config = DefaultConfig.Instance.AddJob(Job.ShortRun
        .WithClock(ProcessCpuClock.Instance)
        .WithToolchain(InProcessEmitToolchain.Instance)
        .WithId("ShortRun-CpuClock"));
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
