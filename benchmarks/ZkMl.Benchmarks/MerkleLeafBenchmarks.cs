using System.Diagnostics;
using ZkMl.Hashing;

namespace ZkMl.Benchmarks;

/// <summary>
/// CPU time and wall clock of a BLAKE3 Merkle tree over Ligero-sized columns (issue #16): 2^16 leaves of 2,080 bytes
/// (a column of 256 rows and its 32-byte salt, the hiding stack's shape), built by <see cref="Blake3MerkleTree"/> (the
/// leaves eight or sixteen at a time on the vector paths) against the same leaves hashed one package call each (what the
/// tree did for leaves over one 1,024-byte chunk) with the parents built alike; same root (checked):
/// <c>dotnet run -c Release --project benchmarks/ZkMl.Benchmarks -- zk-merkle [leafBytes] [repeats]</c>.
/// </summary>
public static class MerkleLeafBenchmarks
{
    /// <summary>The command word.</summary>
    public const string Command = "zk-merkle";

    /// <summary>Runs the measurement; args: leaf bytes (2080), repeats (3).</summary>
    public static int Run(string[] args)
    {
        int leafBytes = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 2080;
        int repeats = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3;
        const int leaves = 1 << 16;
        var data = new byte[(long)leaves * leafBytes];
        new Random(3).NextBytes(data);
        void Write(int first, int count, Span<byte> destination) => data.AsSpan(first * leafBytes, count * leafBytes).CopyTo(destination);
        byte[]? root = null;
        for (int r = 0; r < repeats; r++)
            foreach (bool package in new[] { false, true })
            {
                GC.Collect();
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                byte[] result;
                if (package)
                {
                    // Leaf digests one package call each, then the parents (plain BLAKE3 of left || right, as the tree's).
                    var digests = new byte[32L * leaves];
                    Parallel.For(0, leaves, i => Blake3.Hasher.Hash(data.AsSpan(i * leafBytes, leafBytes), digests.AsSpan(32 * i, 32)));
                    result = ParentsRoot(digests, leaves);
                }
                else result = new Blake3MerkleTree(leaves, leafBytes, Write).Root;
                double wall = clock.Elapsed.TotalMilliseconds, used = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
                root ??= result;
                if (!result.AsSpan().SequenceEqual(root)) throw new InvalidOperationException("The roots differ.");
                Console.WriteLine($"2^16 leaves of {leafBytes} B, {(package ? "package per leaf" : "batched tree    ")} run {r}: wall {wall,7:F0} ms, cpu {used,7:F0} ms; load {File.ReadAllText("/proc/loadavg").Trim()}");
            }
        return 0;
    }

    private static byte[] ParentsRoot(byte[] level, int count)
    {
        while (count > 1)
        {
            var next = new byte[32L * (count / 2)];
            for (int i = 0; i < count / 2; i++) Blake3.Hasher.Hash(level.AsSpan(64 * i, 64), next.AsSpan(32 * i, 32));
            (level, count) = (next, count / 2);
        }
        return level;
    }
}
