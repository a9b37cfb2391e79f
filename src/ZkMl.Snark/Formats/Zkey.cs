using System.Buffers.Binary;
using System.Numerics;
using ZkMl.Common;
using ZkMl.Circuits.Circom;
using ZkMl.Field;
using ZkMl.Snark.Curves;
using ZkMl.Snark.Groth16;

namespace ZkMl.Snark.Formats;

/// <summary>
/// Reads and writes snarkjs Groth16 proving keys (.zkey, iden3 binfile "zkey" version 1). Sections:
/// 1 protocol (1 = Groth16), 2 header (q, r, nVars, nPublic, domainSize, α₁ β₁ β₂ γ₂ δ₁ δ₂), 3 IC, 4 A/B coefficients
/// (stored as value·R² so that one Montgomery product with a plain witness yields Montgomery form), 5 A, 6 B₁, 7 B₂,
/// 8 C (private wires), 9 H (odd-coset Lagrange points over the 2n-domain), 10 contributions.
/// </summary>
public static class Zkey
{
    private const int Groth16ProtocolId = 1;

    /// <summary>
    /// Reads a Groth16 .zkey into a proving key. Every declared size is checked against the file and against
    /// <paramref name="limits"/> (default <see cref="DecoderLimits.Default"/>) before anything is allocated; header points
    /// must be finite, G2 points in the order-r subgroup. Throws <see cref="SnarkFormatException"/> naming what is wrong
    /// (<see cref="SnarkLimitExceededException"/> for a size beyond a limit).
    /// </summary>
    public static Groth16ProvingKey ReadProvingKey(string path, DecoderLimits? limits = null) => ReadProvingKey(path, limits, checkB2Subgroup: true);

    /// <summary>
    /// <see cref="ReadProvingKey(string, DecoderLimits?)"/>, where <paramref name="checkB2Subgroup"/> false checks the B2 query
    /// points (one per wire) on the twist but not in the order-r subgroup: the subgroup test costs about 0.1 ms a point, which
    /// was half of a Poseidon circuit's whole proof at 2^12. Meant for a key read to prove with: <see cref="Groth16Prover"/>
    /// checks the proof's B in the subgroup, and since β₂ and δ₂ are still checked exactly, B is in the subgroup exactly when
    /// the witness's combination of the B2 points is, which is all that a bad B2 point could show of the witness.
    /// </summary>
    /// <param name="path">The .zkey file.</param>
    /// <param name="limits">Decoder limits; null for <see cref="DecoderLimits.Default"/>.</param>
    /// <param name="checkB2Subgroup">true to check every B2 point in the subgroup, false on the curve only.</param>
    public static Groth16ProvingKey ReadProvingKey(string path, DecoderLimits? limits, bool checkB2Subgroup)
    {
        using var file = BinFile.Open(path, "zkey", 1, limits);
        var h = ReadHeader(file);
        int nVars = h.VariableCount, nPublic = h.PublicCount, n = h.DomainSize;
        int nPrivate = nVars - nPublic - 1;
        var (ic, aSection, b1Section, b2Section, cSection, hSection) = PointSections(file, h);
        var mpc = ZkeyContributions.Read(file);

        (SparseRows A, SparseRows B) coefficients;
        using (Groth16Telemetry.Telemetry.Phase("zkey.coefficients")) coefficients = ReadCoefficients(file, path, nVars, n);
        var (matrixA, matrixB) = coefficients;

        // All point sections in one parallel pass, decoded straight from the mapped file into the key's arrays.
        var points = new PointSectionReader(file);
        var icPoints = points.AddG1(ic.Offset, nPublic + 1, $"{path}: IC section");
        var a = points.AddG1(aSection.Offset, nVars, $"{path}: A section");
        var b1 = points.AddG1(b1Section.Offset, nVars, $"{path}: B1 section");
        var b2 = points.AddG2(b2Section.Offset, nVars, $"{path}: B2 section", checkB2Subgroup);
        var c = points.AddG1(cSection.Offset, nPrivate, $"{path}: C section");
        var hq = points.AddG1(hSection.Offset, n, $"{path}: H section");
        using (Groth16Telemetry.Telemetry.Phase("zkey.points")) points.Run();
        RequireFinite(icPoints, path, "IC");

        return new Groth16ProvingKey(nVars, nPublic, n, h.Alpha1, h.Beta1, h.Beta2, h.Gamma2, h.Delta1, h.Delta2,
            icPoints, matrixA, matrixB, a, b1, b2, c, hq) { Contributions = mpc };
    }

    /// <summary>
    /// Reads only the verification key of a Groth16 .zkey (header and IC sections), as `snarkjs zkey export verificationkey` does,
    /// with the same size, limit and point checks as <see cref="ReadProvingKey(string, DecoderLimits?)"/>.
    /// </summary>
    public static Groth16VerifyingKey ReadVerifyingKey(string path, DecoderLimits? limits = null)
    {
        using var file = BinFile.Open(path, "zkey", 1, limits);
        var h = ReadHeader(file);
        var ic = ReadFiniteG1(file, PointSections(file, h).IC, h.PublicCount + 1, "IC");
        return new Groth16VerifyingKey(h.Alpha1, h.Beta2, h.Gamma2, h.Delta2, ic);
    }

    // Every point section's size follows from the header: all are checked against the file before any is read,
    // so a small file claiming a huge domain or wire count is rejected without allocating for it.
    private static ((long Offset, long Size) IC, (long Offset, long Size) A, (long Offset, long Size) B1, (long Offset, long Size) B2,
        (long Offset, long Size) C, (long Offset, long Size) H) PointSections(BinFile file, Header h) =>
        (file.SectionOfSize(3, (h.PublicCount + 1L) * LemCodec.G1Size, "IC points"),
         file.SectionOfSize(5, (long)h.VariableCount * LemCodec.G1Size, "A points"),
         file.SectionOfSize(6, (long)h.VariableCount * LemCodec.G1Size, "B1 points"),
         file.SectionOfSize(7, (long)h.VariableCount * LemCodec.G2Size, "B2 points"),
         file.SectionOfSize(8, ((long)h.VariableCount - h.PublicCount - 1) * LemCodec.G1Size, "C points"),
         file.SectionOfSize(9, (long)h.DomainSize * LemCodec.G1Size, "H points"));

    private static G1Affine[] ReadFiniteG1(BinFile file, (long Offset, long Size) section, int count, string name) =>
        RequireFinite(LemCodec.ReadG1Array(file, section.Offset, count, $"{file.Path}: {name} section"), file.Path, name);

    private static G1Affine[] RequireFinite(G1Affine[] points, string path, string name)
    {
        for (int i = 0; i < points.Length; i++)
            if (points[i].IsInfinity) throw new SnarkFormatException($"{path}: {name}[{i}] is the point at infinity");
        return points;
    }

    internal sealed record Header(int VariableCount, int PublicCount, int DomainSize,
        G1Affine Alpha1, G1Affine Beta1, G2Affine Beta2, G2Affine Gamma2, G1Affine Delta1, G2Affine Delta2);

    private static Header ReadHeader(BinFile file)
    {
        string path = file.Path;
        var (p1, size1) = file.Section(1);
        if (size1 != 4) throw new SnarkFormatException($"{path}: protocol section has {size1} bytes, expected 4");
        uint protocol = BinaryPrimitives.ReadUInt32LittleEndian(file.Span(p1, 4));
        if (protocol != Groth16ProtocolId)
            throw new SnarkFormatException($"{path}: not a Groth16 zkey (protocol id {protocol}; 2 is PLONK, 10 is FFLONK)");

        file.SectionOfSize(2, HeaderSize, "Groth16 header");
        var r = new SectionReader(file.Span(file.Section(2).Offset, HeaderSize), $"{path}: Groth16 header");
        uint n8q = r.U32();
        if (n8q != 32) throw new SnarkFormatException($"{path}: base field of {n8q} bytes; only BN254 (bn128) is supported");
        var q = new BigInteger(r.Take(32), isUnsigned: true, isBigEndian: false);
        if (q != Bn254Fq.Modulus) throw new SnarkFormatException($"{path}: curve is not BN254 (bn128); q = {q}");
        uint n8r = r.U32();
        if (n8r != 32) throw new SnarkFormatException($"{path}: scalar field of {n8r} bytes; only BN254 (bn128) is supported");
        var rr = new BigInteger(r.Take(32), isUnsigned: true, isBigEndian: false);
        if (rr != Bn254Fr.Modulus) throw new SnarkFormatException($"{path}: scalar field is not BN254's r");
        uint nVars = r.U32(), nPublic = r.U32(), domainSize = r.U32();
        var limits = file.Limits;
        SnarkLimitExceededException.Check(path, "variable count", nameof(DecoderLimits.MaxWires), nVars, limits.MaxWires);
        SnarkLimitExceededException.Check(path, "domain size", nameof(DecoderLimits.MaxDomainLog2), domainSize, 1L << Math.Clamp(limits.MaxDomainLog2, 0, 62));
        if (nVars < 1 || nVars > int.MaxValue / 2) throw new SnarkFormatException($"{path}: invalid variable count {nVars}");
        if (nPublic >= nVars) throw new SnarkFormatException($"{path}: {nPublic} public signals but only {nVars} variables");
        if (domainSize == 0 || (domainSize & (domainSize - 1)) != 0 || domainSize > (1u << 27))
            throw new SnarkFormatException($"{path}: domain size {domainSize} is not a power of two up to 2^27");
        var alpha1 = G1(ref r, path, "alpha1");
        var beta1 = G1(ref r, path, "beta1");
        var beta2 = G2(ref r, path, "beta2");
        var gamma2 = G2(ref r, path, "gamma2");
        var delta1 = G1(ref r, path, "delta1");
        var delta2 = G2(ref r, path, "delta2");
        return new Header((int)nVars, (int)nPublic, (int)domainSize, alpha1, beta1, beta2, gamma2, delta1, delta2);
    }

    private const int HeaderSize = 4 + 32 + 4 + 32 + 12 + 3 * LemCodec.G1Size + 3 * LemCodec.G2Size;

    // Groth16 needs every header point finite: α, β, γ, δ at infinity make forging trivial.
    private static G1Affine G1(ref SectionReader r, string path, string name)
    {
        if (!LemCodec.TryReadG1(r.Take(LemCodec.G1Size), out var p) || !p.IsOnCurve)
            throw new SnarkFormatException($"{path}: {name} is not a valid G1 point");
        if (p.IsInfinity) throw new SnarkFormatException($"{path}: {name} is the point at infinity");
        return p;
    }

    private static G2Affine G2(ref SectionReader r, string path, string name)
    {
        if (!LemCodec.TryReadG2(r.Take(LemCodec.G2Size), out var p) || !p.IsOnCurve)
            throw new SnarkFormatException($"{path}: {name} is not a valid G2 point");
        if (!p.IsInSubgroup) throw new SnarkFormatException($"{path}: {name} is not in the G2 subgroup of order r");
        if (p.IsInfinity) throw new SnarkFormatException($"{path}: {name} is the point at infinity");
        return p;
    }

    private static (SparseRows A, SparseRows B) ReadCoefficients(BinFile file, string path, int nVars, int domainSize)
    {
        var (offset, size) = file.Section(4);
        if (size < 4) throw new SnarkFormatException($"{path}: coefficients section is truncated");
        long count = BinaryPrimitives.ReadUInt32LittleEndian(file.Span(offset, 4));
        const int entrySize = 12 + LemCodec.FrSize;
        if (4 + count * entrySize != size)
            throw new SnarkFormatException($"{path}: coefficients section has {size} bytes for {count} entries");
        SnarkLimitExceededException.Check(path, "coefficient count", nameof(DecoderLimits.MaxConstraints), (ulong)count, 2 * file.Limits.MaxConstraints);
        file.CheckReadSize(size);
        var data = file.Span(offset, (int)size);
        // Stored values are v·R² in Montgomery limbs, i.e. the Montgomery form of v·R; a Montgomery product with raw 1 divides by R.
        var unR = Bn254Fr.FromMontgomeryLimbs(1, 0, 0, 0);
        int countA = 0;
        for (long i = 0; i < count; i++)
        {
            uint m = BinaryPrimitives.ReadUInt32LittleEndian(data[(int)(4 + i * entrySize)..]);
            if (m > 1) throw new SnarkFormatException($"{path}: coefficient {i} names matrix {m} (only A = 0 and B = 1 are stored)");
            if (m == 0) countA++;
        }
        var ta = new (int, int, Bn254Fr)[countA];
        var tb = new (int, int, Bn254Fr)[count - countA];
        int ia = 0, ib = 0;
        for (long i = 0; i < count; i++)
        {
            var e = data.Slice((int)(4 + i * entrySize), entrySize);
            uint m = BinaryPrimitives.ReadUInt32LittleEndian(e);
            uint row = BinaryPrimitives.ReadUInt32LittleEndian(e[4..]);
            uint signal = BinaryPrimitives.ReadUInt32LittleEndian(e[8..]);
            if (row >= (uint)domainSize) throw new SnarkFormatException($"{path}: coefficient {i} is in row {row}, outside the domain of {domainSize}");
            if (signal >= (uint)nVars) throw new SnarkFormatException($"{path}: coefficient {i} names signal {signal} of {nVars}");
            if (!LemCodec.TryReadFrMontgomery(e[12..], out var raw))
                throw new SnarkFormatException($"{path}: coefficient {i} is not below the scalar field modulus");
            var value = raw * unR;
            if (m == 0) ta[ia++] = ((int)row, (int)signal, value);
            else tb[ib++] = ((int)row, (int)signal, value);
        }
        return (SparseRows.FromTriples(domainSize, ta), SparseRows.FromTriples(domainSize, tb));
    }

    /// <summary>
    /// Writes <paramref name="key"/> as a snarkjs-readable Groth16 .zkey (atomically: temp file, then rename), laid out as
    /// snarkjs lays it out. A key from <see cref="Groth16Setup.FromPtau(ZkMl.Circuits.R1cs{Bn254Fr}, string)"/> (or read from a ceremony's .zkey) carries its
    /// ceremony record, so `snarkjs zkey verify` attests the file and `snarkjs zkey contribute` continues from it; a
    /// <see cref="Groth16Setup.Development(ZkMl.Circuits.R1cs{Bn254Fr})"/> key records none and is not ceremony-continuable (snarkjs still proves with it).
    /// </summary>
    public static void Write(Groth16ProvingKey key, string path)
    {
        ArgumentNullException.ThrowIfNull(key);
        AtomicFile.Write(path, stream =>
        {
            var w = new BinaryWriter(stream);
            w.Write("zkey"u8);
            w.Write(1u);
            w.Write(10u);
            void Section(int id, Action<BinaryWriter> body)
            {
                w.Write((uint)id);
                long sizePos = stream.Position;
                w.Write(0UL);
                body(w);
                w.Flush();
                long end = stream.Position;
                stream.Position = sizePos;
                w.Write((ulong)(end - sizePos - 8));
                w.Flush();
                stream.Position = end;
            }
            var buf = new byte[LemCodec.G2Size];
            void G1(BinaryWriter bw, in G1Affine p) { LemCodec.WriteG1(p, buf); bw.Write(buf, 0, LemCodec.G1Size); }
            void G2(BinaryWriter bw, in G2Affine p) { LemCodec.WriteG2(p, buf); bw.Write(buf, 0, LemCodec.G2Size); }
            void Big(BinaryWriter bw, BigInteger v) { var b = new byte[32]; v.TryWriteBytes(b, out _, isUnsigned: true); bw.Write(b); }

            // Sections in order 1..10, as `snarkjs zkey contribute` writes them, so a contributed snarkjs key read and
            // written again is byte-identical (`zkey new` alone orders them 1, 2, 4, 3, 9, 8, 5, 6, 7, 10).
            Section(1, bw => bw.Write((uint)Groth16ProtocolId));
            Section(2, bw =>
            {
                bw.Write(32u); Big(bw, Bn254Fq.Modulus);
                bw.Write(32u); Big(bw, Bn254Fr.Modulus);
                bw.Write((uint)key.VariableCount); bw.Write((uint)key.PublicCount); bw.Write((uint)key.DomainSize);
                G1(bw, key.Alpha1); G1(bw, key.Beta1); G2(bw, key.Beta2); G2(bw, key.Gamma2); G1(bw, key.Delta1); G2(bw, key.Delta2);
            });
            Section(3, bw => { foreach (var p in key.IcPoints) G1(bw, p); });
            Section(4, bw => WriteCoefficients(bw, key));
            Section(5, bw => { foreach (var p in key.APoints) G1(bw, p); });
            Section(6, bw => { foreach (var p in key.B1Points) G1(bw, p); });
            Section(7, bw => { foreach (var p in key.B2Points) G2(bw, p); });
            Section(8, bw => { foreach (var p in key.CPoints) G1(bw, p); });
            Section(9, bw => { foreach (var p in key.HPoints) G1(bw, p); });
            Section(10, bw => bw.Write(key.Contributions?.Bytes ?? new byte[68]));
            w.Flush();
        });
    }

    // Row by row, A's entries then B's, as `snarkjs zkey new` orders them (zkey verify compares this section byte for byte).
    private static void WriteCoefficients(BinaryWriter bw, Groth16ProvingKey key)
    {
        bw.Write((uint)(key.MatrixA.EntryCount + key.MatrixB.EntryCount));
        // A Montgomery product with R = 2^256 mod r: the stored limbs are those of v·R², snarkjs's convention.
        var r = Bn254Fr.FromBigInteger(BigInteger.ModPow(2, 256, Bn254Fr.Modulus));
        var entry = new byte[12 + 32];
        for (int row = 0; row < Math.Max(key.MatrixA.RowCount, key.MatrixB.RowCount); row++)
            foreach (var (matrix, rows) in new[] { (0u, key.MatrixA), (1u, key.MatrixB) })
            {
                if (row >= rows.RowCount) continue;
                for (int k = rows.RowStart[row]; k < rows.RowStart[row + 1]; k++)
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(entry, matrix);
                    BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(4), (uint)row);
                    BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(8), (uint)rows.Signals[k]);
                    (rows.Values[k] * r).GetMontgomeryLimbs(out var l0, out var l1, out var l2, out var l3);
                    BinaryPrimitives.WriteUInt64LittleEndian(entry.AsSpan(12), l0);
                    BinaryPrimitives.WriteUInt64LittleEndian(entry.AsSpan(20), l1);
                    BinaryPrimitives.WriteUInt64LittleEndian(entry.AsSpan(28), l2);
                    BinaryPrimitives.WriteUInt64LittleEndian(entry.AsSpan(36), l3);
                    bw.Write(entry);
                }
            }
    }
}
