namespace ZkMl.Circuits.Circom;

/// <summary>
/// Upper bounds every file decoder (.r1cs, .wtns, .zkey, .ptau, snarkjs JSON) checks a declared size against before it
/// allocates. Declared sizes are also checked against the bytes actually present, so a small hostile file can never
/// make a decoder allocate more than the file holds; these limits additionally bound what an honest-looking but
/// oversized file may cost. Pass stricter ones for untrusted input, looser ones for very large circuits.
/// </summary>
public sealed record DecoderLimits
{
    /// <summary>The defaults: domains up to 2^28, up to 2^28 wires and constraints, 2 GiB per in-memory buffer.</summary>
    public static DecoderLimits Default { get; } = new();

    /// <summary>Largest evaluation domain, as log2 (a .zkey's domain size, a .ptau's power). Default 28.</summary>
    public int MaxDomainLog2 { get; init; } = 28;

    /// <summary>Largest wire (variable) count of an .r1cs, .wtns or .zkey. Default 2^28.</summary>
    public long MaxWires { get; init; } = 1L << 28;

    /// <summary>Largest constraint count of an .r1cs (and coefficient count of a .zkey). Default 2^28.</summary>
    public long MaxConstraints { get; init; } = 1L << 28;

    /// <summary>Largest file or section read into one buffer (whole .r1cs/.wtns files, .zkey/.ptau sections). Default <see cref="Array.MaxLength"/> bytes.</summary>
    public long MaxBufferBytes { get; init; } = Array.MaxLength;

    /// <summary>Largest number of sections in a binary file's section table. Default 1024.</summary>
    public long MaxSectionCount { get; init; } = 1024;

    /// <summary>Largest snarkjs JSON text (verification key, proof, public signals), in bytes. Default 64 MiB.</summary>
    public long MaxJsonBytes { get; init; } = 64L << 20;

    /// <summary>Largest number of public signals (public.json entries, verification-key IC points minus one). Default 2^20.</summary>
    public long MaxPublicSignals { get; init; } = 1L << 20;
}
