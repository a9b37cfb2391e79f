using ZkMl.Common;

namespace ZkMl.Sumcheck;

/// <summary>
/// Tracing and metrics of the sumcheck provers' phases (source and meter <see cref="Name"/>): <c>commit.encode</c> (Reed-Solomon
/// encoding of a Ligero commitment's rows), <c>commit.merkle</c> (hashing its columns into the BLAKE3 tree), <c>matmul.contract</c>
/// (the matrix-product sumcheck's contraction with the eq tables), <c>sumcheck</c> (rounds of a product sumcheck; <c>sumcheck.gkr</c>
/// a fractional-sum GKR layer's, <c>sumcheck.sponge</c> the in-proof Poseidon's, <c>sumcheck.zklr</c> a linear reduction's),
/// <c>lookup</c> (LogUp with its fractional-sum GKR trees), <c>open</c> (a Ligero opening; its activity carries the opening's
/// bytes by part: <c>ligero.bytes.rows</c>, <c>ligero.bytes.columns</c>, <c>ligero.bytes.merkle</c>). Phases nest (a lookup runs
/// sumchecks, a step's blocks commit and open): a phase's own time is its duration less its children's.
/// </summary>
public static class SumcheckTelemetry
{
    /// <summary>Name of the activity source and meter.</summary>
    public const string Name = "ZkMl.Sumcheck";

    /// <summary>The source and meter; callers composing these protocols may time their own phases on it.</summary>
    public static PhaseTelemetry Telemetry { get; } = new(Name);
}
