using BenchmarkDotNet.Running;

// Every [Benchmark] class in this assembly is selectable, e.g.
//   dotnet run -c Release --project benchmarks/ZkMl.Benchmarks -- --filter '*Ntt*' --job short
// Add suites as new files with their own classes; no registration needed here.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
