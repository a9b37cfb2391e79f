using ZkMl.Field;

namespace ZkMl.Hashing;

/// <summary>
/// Poseidon over Goldilocks for STARK-friendly commitments: width 12 (rate 8, capacity 4), S-box x^7 (the smallest
/// exponent coprime with p - 1), 8 full and 22 partial rounds (the instance shape Plonky2 uses for 128-bit security),
/// round constants and Cauchy MDS matrix generated with the Poseidon authors' Grain LFSR procedure
/// (<see cref="PoseidonParameters{T}.Generate"/>). Digests are 4 elements (256 bits).
/// </summary>
public static class GoldilocksPoseidon
{
    /// <summary>State width.</summary>
    public const int Width = 12;
    /// <summary>Elements absorbed per permutation.</summary>
    public const int Rate = 8;
    /// <summary>Elements in a digest.</summary>
    public const int DigestSize = 4;
    /// <summary>Full rounds (half before, half after the partial rounds).</summary>
    public const int FullRounds = 8;
    /// <summary>Partial rounds (S-box on element 0 only).</summary>
    public const int PartialRounds = 22;
    /// <summary>Total rounds.</summary>
    public const int Rounds = FullRounds + PartialRounds;

    private static readonly PoseidonParameters<Goldilocks> Parameters = PoseidonParameters<Goldilocks>.Generate(Width, FullRounds, PartialRounds);
    private static readonly Goldilocks[] Mds = Flatten(Parameters.Mds);

    /// <summary>Round constant of round <paramref name="round"/>, lane <paramref name="lane"/>.</summary>
    public static Goldilocks RoundConstant(int round, int lane) => Parameters.RoundConstantArray[round * Width + lane];

    /// <summary>MDS matrix entry (row <paramref name="row"/>, column <paramref name="column"/>): new[row] = sum_column Mds * state[column].</summary>
    public static Goldilocks MdsEntry(int row, int column) => Mds[row * Width + column];

    /// <summary>True for the full rounds (the first and last <see cref="FullRounds"/>/2).</summary>
    public static bool IsFullRound(int round) => round < FullRounds / 2 || round >= FullRounds / 2 + PartialRounds;

    /// <summary>x^7.</summary>
    public static Goldilocks SBox(Goldilocks x)
    {
        var x2 = x * x;
        return x2 * x2 * x2 * x;
    }

    /// <summary>Applies one round in place: add round constants, S-box (all lanes or lane 0), MDS.</summary>
    public static void Round(Span<Goldilocks> state, int round)
    {
        CheckState(state);
        ApplyRound(state, round);
    }

    /// <summary>The permutation, in place.</summary>
    public static void Permute(Span<Goldilocks> state)
    {
        CheckState(state);
        for (int r = 0; r < Rounds; r++) ApplyRound(state, r);
    }

    private static void CheckState(Span<Goldilocks> state)
    {
        if (state.Length != Width) throw new ArgumentException($"The Poseidon state has {Width} elements.", nameof(state));
    }

    private static void ApplyRound(Span<Goldilocks> state, int round)
    {
        Span<Goldilocks> u = stackalloc Goldilocks[Width];
        bool full = IsFullRound(round);
        for (int i = 0; i < Width; i++)
        {
            var y = state[i] + RoundConstant(round, i);
            u[i] = full || i == 0 ? SBox(y) : y;
        }
        for (int r = 0; r < Width; r++)
        {
            var acc = Goldilocks.Zero;
            for (int c = 0; c < Width; c++) acc += Mds[r * Width + c] * u[c];
            state[r] = acc;
        }
    }

    /// <summary>
    /// Capacity tag of a salted hash over <paramref name="valueCount"/> values in domain <paramref name="domain"/> (0..255):
    /// separates record kinds from each other and from <see cref="Compress"/>, whose capacity is zero.
    /// </summary>
    public static Goldilocks LeafTag(int valueCount, int domain = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(valueCount);
        if ((uint)domain > 255) throw new ArgumentOutOfRangeException(nameof(domain), domain, "Domains are 0..255.");
        return Goldilocks.FromUInt64(0x7A6B6D6C_00000000UL + ((ulong)domain << 24) + (ulong)valueCount);
    }

    /// <summary>Number of permutations <see cref="HashSalted"/> runs for <paramref name="valueCount"/> values.</summary>
    public static int LeafAbsorbCount(int valueCount) => 1 + (valueCount + Rate - 1) / Rate;

    /// <summary>
    /// Hiding hash of a fixed-length record: the state starts as (salt[0..8], tag, 0, 0, 0) with tag = <see cref="LeafTag"/>(n, domain);
    /// after each permutation the next 8 values are added to the rate (the last block is zero-padded); the digest is lanes 0..3.
    /// </summary>
    /// <param name="salt">8 secret random elements (512 bits; keeps low-entropy records hidden).</param>
    /// <param name="values">The record.</param>
    /// <param name="domain">Record kind (0..255), bound into the capacity.</param>
    public static Goldilocks[] HashSalted(ReadOnlySpan<Goldilocks> salt, ReadOnlySpan<Goldilocks> values, int domain = 0)
    {
        if (salt.Length != Rate) throw new ArgumentException($"The salt has {Rate} elements.", nameof(salt));
        Span<Goldilocks> s = stackalloc Goldilocks[Width];
        salt.CopyTo(s);
        s[Rate] = LeafTag(values.Length, domain);
        Permute(s);
        for (int start = 0; start < values.Length; start += Rate)
        {
            for (int j = 0; j < Rate && start + j < values.Length; j++) s[j] += values[start + j];
            Permute(s);
        }
        return s[..DigestSize].ToArray();
    }

    /// <summary>Two-to-one compression for Merkle trees: lanes 0..3 of Permute(left || right || 0, 0, 0, 0).</summary>
    public static Goldilocks[] Compress(ReadOnlySpan<Goldilocks> left, ReadOnlySpan<Goldilocks> right)
    {
        if (left.Length != DigestSize || right.Length != DigestSize) throw new ArgumentException($"Digests have {DigestSize} elements.");
        Span<Goldilocks> s = stackalloc Goldilocks[Width];
        left.CopyTo(s);
        right.CopyTo(s[DigestSize..]);
        Permute(s);
        return s[..DigestSize].ToArray();
    }

    /// <summary>A digest as 32 bytes (4 little-endian 64-bit words).</summary>
    public static byte[] DigestToBytes(ReadOnlySpan<Goldilocks> digest)
    {
        if (digest.Length != DigestSize) throw new ArgumentException($"Digests have {DigestSize} elements.", nameof(digest));
        var bytes = new byte[8 * DigestSize];
        for (int i = 0; i < DigestSize; i++) digest[i].WriteBytes(bytes.AsSpan(8 * i, 8));
        return bytes;
    }

    /// <summary>Parses 32 bytes as a digest of canonical elements; false when the length is wrong or an element is not below p.</summary>
    public static bool TryReadDigest(ReadOnlySpan<byte> bytes, out Goldilocks[] digest)
    {
        digest = new Goldilocks[DigestSize];
        if (bytes.Length != 8 * DigestSize) return false;
        for (int i = 0; i < DigestSize; i++)
            if (!Goldilocks.TryReadBytes(bytes.Slice(8 * i, 8), out digest[i])) return false;
        return true;
    }

    private static Goldilocks[] Flatten(Goldilocks[,] m)
    {
        var flat = new Goldilocks[Width * Width];
        for (int r = 0; r < Width; r++) for (int c = 0; c < Width; c++) flat[r * Width + c] = m[r, c];
        return flat;
    }
}
