using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace ZkMl.Snark.Msm;

/// <summary>
/// The MSM's per-call scratch arrays, pooled. Arrays of 4 MiB and more stay in a small pool of their own (the shared
/// <see cref="ArrayPool{T}"/> keeps few of a size per core, and a proof's concurrent MSMs and bucket groups each faulted
/// fresh ones in: d17's peak RSS 364 -> 310-340 MiB with this pool). Smaller ones come from <see cref="ArrayPool{T}.Shared"/>.
/// Returning clears only the prefix the caller used, so the untouched tail of a rounded-up array is never faulted in.
/// Huge pages (<c>LargeArray</c>) were tried for the large ones: no less CPU at 2^17, more system time (compaction).
/// </summary>
internal static class ScratchArrays<T> where T : unmanaged
{
    private const long LargeBytes = 4L << 20;

    /// <summary>Arrays kept per element type: enough for the prover's concurrent MSMs, not a cache of every size.</summary>
    private const int MaxPooled = 8;

    private static readonly List<T[]> s_free = [];

    private static bool IsLarge(long length) => length * Unsafe.SizeOf<T>() >= LargeBytes;

    /// <summary>An array of at least <paramref name="minimumLength"/> elements, with unspecified contents.</summary>
    public static T[] Rent(int minimumLength)
    {
        long rounded = (long)BitOperations.RoundUpToPowerOf2((uint)Math.Max(minimumLength, 1));
        if (!IsLarge(rounded) || rounded > Array.MaxLength) return ArrayPool<T>.Shared.Rent(minimumLength);
        lock (s_free)
        {
            int best = -1;
            for (int i = 0; i < s_free.Count; i++)
                if (s_free[i].Length >= minimumLength && (best < 0 || s_free[i].Length < s_free[best].Length)) best = i;
            if (best >= 0)
            {
                var array = s_free[best];
                s_free.RemoveAt(best);
                return array;
            }
        }
        return GC.AllocateUninitializedArray<T>((int)rounded);
    }

    /// <summary>Gives <paramref name="array"/> back, first clearing its first <paramref name="clearLength"/> elements.</summary>
    public static void Return(T[] array, int clearLength = 0)
    {
        if (clearLength > 0) Array.Clear(array, 0, Math.Min(clearLength, array.Length));
        if (!IsLarge(array.Length) || array.Length != (int)BitOperations.RoundUpToPowerOf2((uint)array.Length))
        {
            ArrayPool<T>.Shared.Return(array);
            return;
        }
        lock (s_free)
        {
            if (s_free.Count < MaxPooled) s_free.Add(array);
        }
    }
}
