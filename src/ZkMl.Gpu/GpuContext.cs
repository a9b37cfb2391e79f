using System.Diagnostics;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using ZkMl.Field;
using ZkMl.Gpu.Msm;
using ZkMl.Gpu.Ntt;
using ZkMl.Snark.Curves;
using ZkMl.Snark.Msm;

namespace ZkMl.Gpu;

/// <summary>
/// Owns an ILGPU context and accelerator and hands out GPU-backed <c>INtt</c>/<c>IMsm</c> implementations.
/// Select with <see cref="CreateBest"/> (CUDA if present, else ILGPU's CPU accelerator), overridable through the
/// <c>ZKML_ACCELERATOR</c> environment variable (<c>cuda</c>, <c>cpu</c> or <c>none</c>). Dispose it when done:
/// it holds device memory (twiddle tables, resident bases).
/// </summary>
public sealed class GpuContext : IDisposable
{
    /// <summary>Name of the environment variable that forces the accelerator choice.</summary>
    public const string EnvironmentVariable = "ZKML_ACCELERATOR";

    private readonly Context? context;
    private readonly Accelerator? accelerator;
    private readonly Action<string> log;
    private readonly object sync = new();
    private readonly Dictionary<Type, object> engines = new();
    private bool disposed;

    private GpuContext(AcceleratorKind kind, Context? context, Accelerator? accelerator, Action<string> log)
    {
        Kind = kind;
        this.context = context;
        this.accelerator = accelerator;
        this.log = log;
        DeviceName = accelerator?.Name ?? "none (CPU implementations)";
    }

    /// <summary>The backend in use.</summary>
    public AcceleratorKind Kind { get; }

    /// <summary>The device name as reported by ILGPU, or a note that none is used.</summary>
    public string DeviceName { get; }

    /// <summary>True when kernels run through ILGPU (CUDA or its CPU accelerator).</summary>
    public bool IsAccelerated => accelerator is not null;

    /// <summary>Total device memory in bytes (0 without an accelerator).</summary>
    public long MemoryBytes => accelerator?.MemorySize ?? 0;

    /// <summary>
    /// Device memory a single operation may use before inputs are split into chunks. Defaults to half of the
    /// device memory; tests lower it to exercise chunking.
    /// </summary>
    public long MemoryBudgetBytes { get; set; }

    internal Accelerator Accelerator => accelerator ?? throw new InvalidOperationException("This GpuContext has no accelerator (kind None).");

    internal object Sync => sync;

    /// <summary>
    /// Threads to launch for a grid-stride kernel over <paramref name="total"/> items: all of them on CUDA, a few per
    /// core on ILGPU's CPU accelerator (where each simulated thread is expensive).
    /// </summary>
    internal int LaunchWidth(int total) => Kind == AcceleratorKind.Cuda
        ? Math.Max(1, total)
        : Math.Clamp(total, 1, 64 * Environment.ProcessorCount);

    internal void Log(string message) => log(message);

    /// <summary>
    /// Picks CUDA when a CUDA device is present, otherwise ILGPU's CPU accelerator; <c>ZKML_ACCELERATOR</c>
    /// (<c>cuda|cpu|none</c>) forces the choice. A forced CUDA choice with no CUDA device falls back to
    /// <see cref="AcceleratorKind.None"/>. The choice is reported through <paramref name="log"/>
    /// (default: <see cref="Trace"/>).
    /// </summary>
    public static GpuContext CreateBest(Action<string>? log = null)
    {
        log ??= DefaultLog;
        string? forced = Environment.GetEnvironmentVariable(EnvironmentVariable);
        AcceleratorKind? want = null;
        if (!string.IsNullOrWhiteSpace(forced))
        {
            want = forced.Trim().ToLowerInvariant() switch
            {
                "cuda" or "gpu" => AcceleratorKind.Cuda,
                "cpu" => AcceleratorKind.Cpu,
                "none" or "off" => AcceleratorKind.None,
                _ => throw new ArgumentException(
                    $"{EnvironmentVariable}='{forced}' is not one of cuda, cpu, none.", EnvironmentVariable),
            };
            log($"ZkMl.Gpu: {EnvironmentVariable}={forced} forces {want}.");
        }
        return Create(want, log);
    }

    /// <summary>
    /// Creates a context on the given backend, ignoring <c>ZKML_ACCELERATOR</c>. Requesting CUDA where no CUDA
    /// device exists yields a context of kind <see cref="AcceleratorKind.None"/> (logged).
    /// </summary>
    public static GpuContext Create(AcceleratorKind kind, Action<string>? log = null) => Create((AcceleratorKind?)kind, log ?? DefaultLog);

    private static GpuContext Create(AcceleratorKind? want, Action<string> log)
    {
        if (want == AcceleratorKind.None)
        {
            log("ZkMl.Gpu: accelerator none; using CPU implementations.");
            return new GpuContext(AcceleratorKind.None, null, null, log);
        }
        Context context = Context.Create(builder => builder.CPU().Cuda().EnableAlgorithms());
        try
        {
            if (want is null or AcceleratorKind.Cuda)
            {
                Device? cuda = null;
                try
                {
                    cuda = context.GetCudaDevices().Count > 0 ? context.GetCudaDevices()[0] : null;
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    log($"ZkMl.Gpu: CUDA probing failed ({e.GetType().Name}: {e.Message}).");
                }
                if (cuda is not null)
                {
                    Accelerator acc = cuda.CreateAccelerator(context);
                    log($"ZkMl.Gpu: using CUDA device '{acc.Name}' ({acc.MemorySize / (1 << 20)} MiB).");
                    return new GpuContext(AcceleratorKind.Cuda, context, acc, log) { MemoryBudgetBytes = acc.MemorySize / 2 };
                }
                if (want == AcceleratorKind.Cuda)
                {
                    log("ZkMl.Gpu: CUDA was requested but no CUDA device is present; using CPU implementations.");
                    context.Dispose();
                    return new GpuContext(AcceleratorKind.None, null, null, log);
                }
            }
            Device cpu = context.GetCPUDevices()[0];
            Accelerator cpuAcc = cpu.CreateAccelerator(context);
            log($"ZkMl.Gpu: no CUDA device; using ILGPU CPU accelerator '{cpuAcc.Name}' (simulated GPU, for tests and debugging).");
            return new GpuContext(AcceleratorKind.Cpu, context, cpuAcc, log) { MemoryBudgetBytes = 1L << 30 };
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    private static void DefaultLog(string message) => Trace.WriteLine(message);

    /// <summary>True when a CUDA device can be opened on this machine.</summary>
    public static bool IsCudaAvailable()
    {
        try
        {
            using Context context = Context.Create(builder => builder.Cuda());
            return context.GetCudaDevices().Count > 0;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return false;
        }
    }

    /// <summary>
    /// An NTT for <typeparamref name="T"/>: the device NTT when this context is accelerated and the field is
    /// <see cref="Goldilocks"/> or <see cref="Bn254Fr"/>, otherwise the CPU implementation.
    /// </summary>
    public INtt<T> CreateNtt<T>() where T : struct, ITwoAdicField<T>
    {
        GpuNtt<T>? gpuNtt = TryCreateGpuNtt<T>();
        if (gpuNtt is not null) return gpuNtt;
        return CpuFallback.CreateNtt<T>();
    }

    /// <summary>The device NTT for <typeparamref name="T"/> (with batched-column methods), or null when this context has no accelerator or no kernel exists for the field.</summary>
    public GpuNtt<T>? TryCreateGpuNtt<T>() where T : struct, ITwoAdicField<T>
    {
        if (!IsAccelerated) return null;
        if (typeof(T) == typeof(Goldilocks))
            return (GpuNtt<T>)(object)new GpuNtt<Goldilocks>(GetEngine(() => new GoldilocksNttEngine(this)));
        if (typeof(T) == typeof(Bn254Fr))
            return (GpuNtt<T>)(object)new GpuNtt<Bn254Fr>(GetEngine(() => new FrNttEngine(this)));
        return null;
    }

    /// <summary>
    /// A multi-scalar multiplication: <see cref="GpuMsm"/> (G1 on the device, G2 on the CPU) when this context is
    /// accelerated, otherwise the CPU <see cref="PippengerMsm"/>.
    /// </summary>
    public IMsm<G1Affine, G1Projective> CreateMsm() => (IMsm<G1Affine, G1Projective>?)TryCreateGpuMsm() ?? PippengerMsm.Default;

    /// <summary>The device MSM (with resident-bases support), or null when this context has no accelerator.</summary>
    public GpuMsm? TryCreateGpuMsm() => IsAccelerated ? new GpuMsm(this, GetEngine(() => new G1MsmEngine(this))) : null;

    internal TEngine GetEngine<TEngine>(Func<TEngine> create) where TEngine : class
    {
        lock (sync)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (!engines.TryGetValue(typeof(TEngine), out object? engine))
            {
                engine = create();
                engines[typeof(TEngine)] = engine;
            }
            return (TEngine)engine;
        }
    }

    /// <summary>Releases device memory, the accelerator and the ILGPU context.</summary>
    public void Dispose()
    {
        lock (sync)
        {
            if (disposed) return;
            disposed = true;
            foreach (object engine in engines.Values)
                (engine as IDisposable)?.Dispose();
            engines.Clear();
            accelerator?.Dispose();
            context?.Dispose();
        }
    }
}
