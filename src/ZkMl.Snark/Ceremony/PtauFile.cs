using System.Numerics;
using ZkMl.Circuits.Circom;
using ZkMl.Common;
using ZkMl.Field;
using ZkMl.Snark.Curves;
using ZkMl.Snark.Formats;

namespace ZkMl.Snark.Ceremony;

/// <summary>
/// A whole snarkjs .ptau in memory: 1 header (n8, q, power, ceremonyPower), 2 [τⁱ]₁ (2^(power+1) − 1 points), 3 [τⁱ]₂,
/// 4 [α·τⁱ]₁, 5 [β·τⁱ]₁ (2^power each), 6 [β]₂, 7 contributions, and when prepared for phase 2, 12..15 the
/// Lagrange-basis points of every domain 2^0..2^power (12 also 2^(power+1)). Points in little-endian Montgomery form.
/// </summary>
internal sealed class PtauFile
{
    public const int MaxPower = 28;

    public required int Power { get; init; }
    public required int CeremonyPower { get; init; }
    public required G1Affine[] TauG1 { get; init; }
    public required G2Affine[] TauG2 { get; init; }
    public required G1Affine[] AlphaTauG1 { get; init; }
    public required G1Affine[] BetaTauG1 { get; init; }
    public required G2Affine BetaG2 { get; init; }
    public required IReadOnlyList<PtauContribution> Contributions { get; init; }

    /// <summary>Sections 12..15, or null when the file is not prepared for phase 2.</summary>
    public (G1Affine[] Tau1, G2Affine[] Tau2, G1Affine[] Alpha1, G1Affine[] Beta1)? Lagrange { get; init; }

    public static int TauG1Count(int power) => (2 << power) - 1;

    public static PtauFile Read(string path, bool withLagrange)
    {
        using var file = BinFile.Open(path, "ptau", 1);
        var r = new SectionReader(file.ReadSection(1), $"{path}: header");
        uint n8 = r.U32();
        if (n8 != 32) throw new SnarkFormatException($"{path}: base field of {n8} bytes; only BN254 (bn128) is supported");
        var q = new BigInteger(r.Take(32), isUnsigned: true, isBigEndian: false);
        if (q != Bn254Fq.Modulus) throw new SnarkFormatException($"{path}: curve is not BN254 (bn128)");
        uint power = r.U32(), ceremonyPower = r.U32();
        if (r.Remaining != 0) throw new SnarkFormatException($"{path}: header has {r.Remaining} unexpected trailing bytes");
        SnarkLimitExceededException.Check(path, "power", nameof(DecoderLimits.MaxDomainLog2), power, file.Limits.MaxDomainLog2);
        if (power < 1 || power > MaxPower || ceremonyPower < power || ceremonyPower > MaxPower)
            throw new SnarkFormatException($"{path}: unsupported power {power} (ceremony power {ceremonyPower})");
        int p = (int)power, n = 1 << p;
        var s2 = file.SectionOfSize(2, (long)TauG1Count(p) * LemCodec.G1Size, "tau G1");
        var s3 = file.SectionOfSize(3, (long)n * LemCodec.G2Size, "tau G2");
        var s4 = file.SectionOfSize(4, (long)n * LemCodec.G1Size, "alpha tau G1");
        var s5 = file.SectionOfSize(5, (long)n * LemCodec.G1Size, "beta tau G1");
        var s6 = file.SectionOfSize(6, LemCodec.G2Size, "beta G2");
        var contributions = ReadContributions(file);

        (G1Affine[], G2Affine[], G1Affine[], G1Affine[])? lagrange = null;
        if (withLagrange && file.Has(12) && file.Has(13) && file.Has(14) && file.Has(15))
        {
            long lagrangeCount = (2L << p) - 1;
            var l12 = file.SectionOfSize(12, ((4L << p) - 1) * LemCodec.G1Size, "Lagrange tau G1");
            var l13 = file.SectionOfSize(13, lagrangeCount * LemCodec.G2Size, "Lagrange tau G2");
            var l14 = file.SectionOfSize(14, lagrangeCount * LemCodec.G1Size, "Lagrange alpha tau G1");
            var l15 = file.SectionOfSize(15, lagrangeCount * LemCodec.G1Size, "Lagrange beta tau G1");
            lagrange = (
                LemCodec.ReadG1Array(file, l12.Offset, (int)((4L << p) - 1), $"{path}: section 12"),
                LemCodec.ReadG2Array(file, l13.Offset, (int)lagrangeCount, $"{path}: section 13"),
                LemCodec.ReadG1Array(file, l14.Offset, (int)lagrangeCount, $"{path}: section 14"),
                LemCodec.ReadG1Array(file, l15.Offset, (int)lagrangeCount, $"{path}: section 15"));
        }
        return new PtauFile
        {
            Power = p,
            CeremonyPower = (int)ceremonyPower,
            TauG1 = LemCodec.ReadG1Array(file, s2.Offset, TauG1Count(p), $"{path}: section 2 (tau G1)"),
            TauG2 = LemCodec.ReadG2Array(file, s3.Offset, n, $"{path}: section 3 (tau G2)"),
            AlphaTauG1 = LemCodec.ReadG1Array(file, s4.Offset, n, $"{path}: section 4 (alpha tau G1)"),
            BetaTauG1 = LemCodec.ReadG1Array(file, s5.Offset, n, $"{path}: section 5 (beta tau G1)"),
            BetaG2 = LemCodec.ReadG2Array(file, s6.Offset, 1, $"{path}: section 6 (beta G2)")[0],
            Contributions = contributions,
            Lagrange = lagrange,
        };
    }

    private static List<PtauContribution> ReadContributions(BinFile file)
    {
        var r = new SectionReader(file.ReadSection(7), $"{file.Path}: contributions section");
        uint count = r.U32();
        // The smallest record: five points, the key, hashes, type and parameter length.
        const int minRecord = 3 * LemCodec.G1Size + 2 * LemCodec.G2Size + 6 * LemCodec.G1Size + 3 * LemCodec.G2Size + Blake2b.PartialSize + 64 + 8;
        if ((ulong)count * minRecord > (ulong)r.Remaining)
            throw new SnarkFormatException($"{file.Path}: {count} contributions cannot fit in the contributions section's {r.Remaining} bytes");
        var list = new List<PtauContribution>((int)count);
        for (int i = 0; i < count; i++)
            list.Add(PtauContribution.Read(ref r, $"{file.Path}: contribution #{i + 1}"));
        if (r.Remaining != 0) throw new SnarkFormatException($"{file.Path}: contributions section has {r.Remaining} unexpected trailing bytes");
        return list;
    }

    /// <summary>
    /// Writes sections 1..7 (and 12..15 when <see cref="Lagrange"/> is set), atomically, telling
    /// <paramref name="pointsWritten"/> the number of points of each section once it is written.
    /// </summary>
    public void Write(string path, Action<long>? pointsWritten = null)
    {
        AtomicFile.Write(path, stream =>
        {
            var w = new BinaryWriter(stream);
            w.Write("ptau"u8);
            w.Write(1u);
            w.Write(Lagrange is null ? 7u : 11u);
            void Section(int id, Action body)
            {
                w.Write((uint)id);
                long sizePos = stream.Position;
                w.Write(0UL);
                w.Flush();
                body();
                long end = stream.Position;
                stream.Position = sizePos;
                w.Write((ulong)(end - sizePos - 8));
                w.Flush();
                stream.Position = end;
            }
            void Points(int id, byte[] encoded, int count)
            {
                Section(id, () => stream.Write(encoded));
                pointsWritten?.Invoke(count);
            }
            Section(1, () =>
            {
                w.Write(32u);
                var q = new byte[32];
                Bn254Fq.Modulus.TryWriteBytes(q, out _, isUnsigned: true);
                w.Write(q);
                w.Write((uint)Power);
                w.Write((uint)CeremonyPower);
                w.Flush();
            });
            Points(2, Lem(TauG1), TauG1.Length);
            Points(3, Lem(TauG2), TauG2.Length);
            Points(4, Lem(AlphaTauG1), AlphaTauG1.Length);
            Points(5, Lem(BetaTauG1), BetaTauG1.Length);
            Points(6, Lem([BetaG2]), 1);
            Section(7, () =>
            {
                w.Write((uint)Contributions.Count);
                w.Flush();
                foreach (var c in Contributions) c.Write(stream);
            });
            if (Lagrange is { } l)
            {
                Points(12, Lem(l.Tau1), l.Tau1.Length);
                Points(13, Lem(l.Tau2), l.Tau2.Length);
                Points(14, Lem(l.Alpha1), l.Alpha1.Length);
                Points(15, Lem(l.Beta1), l.Beta1.Length);
            }
        });
    }

    public static byte[] Lem(G1Affine[] points)
    {
        var bytes = new byte[(long)points.Length * LemCodec.G1Size];
        ParallelChunks.For(points.Length, 1024, (from, to) =>
        {
            for (int i = from; i < to; i++) LemCodec.WriteG1(points[i], bytes.AsSpan(i * LemCodec.G1Size, LemCodec.G1Size));
        });
        return bytes;
    }

    public static byte[] Lem(G2Affine[] points)
    {
        var bytes = new byte[(long)points.Length * LemCodec.G2Size];
        ParallelChunks.For(points.Length, 1024, (from, to) =>
        {
            for (int i = from; i < to; i++) LemCodec.WriteG2(points[i], bytes.AsSpan(i * LemCodec.G2Size, LemCodec.G2Size));
        });
        return bytes;
    }
}
