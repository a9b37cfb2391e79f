namespace ZkMl.Gpu.Kernels;

/// <summary>
/// Field arithmetic on a device element type. Implemented by empty structs so that kernels are specialised
/// per field (ILGPU resolves constrained calls on struct type parameters at compile time).
/// </summary>
internal interface IKernelField<TElement> where TElement : unmanaged
{
    TElement One { get; }
    TElement Add(TElement a, TElement b);
    TElement Sub(TElement a, TElement b);
    TElement Mul(TElement a, TElement b);
}
