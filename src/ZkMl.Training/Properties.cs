using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("ZkMl.Training.Tests")]
[assembly: InternalsVisibleTo("ZkMl.Benchmarks")]
