using System.Runtime.InteropServices;

namespace ZkMl.Common;

/// <summary>
/// Allocation of the prover's large arrays (LDE columns, Merkle nodes, FRI layers). On Linux the array's memory is
/// advised for transparent huge pages before it is first touched: fresh memory otherwise faults in 4 KiB at a time, and
/// in virtual machines each such fault can cost ~20 us (measured: 1.3 s to touch 256 MiB, 2 ms with huge pages), which
/// for the gigabytes a 2^20-row proof allocates was a large part of the prover's time. Elsewhere this is a plain array.
/// </summary>
public static class LargeArray
{
    private const int HugePageSize = 1 << 21;
    private const int MadviseHugePage = 14; // MADV_HUGEPAGE
    private static bool s_adviseAvailable = OperatingSystem.IsLinux();

    [DllImport("libc", EntryPoint = "madvise", SetLastError = true)]
    private static extern int Madvise(nint address, nuint length, int advice);

    /// <summary>A zeroed array of <paramref name="length"/> elements.</summary>
    public static T[] New<T>(int length) where T : unmanaged
    {
        var array = new T[length];
        long bytes = (long)length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        if (s_adviseAvailable && bytes >= 2L * HugePageSize) AdviseHugePages(array, bytes);
        return array;
    }

    private static void AdviseHugePages<T>(T[] array, long bytes) where T : unmanaged
    {
        var handle = GCHandle.Alloc(array, GCHandleType.Pinned);
        try
        {
            long address = handle.AddrOfPinnedObject();
            long start = (address + HugePageSize - 1) & ~(long)(HugePageSize - 1);
            long end = (address + bytes) & ~(long)(HugePageSize - 1);
            if (end > start) Madvise((nint)start, (nuint)(end - start), MadviseHugePage); // advisory: failure only costs speed
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            s_adviseAvailable = false;
        }
        finally
        {
            handle.Free();
        }
    }
}
