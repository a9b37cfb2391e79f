
namespace ZkMl.Benchmarks.Report;

// ZkMl.Benchmarks has its own Backend (the GPU suites').
using Backend = ZkMl.Training.Backend;

/// <summary>One measured (or refused, or timed-out) point of the shape sweep.</summary>
internal sealed record ShapeResult(Backend Backend, int Hidden, int Batch, long Macs, string Status,
    double? SetupSeconds, double? ProveSeconds, double? VerifySeconds, int? ProofBytes, double? PeakRssMib, string Note);
