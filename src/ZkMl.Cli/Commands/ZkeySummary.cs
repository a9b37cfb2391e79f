using System.Numerics;
using ZkMl.Snark.Groth16;

namespace ZkMl.Cli.Commands;

/// <summary>The line the setup commands print about the key they wrote.</summary>
internal static class ZkeySummary
{
    public static string Of(string zkeyPath, Groth16ProvingKey key) =>
        $"wrote {zkeyPath}: {key.VariableCount} wires, {key.PublicCount} public, domain 2^{BitOperations.Log2((uint)key.DomainSize)}";
}
