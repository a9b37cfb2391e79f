using System.Security.Cryptography;
using Wasmtime;
using ZkMl.Common;

namespace ZkMl.Circom;

/// <summary>
/// Compiled modules on disk, named by the WebAssembly's SHA-256 and the Wasmtime version, so a witness calculator
/// is compiled once per machine (~650 ms for a small circuit) and then loaded in milliseconds.
/// </summary>
internal static class ModuleCache
{
    private static readonly string EngineVersion =
        typeof(Engine).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>The compiled module for <paramref name="wasm"/>, from <paramref name="directory"/> when it is there; compiles and stores it otherwise.</summary>
    public static Module Load(Engine engine, string name, byte[] wasm, string? directory)
    {
        if (directory == null) return Module.FromBytes(engine, name, wasm);
        var file = Path.Combine(directory, $"{Convert.ToHexStringLower(SHA256.HashData(wasm))}-wasmtime-{EngineVersion}.cwasm");
        if (File.Exists(file))
        {
            try
            {
                return Module.DeserializeFile(engine, name, file);
            }
            catch (WasmtimeException)
            {
                // Written by another build of the engine, or damaged: compile again and replace it.
            }
        }
        var module = Module.FromBytes(engine, name, wasm);
        try
        {
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(directory);
            else Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            AtomicFile.WriteAllBytes(file, module.Serialize());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The cache only saves time; a read-only or full disk must not fail the witness.
        }
        return module;
    }
}
