using ZkMl.Field;

namespace ZkMl.Gpu;

/// <summary>The CPU implementations handed out when no accelerator is used.</summary>
internal static class CpuFallback
{
    public static INtt<T> CreateNtt<T>() where T : struct, ITwoAdicField<T> => Ntt<T>.Instance;
}
