using System.Globalization;
using System.Numerics;
using System.Text.Json;
using ZkMl.Tests.Shared;

namespace ZkMl.Snark.Tests.Solidity;

/// <summary>One verifyProof call in the EVM: the returned bool (null when the call reverted) and its gas.</summary>
internal sealed record EvmCall(string Name, bool? Result, bool Reverted, long Gas, long TxGas);

/// <summary>A compiled and deployed verifier and the calls made to it.</summary>
internal sealed record EvmRun(string Contract, int Warnings, long DeployGas, IReadOnlyDictionary<string, EvmCall> Calls);

/// <summary>
/// Drives interop/evm-verify.mjs: solc 0.8.28 compiles a verifier, @ethereumjs/evm deploys it and calls verifyProof once
/// per calldata, all in one node process (compiling is the slow part).
/// </summary>
internal static class EvmRunner
{
    private static string Script => Path.Combine(NpmPeers.RepoRoot, "interop", "evm-verify.mjs");

    /// <summary>Compiles <paramref name="solidity"/>, deploys it and calls it with each named calldata text.</summary>
    public static EvmRun Run(string solidity, IReadOnlyDictionary<string, string> calldata)
    {
        _ = NpmPeers.NodeModules; // installs the npm peers on first use
        var dir = NpmPeers.NewTempDir("evm");
        var sol = Path.Combine(dir, "verifier.sol");
        File.WriteAllText(sol, solidity);
        var args = new List<string> { sol };
        foreach (var (name, text) in calldata)
        {
            var path = Path.Combine(dir, name + ".txt");
            File.WriteAllText(path, text);
            args.Add(path);
        }
        var lines = NpmPeers.RunNode(dir, Script, [.. args]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using var deployment = JsonDocument.Parse(lines[0]);
        var d = deployment.RootElement;
        var calls = new Dictionary<string, EvmCall>();
        foreach (var line in lines.Skip(1))
        {
            using var call = JsonDocument.Parse(line);
            var c = call.RootElement;
            var name = Path.GetFileNameWithoutExtension(c.GetProperty("file").GetString()!);
            var result = c.GetProperty("result");
            calls[name] = new EvmCall(name, result.ValueKind == JsonValueKind.Null ? null : result.GetBoolean(),
                c.GetProperty("reverted").GetBoolean(), c.GetProperty("gas").GetInt64(), c.GetProperty("txGas").GetInt64());
        }
        Assert.Equal(calldata.Count, calls.Count);
        return new EvmRun(d.GetProperty("contract").GetString()!, d.GetProperty("warnings").GetInt32(), d.GetProperty("deployGas").GetInt64(), calls);
    }

    /// <summary>The words of a calldata text (A.x, A.y, B.x1, B.x0, B.y1, B.y0, C.x, C.y, then the public signals).</summary>
    public static BigInteger[] Words(string calldata) =>
        JsonSerializer.Deserialize<JsonElement>($"[{calldata}]").EnumerateArray().SelectMany(Flatten)
            .Select(w => BigInteger.Parse("0" + w[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray();

    /// <summary>Calldata text for raw words (the runner flattens the nesting, so a flat list is enough).</summary>
    public static string Calldata(IEnumerable<BigInteger> words) =>
        "[" + string.Join(',', words.Select(w => $"\"0x{w.ToString("x64", CultureInfo.InvariantCulture).TrimStart('0').PadLeft(64, '0')}\"")) + "]";

    private static IEnumerable<string> Flatten(JsonElement e) =>
        e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().SelectMany(Flatten) : [e.GetString()!];
}
