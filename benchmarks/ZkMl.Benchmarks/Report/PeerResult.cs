namespace ZkMl.Benchmarks.Report;

/// <summary>One `groth16 prove` of a dense-layer circom circuit by one prover, from benchmarks/peer/run.sh.</summary>
internal sealed record PeerResult(string Prover, int N, int M, long Constraints, double WallSeconds, double CpuSeconds, double PeakRssMib);
