using ZkMl.Field;

namespace ZkMl.Stark.Internal;

/// <summary>Opened leaves (k extension values each) of one FRI layer with their multi-proof.</summary>
internal sealed record FriLayerOpening(GoldilocksExt2[][] Leaves, byte[][] Proof);
