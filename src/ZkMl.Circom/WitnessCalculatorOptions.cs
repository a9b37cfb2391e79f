namespace ZkMl.Circom;

/// <summary>How <see cref="WitnessCalculator.Load(string, WitnessCalculatorOptions?)"/> compiles and runs a witness calculator.</summary>
public sealed record WitnessCalculatorOptions
{
    /// <summary>
    /// Folder for compiled modules, keyed by the WebAssembly's SHA-256 and the Wasmtime version (compiling costs
    /// hundreds of milliseconds, loading a cached module a few). <c>null</c> uses <see cref="DefaultCacheDirectory"/>.
    /// Compiled modules are native code: use a folder only you can write to.
    /// </summary>
    public string? CacheDirectory { get; init; }

    /// <summary>Compile every time and write nothing to disk.</summary>
    public bool DisableCache { get; init; }

    /// <summary>
    /// Runs circom's extra runtime checks (a signal assigned twice, an input set twice), as <c>init(1)</c> does;
    /// snarkjs's <c>wtns calculate</c> runs without them. The witness is the same either way.
    /// </summary>
    public bool SanityCheck { get; init; }

    /// <summary>Receives each line the circuit prints with circom's <c>log(...)</c> (snarkjs writes them to stdout); ignored when null.</summary>
    public Action<string>? Log { get; init; }

    /// <summary><c>$XDG_CACHE_HOME/zkml/circom-wasm</c>, else <c>~/.cache/zkml/circom-wasm</c> (on Windows, under local application data).</summary>
    public static string DefaultCacheDirectory
    {
        get
        {
            string root;
            if (OperatingSystem.IsWindows())
                root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
            else
            {
                var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
                root = string.IsNullOrEmpty(xdg) ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache") : xdg;
            }
            return Path.Combine(root, "zkml", "circom-wasm");
        }
    }
}
