using System.Diagnostics;

namespace ZkMl.Cli;

/// <summary>The tool's own activity source (file reading and writing around the libraries' phases; see <see cref="PhaseTimings"/>).</summary>
internal static class CliTelemetry
{
    /// <summary>Source "ZkMl.Cli": nobody listening costs one check per activity.</summary>
    public static readonly ActivitySource Source = new("ZkMl.Cli");
}
