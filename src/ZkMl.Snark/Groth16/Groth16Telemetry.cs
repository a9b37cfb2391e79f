using ZkMl.Common;

namespace ZkMl.Snark.Groth16;

/// <summary>Tracing and metrics of the Groth16 setup and prover phases (source and meter <see cref="Name"/>).</summary>
public static class Groth16Telemetry
{
    /// <summary>Name of the activity source and meter: phases <c>setup</c>, <c>quotient</c> (the NTTs), <c>msm</c>.</summary>
    public const string Name = "ZkMl.Snark";

    internal static readonly PhaseTelemetry Telemetry = new(Name);
}
