using System.Buffers.Binary;
using System.Numerics;
using ZkMl.Circuits.Circom;
using ZkMl.Field;
using ZkMl.Snark.Curves;

namespace ZkMl.Snark.Formats;

/// <summary>
/// Reader for snarkjs powers-of-tau files prepared for phase 2 ("snarkjs powersoftau prepare phase2").
/// Section 1 header (n8, q, power, ceremonyPower); 4 [α·τⁱ]₁ (first = [α]₁); 5 [β·τⁱ]₁; 6 [β]₂; and the Lagrange-basis
/// sections for every domain 2^0..2^power: 12 [L_j(τ)]₁ (also 2^(power+1)), 13 [L_j(τ)]₂, 14 [α·L_j(τ)]₁, 15 [β·L_j(τ)]₁.
/// </summary>
internal sealed class Ptau : IDisposable
{
    private readonly BinFile _file;

    public int Power { get; }

    private Ptau(BinFile file, int power) { _file = file; Power = power; }

    public static Ptau Open(string path, DecoderLimits? limits = null)
    {
        var file = BinFile.Open(path, "ptau", 1, limits);
        try
        {
            var r = new SectionReader(file.ReadSection(1), $"{path}: header");
            uint n8 = r.U32();
            if (n8 != 32) throw new SnarkFormatException($"{path}: base field of {n8} bytes; only BN254 (bn128) is supported");
            var q = new BigInteger(r.Take(32), isUnsigned: true, isBigEndian: false);
            if (q != Bn254Fq.Modulus) throw new SnarkFormatException($"{path}: curve is not BN254 (bn128)");
            uint power = r.U32();
            SnarkLimitExceededException.Check(path, "power", nameof(DecoderLimits.MaxDomainLog2), power, file.Limits.MaxDomainLog2);
            if (power < 1 || power > 27) throw new SnarkFormatException($"{path}: unsupported power {power}");
            foreach (int s in new[] { 12, 13, 14, 15 })
                if (!file.Has(s))
                    throw new SnarkFormatException($"{path}: not prepared for phase 2 (section {s} missing); run `snarkjs powersoftau prepare phase2` first");
            return new Ptau(file, (int)power);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public G1Affine Alpha1 => FirstG1(4, "alpha·tau G1");
    public G1Affine Beta1 => FirstG1(5, "beta·tau G1");

    public G2Affine Beta2
    {
        get
        {
            var (offset, size) = _file.Section(6);
            if (size < LemCodec.G2Size) throw new SnarkFormatException($"{_file.Path}: beta G2 section is truncated");
            var bytes = _file.Read(offset, LemCodec.G2Size);
            if (!LemCodec.TryReadG2(bytes, out var p) || !p.IsInSubgroup || p.IsInfinity)
                throw new SnarkFormatException($"{_file.Path}: [beta]2 is not a valid G2 point");
            return p;
        }
    }

    private G1Affine FirstG1(int section, string what)
    {
        var (offset, size) = _file.Section(section);
        if (size < LemCodec.G1Size) throw new SnarkFormatException($"{_file.Path}: {what} section is truncated");
        if (!LemCodec.TryReadG1(_file.Read(offset, LemCodec.G1Size), out var p) || !p.IsOnCurve || p.IsInfinity)
            throw new SnarkFormatException($"{_file.Path}: first point of {what} is not a valid G1 point");
        return p;
    }

    /// <summary>The Lagrange-basis G1 points of section 12/14/15 for the domain of size n = 2^log.</summary>
    public G1Affine[] LagrangeG1(int section, int n)
    {
        int maxLog = section == 12 ? Power + 1 : Power;
        if (n > 1 << maxLog) throw new SnarkFormatException($"{_file.Path}: a domain of {n} needs a powers-of-tau of power {Log2(n)}, this one has {Power}");
        var (offset, size) = _file.Section(section);
        long expected = ((2L << maxLog) - 1) * LemCodec.G1Size;
        if (size != expected) throw new SnarkFormatException($"{_file.Path}: section {section} has {size} bytes, expected {expected}");
        var points = LemCodec.ReadG1Array(_file, offset + (n - 1L) * LemCodec.G1Size, n, $"{_file.Path}: section {section}");
        return points;
    }

    /// <summary>
    /// [τ^(i+n) − τ^i]₁ for i in [start, start + count), from the monomial section 2, in snarkjs's uncompressed encoding (what
    /// `zkey new` hashes for the H query); null when section 2 does not hold τ^(n+start+count−1).
    /// </summary>
    public byte[]? TauDifferencesUncompressed(int n, int start, int count)
    {
        var (offset, size) = _file.Section(2);
        if ((long)n + start + count > size / LemCodec.G1Size) return null;
        var high = LemCodec.ReadG1Array(_file, offset + ((long)n + start) * LemCodec.G1Size, count, $"{_file.Path}: section 2");
        var low = LemCodec.ReadG1Array(_file, offset + (long)start * LemCodec.G1Size, count, $"{_file.Path}: section 2");
        var diff = new G1Projective[count];
        Parallel.For(0, LemCodec.Chunks(count), c =>
        {
            var (from, to) = LemCodec.Range(count, LemCodec.Chunks(count), c);
            for (int i = from; i < to; i++) diff[i] = high[i].ToProjective() - low[i].ToProjective();
        });
        var affine = new G1Affine[count];
        G1Projective.BatchToAffine(diff, affine);
        var bytes = new byte[(long)count * LemCodec.G1Size];
        for (int i = 0; i < count; i++) affine[i].WriteUncompressed(bytes.AsSpan(i * LemCodec.G1Size, LemCodec.G1Size));
        return bytes;
    }

    public G2Affine[] LagrangeG2(int n)
    {
        if (n > 1 << Power) throw new SnarkFormatException($"{_file.Path}: a domain of {n} needs a powers-of-tau of power {Log2(n)}, this one has {Power}");
        var (offset, size) = _file.Section(13);
        long expected = ((2L << Power) - 1) * LemCodec.G2Size;
        if (size != expected) throw new SnarkFormatException($"{_file.Path}: section 13 has {size} bytes, expected {expected}");
        var points = LemCodec.ReadG2Array(_file, offset + (n - 1L) * LemCodec.G2Size, n, $"{_file.Path}: section 13");
        return points;
    }

    private static int Log2(int n) => BitOperations.Log2((uint)n);

    public void Dispose() => _file.Dispose();
}
