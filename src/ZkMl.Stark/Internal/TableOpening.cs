using ZkMl.Field;

namespace ZkMl.Stark.Internal;

/// <summary>Opened Merkle leaves of one committed table (rows of the LDE) with their multi-proof.</summary>
/// <param name="Salts">One per opened leaf (zero knowledge only; empty otherwise).</param>
/// <param name="Rows">One per opened leaf.</param>
/// <param name="Proof">The Merkle multi-proof.</param>
internal sealed record TableOpening(byte[][] Salts, Goldilocks[][] Rows, byte[][] Proof)
{
    public static TableOpening Empty { get; } = new([], [], []);
}
