using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using ZkMl.Benchmarks;
using ZkMl.Benchmarks.Report;

// Every [Benchmark] class in this assembly is selectable, e.g.
//   dotnet run -c Release --project benchmarks/ZkMl.Benchmarks -- --filter '*Ntt*' --job short
// Add suites as new files with their own classes; no registration needed here.
// report [--out DIR] [--quick]: the plotted sweep of benchmarks/plots (see Report/ReportCommand).
if (args is [ReportCommand.Command, .. var reportArgs]) return ReportCommand.Run(reportArgs);
if (args is [ShapePoint.Command, .. var pointArgs]) return ShapePoint.Run(pointArgs);
if (args is [ZkLinearReductionBenchmarks.Command, .. var zkArgs]) return ZkLinearReductionBenchmarks.Run(zkArgs);
if (args is [PoseidonSpongeBenchmarks.Command, .. var spongeArgs]) return PoseidonSpongeBenchmarks.Run(spongeArgs);
if (args is [MerkleLeafBenchmarks.Command, .. var merkleArgs]) return MerkleLeafBenchmarks.Run(merkleArgs);
if (args is [LigeroCommitBenchmarks.Command, .. var ligeroArgs]) return LigeroCommitBenchmarks.Run(ligeroArgs);
if (args is [StepCpuBenchmarks.Command, .. var stepArgs]) return StepCpuBenchmarks.Run(stepArgs);
if (args is [ZkLookupGkrBenchmarks.Command, .. var gkrArgs]) return ZkLookupGkrBenchmarks.Run(gkrArgs);
if (args is [FieldMulRounds.Command, .. var fieldMulArgs]) return FieldMulRounds.Run(fieldMulArgs);
if (args is [MsmWindowSweep.Command, .. var msmWindowArgs]) return MsmWindowSweep.Run(msmWindowArgs);
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
return 0;
