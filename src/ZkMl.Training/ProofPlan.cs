using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;

namespace ZkMl.Training;

/// <summary>
/// A proof plan: <c>all</c>, <c>first:N</c>, <c>every:K</c> or <c>random:N</c>. Prover and verifier derive the same set of steps;
/// the verifier rejects a transcript that lacks a proof for a selected step.
/// </summary>
/// <param name="Kind">How steps are selected.</param>
/// <param name="Count">N for First and Random, K for Every, 0 for All.</param>
public sealed record ProofPlan(ProofPlanKind Kind, int Count)
{
    /// <summary>Proves every step.</summary>
    public static ProofPlan All { get; } = new(ProofPlanKind.All, 0);

    /// <summary>Parses <c>all</c>, <c>first:N</c>, <c>every:K</c> or <c>random:N</c> (N, K &gt;= 1).</summary>
    /// <exception cref="FormatException">The text is not one of these forms.</exception>
    public static ProofPlan Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string t = text.Trim().ToLowerInvariant();
        if (t == "all") return All;
        int colon = t.IndexOf(':');
        if (colon > 0 && int.TryParse(t.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1)
        {
            switch (t[..colon])
            {
                case "first": return new ProofPlan(ProofPlanKind.First, n);
                case "every": return new ProofPlan(ProofPlanKind.Every, n);
                case "random": return new ProofPlan(ProofPlanKind.Random, n);
            }
        }
        throw new FormatException($"'{text}' is not a proof plan: expected all, first:N, every:K or random:N with N, K >= 1.");
    }

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        ProofPlanKind.All => "all",
        ProofPlanKind.First => $"first:{Count}",
        ProofPlanKind.Every => $"every:{Count}",
        _ => $"random:{Count}",
    };

    /// <summary>True when the selection depends on the commitment chain (so it is known only after training).</summary>
    public bool DependsOnChain => Kind == ProofPlanKind.Random;

    /// <summary>
    /// The sorted step indices (0-based, &lt; <paramref name="stepCount"/>) that must be proven. For <see cref="ProofPlanKind.Random"/>
    /// the choice is a function of <paramref name="dataRoot"/> and <paramref name="commitments"/> only.
    /// </summary>
    public int[] SelectSteps(int stepCount, ReadOnlySpan<byte> dataRoot, IReadOnlyList<byte[]> commitments)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stepCount);
        switch (Kind)
        {
            case ProofPlanKind.All: return Enumerable.Range(0, stepCount).ToArray();
            case ProofPlanKind.First: return Enumerable.Range(0, Math.Min(Count, stepCount)).ToArray();
            case ProofPlanKind.Every: return Enumerable.Range(0, stepCount).Where(s => s % Count == 0).ToArray();
        }
        int n = Math.Min(Count, stepCount);
        var seed = ChainDigest(dataRoot, commitments);
        var chosen = new SortedSet<int>();
        Span<byte> block = stackalloc byte[32];
        Span<byte> input = stackalloc byte[36];
        seed.CopyTo(input);
        for (uint counter = 0; chosen.Count < n; counter++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(input[32..], counter);
            SHA256.HashData(input, block);
            // Rejection sampling keeps the draw uniform.
            ulong r = BinaryPrimitives.ReadUInt64LittleEndian(block);
            ulong limit = ulong.MaxValue - ulong.MaxValue % (ulong)stepCount;
            if (r < limit) chosen.Add((int)(r % (ulong)stepCount));
        }
        return chosen.ToArray();
    }

    /// <summary>SHA-256 over a domain tag, the dataset root and every commitment (each length-prefixed).</summary>
    internal static byte[] ChainDigest(ReadOnlySpan<byte> dataRoot, IReadOnlyList<byte[]> commitments)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData("ZkMl.Training.ProofPlan/1"u8);
        Span<byte> len = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(len, dataRoot.Length);
        hash.AppendData(len);
        hash.AppendData(dataRoot);
        BinaryPrimitives.WriteInt32LittleEndian(len, commitments.Count);
        hash.AppendData(len);
        foreach (var c in commitments)
        {
            BinaryPrimitives.WriteInt32LittleEndian(len, c.Length);
            hash.AppendData(len);
            hash.AppendData(c);
        }
        return hash.GetHashAndReset();
    }
}
