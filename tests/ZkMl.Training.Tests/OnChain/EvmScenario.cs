using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using ZkMl.Tests.Shared;

namespace ZkMl.Training.Tests.OnChain;

/// <summary>One call's outcome in the EVM.</summary>
public sealed record EvmResult(string Name, long Block, bool Reverted, string? Reason, byte[] ReturnData, long Gas, long TxGas)
{
    public bool ReturnsTrue => ReturnData.Length == 32 && ReturnData[31] == 1 && ReturnData[..31].All(b => b == 0);

    public BigInteger Word(int index) => new(ReturnData.AsSpan(32 * index, 32), isUnsigned: true, isBigEndian: true);

    /// <summary>The return data as a dynamic uint256[].</summary>
    public int[] DynamicArray()
    {
        int length = (int)Word(1);
        return Enumerable.Range(0, length).Select(i => (int)Word(2 + i)).ToArray();
    }
}

/// <summary>
/// Builds a scenario for interop/run-contract.mjs (deployments, calls one per block, mined blocks), tracking the block
/// number of every action as the script will, then runs it in one node process.
/// </summary>
internal sealed class EvmScenario
{
    private readonly JsonObject _sources = [];
    private readonly JsonArray _actions = [];
    private readonly List<string> _callNames = [];

    public const long StartBlock = 1000;

    /// <summary>The block the next call runs in.</summary>
    public long Block { get; private set; } = StartBlock;

    /// <summary>Block n's hash on the script's chain: sha256("ZkMl.TestChain.v1" || u64 LE n).</summary>
    public static byte[] BlockHash(long n)
    {
        var input = new byte["ZkMl.TestChain.v1"u8.Length + 8];
        "ZkMl.TestChain.v1"u8.CopyTo(input);
        BinaryPrimitives.WriteInt64LittleEndian(input.AsSpan(input.Length - 8), n);
        return SHA256.HashData(input);
    }

    public void Deploy(string name, string file, string source, string contract, string at)
    {
        _sources[file] = source;
        _actions.Add(new JsonObject { ["name"] = name, ["deploy"] = file, ["contract"] = contract, ["at"] = at });
    }

    /// <summary>Adds a call; returns the block it runs in.</summary>
    public long Call(string name, string from, string to, string data)
    {
        _actions.Add(new JsonObject { ["name"] = name, ["from"] = from, ["to"] = to, ["data"] = data });
        _callNames.Add(name);
        return Block++;
    }

    public void Mine(string name, int blocks)
    {
        _actions.Add(new JsonObject { ["name"] = name, ["mine"] = blocks });
        Block += blocks;
    }

    /// <summary>Runs the scenario: the compiled methods (file, contract, signature to selector) and each call's result by name.</summary>
    public (JsonElement Methods, IReadOnlyDictionary<string, EvmResult> Calls, IReadOnlyDictionary<string, JsonElement> Deployments) Run()
    {
        _ = NpmPeers.NodeModules; // installs the npm peers on first use
        var dir = NpmPeers.NewTempDir("run-contract");
        var path = Path.Combine(dir, "scenario.json");
        File.WriteAllText(path, new JsonObject { ["sources"] = _sources, ["startBlock"] = StartBlock, ["actions"] = _actions }.ToJsonString());
        var script = Path.Combine(NpmPeers.RepoRoot, "interop", "run-contract.mjs");
        string[] lines;
        try { lines = NpmPeers.RunNode(dir, script, path).Split('\n', StringSplitOptions.RemoveEmptyEntries); }
        finally { Directory.Delete(dir, recursive: true); }
        var methods = JsonDocument.Parse(lines[0]).RootElement.GetProperty("methods").Clone();
        var calls = new Dictionary<string, EvmResult>();
        var deployments = new Dictionary<string, JsonElement>();
        foreach (var line in lines.Skip(1))
        {
            var e = JsonDocument.Parse(line).RootElement.Clone();
            var name = e.GetProperty("name").GetString()!;
            if (e.TryGetProperty("codeSize", out _)) deployments[name] = e;
            else if (e.TryGetProperty("reverted", out var reverted))
                calls[name] = new EvmResult(name, e.GetProperty("block").GetInt64(), reverted.GetBoolean(),
                    e.GetProperty("reason").ValueKind == JsonValueKind.Null ? null : e.GetProperty("reason").GetString(),
                    Convert.FromHexString(e.GetProperty("returnData").GetString()![2..]), e.GetProperty("gas").GetInt64(), e.GetProperty("txGas").GetInt64());
        }
        Assert.Equal(_callNames.Count, calls.Count);
        return (methods, calls, deployments);
    }

    public static string Hex(uint selector) => selector.ToString("x8", CultureInfo.InvariantCulture);
}
