using ZkMl.Hashing;
using ZkMl.Circuits.Gadgets;

namespace ZkMl.Training.Air;

/// <summary>A Poseidon state on the stack, for any field (stackalloc needs unmanaged types).</summary>
[System.Runtime.CompilerServices.InlineArray(GoldilocksPoseidon.Width)]
internal struct StateBuffer<TF>
{
    private TF _element;
}
