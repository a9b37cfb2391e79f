using ZkMl.Field;
using ZkMl.Common;

namespace ZkMl.Circuits.Circom;

/// <summary>
/// circom's binary constraint-system file (.r1cs, version 1): magic "r1cs", a header section (field size, prime,
/// wire and input counts, label count, constraint count), a constraints section (A, B, C as lists of wire/coefficient
/// pairs, coefficients in canonical little-endian form) and a wire-to-label section. This is also ZkMl's own
/// serialization of <see cref="R1cs{T}"/>, so snarkjs can read what ZkMl builds.
/// </summary>
public static class CircomR1cs
{
    private const uint HeaderSection = 1, ConstraintsSection = 2, Wire2LabelSection = 3;

    /// <summary>
    /// Reads and strictly validates a .r1cs file's bytes; throws <see cref="CircomFormatException"/> naming any problem,
    /// or <see cref="CircomLimitExceededException"/> when a declared count exceeds <paramref name="limits"/> (default <see cref="DecoderLimits.Default"/>).
    /// </summary>
    public static R1cs<T> Read<T>(ReadOnlySpan<byte> data, DecoderLimits? limits = null) where T : struct, IPrimeField<T>
    {
        const string what = "r1cs file";
        limits ??= DecoderLimits.Default;
        var sections = CircomContainer.ReadSections(data, "r1cs", 1, what, limits);
        foreach (var s in sections)
            if (s.Type is 4 or 5) throw new CircomFormatException($"{what}: custom-gate sections (type {s.Type}) are not supported; their constraints are not plain R1CS");
        var header = CircomContainer.Single(sections, HeaderSection, "header", what);
        var hc = new BinaryCursor(data.Slice(header.Offset, header.Size), "r1cs header section");
        var n8 = hc.U32("field size");
        if (n8 == 0 || n8 % 8 != 0 || n8 > 1024) throw new CircomFormatException($"{what}: invalid field size {n8}");
        var prime = hc.UnsignedInteger((int)n8, "prime");
        CircomContainer.CheckPrime<T>(prime, (int)n8, what);
        var nWires = hc.U32("wire count");
        var nPubOut = hc.U32("public output count");
        var nPubIn = hc.U32("public input count");
        var nPrvIn = hc.U32("private input count");
        var nLabels = hc.U64("label count");
        var mConstraints = hc.U32("constraint count");
        if (hc.Remaining != 0) throw new CircomFormatException($"{what}: header section has {hc.Remaining} unexpected extra bytes");
        CircomLimitExceededException.Check(what, "wire count", nameof(DecoderLimits.MaxWires), nWires, limits.MaxWires);
        CircomLimitExceededException.Check(what, "constraint count", nameof(DecoderLimits.MaxConstraints), mConstraints, limits.MaxConstraints);
        if (nWires == 0 || nWires > int.MaxValue) throw new CircomFormatException($"{what}: invalid wire count {nWires}");
        if (1UL + nPubOut + nPubIn + nPrvIn > nWires)
            throw new CircomFormatException($"{what}: 1 + {nPubOut} public outputs + {nPubIn} public inputs + {nPrvIn} private inputs exceed {nWires} wires");
        if (nLabels < nWires) throw new CircomFormatException($"{what}: {nLabels} labels for {nWires} wires");

        var cs = CircomContainer.Single(sections, ConstraintsSection, "constraints", what);
        // Each constraint holds at least three 4-byte term counts: bound the count before allocating.
        if ((ulong)mConstraints * 12 > (ulong)cs.Size)
            throw new CircomFormatException($"{what}: {mConstraints} constraints cannot fit in a {cs.Size}-byte constraints section");
        var cc = new BinaryCursor(data.Slice(cs.Offset, cs.Size), "r1cs constraints section");
        var constraints = new R1csConstraint<T>[mConstraints];
        for (int i = 0; i < mConstraints; i++)
        {
            var a = ReadLc<T>(ref cc, (int)n8, nWires, i, 'A');
            var b = ReadLc<T>(ref cc, (int)n8, nWires, i, 'B');
            var c = ReadLc<T>(ref cc, (int)n8, nWires, i, 'C');
            constraints[i] = new R1csConstraint<T>(a, b, c);
        }
        if (cc.Remaining != 0) throw new CircomFormatException($"{what}: constraints section has {cc.Remaining} bytes after constraint {mConstraints - 1}");

        foreach (var s in sections)
            if (s.Type == Wire2LabelSection)
            {
                if (s.Size != (long)nWires * 8) throw new CircomFormatException($"{what}: wire2label section is {s.Size} bytes, expected {nWires} x 8");
                var lc = new BinaryCursor(data.Slice(s.Offset, s.Size), "r1cs wire2label section");
                for (int w = 0; w < nWires; w++)
                {
                    var label = lc.U64("label");
                    if (label >= nLabels) throw new CircomFormatException($"{what}: wire {w} maps to label {label} >= {nLabels} labels");
                }
            }
        return new R1cs<T>((int)nWires, (int)nPubOut, (int)nPubIn, (int)nPrvIn, constraints);
    }

    private static LinearCombination<T> ReadLc<T>(ref BinaryCursor cur, int n8, uint nWires, int index, char which) where T : struct, IPrimeField<T>
    {
        var n = cur.U32($"term count of {which} in constraint {index}");
        if ((ulong)n * (ulong)(4 + n8) > (ulong)cur.Remaining)
            throw new CircomFormatException($"r1cs file is truncated: {which} of constraint {index} declares {n} terms but only {cur.Remaining} bytes remain");
        var terms = new Term<T>[n];
        for (int k = 0; k < n; k++)
        {
            var wire = cur.U32($"wire of {which} term {k} in constraint {index}");
            if (wire >= nWires) throw new CircomFormatException($"r1cs file: constraint {index} {which} term {k} uses wire {wire} but there are {nWires} wires");
            terms[k] = new Term<T>((int)wire, cur.FieldElement<T>(n8, $"coefficient of {which} term {k} in constraint {index}"));
        }
        return LinearCombination<T>.FromTerms(terms);
    }

    /// <summary>
    /// Reads a .r1cs file, parsed straight from a read-only mapping of it (refusing, before mapping, one larger than
    /// <see cref="DecoderLimits.MaxBufferBytes"/>).
    /// </summary>
    public static R1cs<T> ReadFile<T>(string path, DecoderLimits? limits = null) where T : struct, IPrimeField<T>
    {
        limits ??= DecoderLimits.Default;
        using var file = new MappedFile(path, limits);
        return Read<T>(file.Span, limits);
    }

    /// <summary>Reads a .r1cs file from a stream (to its end, at most <see cref="DecoderLimits.MaxBufferBytes"/> bytes).</summary>
    public static R1cs<T> Read<T>(Stream stream, DecoderLimits? limits = null) where T : struct, IPrimeField<T>
    {
        var bytes = CircomContainer.ReadStream(stream, "r1cs stream", limits ?? DecoderLimits.Default);
        return Read<T>(bytes, limits);
    }

    /// <summary>Writes <paramref name="system"/> in circom's .r1cs format (each wire labelled by its own index).</summary>
    public static void Write<T>(R1cs<T> system, Stream stream) where T : struct, IPrimeField<T>
    {
        int n8 = T.ByteLength;
        using var w = new BinaryWriter(stream, System.Text.Encoding.ASCII, leaveOpen: true);
        CircomContainer.WriteHeader(w, "r1cs", 1, 3);
        w.Write(HeaderSection);
        w.Write((ulong)(32 + n8));
        w.Write((uint)n8);
        CircomContainer.WritePrime<T>(w);
        w.Write((uint)system.WireCount);
        w.Write((uint)system.PublicOutputCount);
        w.Write((uint)system.PublicInputCount);
        w.Write((uint)system.PrivateInputCount);
        w.Write((ulong)system.WireCount);
        w.Write((uint)system.ConstraintCount);

        long size = 0;
        foreach (var c in system.Constraints) size += 12 + (4L + n8) * (c.A.Count + c.B.Count + c.C.Count);
        w.Write(ConstraintsSection);
        w.Write((ulong)size);
        var buf = new byte[n8];
        foreach (var c in system.Constraints)
        {
            WriteLc(w, c.A, buf);
            WriteLc(w, c.B, buf);
            WriteLc(w, c.C, buf);
        }

        w.Write(Wire2LabelSection);
        w.Write((ulong)system.WireCount * 8);
        for (int i = 0; i < system.WireCount; i++) w.Write((ulong)i);
    }

    private static void WriteLc<T>(BinaryWriter w, LinearCombination<T> lc, byte[] buf) where T : struct, IPrimeField<T>
    {
        w.Write((uint)lc.Count);
        foreach (var t in lc.Terms)
        {
            w.Write((uint)t.Wire);
            t.Coefficient.WriteBytes(buf);
            w.Write(buf);
        }
    }

    /// <summary>Writes a .r1cs file atomically (temporary name, then rename).</summary>
    public static void WriteFile<T>(R1cs<T> system, string path) where T : struct, IPrimeField<T> =>
        AtomicFile.Write(path, s => Write(system, s));
}
