using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace ZkMl.Cli;

/// <summary>
/// Hands the process to the AVX-512 build of the tool where the CPU has AVX-512. Native AOT fixes the instruction sets at
/// compile time and never takes AVX-512 opportunistically, so the portable build (x86-64-v3) compiles the MSM's AVX-512
/// lanes out; a linux-x64 publish therefore also compiles the tool for x86-64-v4 as <see cref="BinaryName"/> beside it
/// (ZkMl.Cli.csproj), and the portable one replaces itself by it (execv: same process id, arguments, standard streams and
/// exit code) before doing anything else. Measured at 2^17: 1.77 s against 0.98 s a proof. ZKML_AVX512=0 keeps the
/// portable build.
/// </summary>
internal static unsafe class Avx512Relaunch
{
    /// <summary>File name of the AVX-512 build, in the portable one's folder.</summary>
    internal const string BinaryName = "zkml-avx512";

    /// <summary>Set to 0 to stay on the portable build.</summary>
    internal const string Variable = "ZKML_AVX512";

    [DllImport("libc", EntryPoint = "execv", SetLastError = true)]
    private static extern int Execv(byte* path, byte** argv);

    /// <summary>
    /// Replaces the process by the AVX-512 build when this code has no AVX-512 (the portable Native AOT build), the CPU
    /// and OS have it, and the build is there; otherwise (and if execv fails) returns and the portable build runs on.
    /// </summary>
    public static void TryRelaunch(string[] args)
    {
        // AVX-512 code already (that build, or the JIT on such a CPU), or not a native build of the tool.
        if (Avx512F.IsSupported || !OperatingSystem.IsLinux() || !X86Base.IsSupported
            || System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported)
            return;
        if (Environment.GetEnvironmentVariable(Variable) == "0" || !CpuHasAvx512()) return;
        string? self = Environment.ProcessPath;
        if (self == null) return;
        string target = Path.Combine(Path.GetDirectoryName(self)!, BinaryName);
        if (!File.Exists(target)) return;

        var strings = new string[args.Length + 1];
        strings[0] = target;
        args.CopyTo(strings, 1);
        var pointers = new nint[strings.Length + 1]; // null-terminated argv
        try
        {
            for (int i = 0; i < strings.Length; i++) pointers[i] = Marshal.StringToCoTaskMemUTF8(strings[i]);
            fixed (nint* argv = pointers)
            {
                Execv((byte*)pointers[0], (byte**)argv);
                // Only returns on failure. A package extracted without file modes (a tool store) leaves the build not
                // executable: where the user may, mark it so once and try again; otherwise the portable build runs on.
                if (Marshal.GetLastPInvokeError() == PermissionDenied && OperatingSystem.IsLinux() && TryMakeExecutable(target))
                    Execv((byte*)pointers[0], (byte**)argv);
            }
        }
        finally
        {
            foreach (var p in pointers) if (p != 0) Marshal.FreeCoTaskMem(p);
        }
    }

    private const int PermissionDenied = 13; // EACCES

    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private static bool TryMakeExecutable(string path)
    {
        try
        {
            var mode = File.GetUnixFileMode(path);
            var execute = (mode & UnixFileMode.UserRead) != 0 ? UnixFileMode.UserExecute : 0;
            if ((mode & UnixFileMode.GroupRead) != 0) execute |= UnixFileMode.GroupExecute;
            if ((mode & UnixFileMode.OtherRead) != 0) execute |= UnixFileMode.OtherExecute;
            if ((mode & execute) == execute) return false;
            File.SetUnixFileMode(path, mode | execute);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// AVX-512 F/CD/BW/DQ/VL (what the x86-64-v4 build requires) in CPUID, with the OS saving the vector state (OSXSAVE;
    /// Linux enables the AVX-512 state wherever the CPU reports it).
    /// </summary>
    private static bool CpuHasAvx512()
    {
        if (X86Base.CpuId(0, 0).Eax < 7) return false;
        const int OsXsave = 1 << 27;
        if ((X86Base.CpuId(1, 0).Ecx & OsXsave) == 0) return false;
        int ebx = X86Base.CpuId(7, 0).Ebx;
        const int required = (1 << 16) | (1 << 17) | (1 << 28) | (1 << 30) | unchecked((int)(1u << 31)); // F, DQ, CD, BW, VL
        return (ebx & required) == required;
    }
}
