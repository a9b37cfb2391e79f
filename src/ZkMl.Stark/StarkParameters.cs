using System.Numerics;

namespace ZkMl.Stark;

/// <summary>
/// Proof-system parameters. Conjectured security (ethSTARK-style, as Winterfell reports it) is
/// min(128 - log2(LDE domain), queries * log2(1/rate) + grinding bits, 128): the extension field has 2^128 elements
/// and Blake3 digests are 256 bits.
/// </summary>
public sealed record StarkParameters
{
    /// <summary>
    /// Low-degree-extension blowup: the LDE domain is this many times the trace length, or larger when zero-knowledge blinding
    /// would push the rate above 1/(0.9375 * blowup) (power of two, at least 2).
    /// </summary>
    public int BlowupFactor { get; init; } = 8;
    /// <summary>Number of FRI/trace query positions.</summary>
    public int NumQueries { get; init; } = 30;
    /// <summary>Proof-of-work bits required before the query positions are drawn.</summary>
    public int GrindingBits { get; init; } = 16;
    /// <summary>FRI folding factor per layer (2, 4, 8 or 16).</summary>
    public int FriFoldingFactor { get; init; } = 8;
    /// <summary>FRI stops folding once the degree bound is at most this; the remaining polynomial is sent in the clear.</summary>
    public int FriMaxRemainderDegree { get; init; } = 64;
    /// <summary>Blind trace and composition polynomials, add a masking polynomial to FRI and salt Merkle leaves.</summary>
    public bool ZeroKnowledge { get; init; } = true;

    /// <summary>At least 100 bits of conjectured security, zero knowledge on: blowup 8, 30 queries, 16 grinding bits, folding 8 (30 * log2(7.5) + 16 = 103 bits at worst).</summary>
    public static StarkParameters Secure100 { get; } = new();

    /// <summary>The same security without zero knowledge (for public computations; faster, smaller proofs).</summary>
    public static StarkParameters Secure100Transparent { get; } = new() { ZeroKnowledge = false };

    /// <summary>INSECURE (about 16 bits): for unit tests only. Blowup 4, 8 queries, no grinding.</summary>
    public static StarkParameters InsecureTestOnly { get; } = new()
    {
        BlowupFactor = 4, NumQueries = 8, GrindingBits = 0, FriFoldingFactor = 4, FriMaxRemainderDegree = 8,
    };

    /// <summary>Throws <see cref="ArgumentException"/> when a value is out of the supported range.</summary>
    public void Validate()
    {
        if (BlowupFactor < 2 || BlowupFactor > 256 || !BitOperations.IsPow2(BlowupFactor)) throw new ArgumentException($"BlowupFactor must be a power of two in [2, 256], got {BlowupFactor}.");
        if (NumQueries < 1 || NumQueries > 255) throw new ArgumentException($"NumQueries must be in [1, 255], got {NumQueries}.");
        if (GrindingBits < 0 || GrindingBits > 32) throw new ArgumentException($"GrindingBits must be in [0, 32], got {GrindingBits}.");
        if (FriFoldingFactor < 2 || FriFoldingFactor > 16 || !BitOperations.IsPow2(FriFoldingFactor)) throw new ArgumentException($"FriFoldingFactor must be 2, 4, 8 or 16, got {FriFoldingFactor}.");
        if (FriMaxRemainderDegree < 1 || FriMaxRemainderDegree > 4096) throw new ArgumentException($"FriMaxRemainderDegree must be in [1, 4096], got {FriMaxRemainderDegree}.");
    }

    /// <summary>Conjectured security in bits for an LDE domain of <paramref name="ldeDomainSize"/> points and FRI degree bound <paramref name="degreeBound"/>.</summary>
    public double ConjecturedSecurityBits(int ldeDomainSize, int degreeBound)
    {
        double fieldBits = 128 - Math.Log2(ldeDomainSize);
        double queryBits = NumQueries * Math.Log2((double)ldeDomainSize / degreeBound) + GrindingBits;
        return Math.Min(Math.Min(fieldBits, queryBits), 128);
    }

    internal byte[] Encode() =>
    [
        (byte)BitOperations.Log2((uint)BlowupFactor), (byte)NumQueries, (byte)GrindingBits,
        (byte)BitOperations.Log2((uint)FriFoldingFactor), (byte)(FriMaxRemainderDegree & 0xFF), (byte)(FriMaxRemainderDegree >> 8),
        (byte)(ZeroKnowledge ? 1 : 0),
    ];

    internal static StarkParameters Decode(ReadOnlySpan<byte> b)
    {
        if (b.Length != 7 || b[0] > 8 || b[3] > 4 || b[6] > 1) throw new StarkProofFormatException("Invalid parameter block.");
        var p = new StarkParameters
        {
            BlowupFactor = 1 << b[0], NumQueries = b[1], GrindingBits = b[2], FriFoldingFactor = 1 << b[3],
            FriMaxRemainderDegree = b[4] | (b[5] << 8), ZeroKnowledge = b[6] == 1,
        };
        try { p.Validate(); } catch (ArgumentException e) { throw new StarkProofFormatException(e.Message); }
        return p;
    }
}
