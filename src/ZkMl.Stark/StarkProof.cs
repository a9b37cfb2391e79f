using System.Buffers.Binary;
using System.Text;
using ZkMl.Field;
using ZkMl.Stark.Internal;

namespace ZkMl.Stark;

/// <summary>
/// A STARK proof. Serialize with <see cref="ToBytes"/>; parse with <see cref="FromBytes"/> (strict: any malformed,
/// truncated or over-long input throws <see cref="StarkProofFormatException"/>).
/// </summary>
public sealed class StarkProof
{
    /// <summary>Serialization format version.</summary>
    public const ushort FormatVersion = 1;
    private static ReadOnlySpan<byte> Magic => "ZKSTARK1"u8;
    private const int SaltSize = 16;

    internal StarkProof(StarkParameters parameters, int logTraceLength, byte[] airDigest, byte[][] mainRoots, byte[]? auxRoot, byte[] compRoot,
        OutOfDomainValues ood, byte[][] friRoots, GoldilocksExt2[] remainder, ulong powNonce,
        TableOpening[] main, TableOpening aux, TableOpening comp, FriLayerOpening[] friLayers, double securityBits = 0, int ldeSize = 0)
    {
        Parameters = parameters;
        LogTraceLength = logTraceLength;
        AirDigest = airDigest;
        MainRoots = mainRoots;
        AuxRoot = auxRoot;
        CompRoot = compRoot;
        Ood = ood;
        FriRoots = friRoots;
        Remainder = remainder;
        PowNonce = powNonce;
        Main = main;
        Aux = aux;
        Comp = comp;
        FriLayers = friLayers;
        SecurityBitsValue = securityBits;
        LdeSizeValue = ldeSize;
    }

    internal StarkParameters Parameters { get; }
    internal int LogTraceLength { get; }
    internal byte[] AirDigest { get; }
    internal byte[][] MainRoots { get; }
    internal byte[]? AuxRoot { get; }
    internal byte[] CompRoot { get; }
    internal OutOfDomainValues Ood { get; }
    internal byte[][] FriRoots { get; }
    internal GoldilocksExt2[] Remainder { get; }
    internal ulong PowNonce { get; }
    internal TableOpening[] Main { get; }
    internal TableOpening Aux { get; }
    internal TableOpening Comp { get; }
    internal FriLayerOpening[] FriLayers { get; }
    /// <summary>Set by the prover (a parsed proof reports 0).</summary>
    internal double SecurityBitsValue { get; }
    internal int LdeSizeValue { get; }

    /// <summary>The parameters the proof was made with.</summary>
    public StarkParameters ParametersUsed => Parameters;
    /// <summary>Number of trace rows.</summary>
    public int TraceLength => 1 << LogTraceLength;
    /// <summary>Conjectured security in bits (see <see cref="StarkParameters.ConjecturedSecurityBits"/>).</summary>
    public double ConjecturedSecurityBits => SecurityBitsValue;
    /// <summary>
    /// The Merkle root of main-trace segment <paramref name="segment"/> (see <see cref="Air.MainSegmentWidths"/>). A segment proved
    /// with a caller-supplied seed has a root that depends only on its columns, the seed and the parameters, so it serves as a
    /// hiding commitment to those columns that other proofs can share.
    /// </summary>
    public ReadOnlyMemory<byte> SegmentRoot(int segment) => MainRoots[segment];

    /// <summary>Number of separately committed main-trace segments.</summary>
    public int SegmentCount => MainRoots.Length;

    /// <summary>Size of the serialized proof in bytes.</summary>
    public int SizeInBytes => ToBytes().Length;

    /// <summary>One-line metadata: security, parameters, sizes.</summary>
    public override string ToString() =>
        $"STARK proof v{FormatVersion}: {TraceLength} rows, LDE {LdeSizeValue}, blowup {Parameters.BlowupFactor}, {Parameters.NumQueries} queries, " +
        $"{Parameters.GrindingBits} grinding bits, FRI folding {Parameters.FriFoldingFactor}, {FriRoots.Length} FRI layers, zero-knowledge {(Parameters.ZeroKnowledge ? "on" : "off")}, " +
        $"conjectured security {SecurityBitsValue:F1} bits{(SecurityBitsValue < 100 ? " (INSECURE)" : "")}, {SizeInBytes} bytes";

    /// <summary>Serializes the proof.</summary>
    public byte[] ToBytes()
    {
        var w = new Writer();
        w.Bytes(Magic);
        w.U16(FormatVersion);
        w.Bytes(Parameters.Encode());
        w.U8((byte)LogTraceLength);
        w.Bytes(AirDigest);
        w.U8((byte)MainRoots.Length);
        foreach (var root in MainRoots) w.Bytes(root);
        w.U8((byte)(AuxRoot is null ? 0 : 1));
        if (AuxRoot is not null) w.Bytes(AuxRoot);
        w.Bytes(CompRoot);
        w.ExtArray(Ood.MainZ); w.ExtArray(Ood.MainZg); w.ExtArray(Ood.AuxZ); w.ExtArray(Ood.AuxZg); w.ExtArray(Ood.Comp);
        w.U16((ushort)FriRoots.Length);
        foreach (var r in FriRoots) w.Bytes(r);
        w.ExtArray(Remainder);
        w.U64(PowNonce);
        foreach (var t in Main) WriteTable(w, t);
        if (AuxRoot is not null) WriteTable(w, Aux);
        WriteTable(w, Comp);
        foreach (var layer in FriLayers)
        {
            w.U16((ushort)layer.Leaves.Length);
            w.U8((byte)(layer.Leaves.Length == 0 ? 0 : layer.Leaves[0].Length));
            foreach (var leaf in layer.Leaves) foreach (var v in leaf) w.Ext(v);
            WriteDigests(w, layer.Proof);
        }
        return w.ToArray();
    }

    private void WriteTable(Writer w, TableOpening t)
    {
        w.U16((ushort)t.Rows.Length);
        w.U16((ushort)(t.Rows.Length == 0 ? 0 : t.Rows[0].Length));
        for (int i = 0; i < t.Rows.Length; i++)
        {
            if (Parameters.ZeroKnowledge) w.Bytes(t.Salts[i]);
            foreach (var v in t.Rows[i]) w.Base(v);
        }
        WriteDigests(w, t.Proof);
    }

    private static void WriteDigests(Writer w, byte[][] digests)
    {
        w.U32((uint)digests.Length);
        foreach (var d in digests) w.Bytes(d);
    }

    /// <summary>Parses a proof. Throws <see cref="StarkProofFormatException"/> on any malformed input.</summary>
    public static StarkProof FromBytes(ReadOnlySpan<byte> bytes)
    {
        var r = new Reader(bytes.ToArray());
        if (!r.Take(8).SequenceEqual(Magic)) throw new StarkProofFormatException("Not a ZkMl STARK proof (bad magic).");
        ushort version = r.U16();
        if (version != FormatVersion) throw new StarkProofFormatException($"Unsupported proof format version {version} (expected {FormatVersion}).");
        var parameters = StarkParameters.Decode(r.Take(7));
        int logTraceLength = r.U8();
        if (logTraceLength < 2 || logTraceLength > 26) throw new StarkProofFormatException($"Trace length 2^{logTraceLength} out of range.");
        var airDigest = r.Take(32).ToArray();
        int segments = r.U8();
        if (segments < 1) throw new StarkProofFormatException("A proof needs at least one main-trace commitment.");
        var mainRoots = new byte[segments][];
        for (int i = 0; i < segments; i++) mainRoots[i] = r.Take(32).ToArray();
        byte hasAux = r.U8();
        if (hasAux > 1) throw new StarkProofFormatException("Invalid auxiliary-trace flag.");
        byte[]? auxRoot = hasAux == 1 ? r.Take(32).ToArray() : null;
        var compRoot = r.Take(32).ToArray();
        var ood = new OutOfDomainValues(r.ExtArray(), r.ExtArray(), r.ExtArray(), r.ExtArray(), r.ExtArray());
        int layers = r.U16();
        if (layers > 32) throw new StarkProofFormatException("Too many FRI layers.");
        var friRoots = new byte[layers][];
        for (int i = 0; i < layers; i++) friRoots[i] = r.Take(32).ToArray();
        var remainder = r.ExtArray();
        ulong powNonce = r.U64();
        bool salted = parameters.ZeroKnowledge;
        var main = new TableOpening[segments];
        for (int i = 0; i < segments; i++) main[i] = ReadTable(r, salted);
        var aux = hasAux == 1 ? ReadTable(r, salted) : TableOpening.Empty;
        var comp = ReadTable(r, salted);
        var friLayers = new FriLayerOpening[layers];
        for (int l = 0; l < layers; l++)
        {
            int count = r.U16();
            int width = r.U8();
            if (width > 16 || (count > 0 && width == 0)) throw new StarkProofFormatException("Invalid FRI leaf width.");
            var leaves = new GoldilocksExt2[count][];
            for (int i = 0; i < count; i++)
            {
                leaves[i] = new GoldilocksExt2[width];
                for (int j = 0; j < width; j++) leaves[i][j] = r.Ext();
            }
            friLayers[l] = new FriLayerOpening(leaves, ReadDigests(r));
        }
        if (!r.AtEnd) throw new StarkProofFormatException($"{r.Remaining} trailing bytes after the proof.");
        return new StarkProof(parameters, logTraceLength, airDigest, mainRoots, auxRoot, compRoot, ood, friRoots, remainder, powNonce, main, aux, comp, friLayers);
    }

    private static TableOpening ReadTable(Reader r, bool salted)
    {
        int count = r.U16();
        int width = r.U16();
        var rows = new Goldilocks[count][];
        var salts = salted ? new byte[count][] : [];
        for (int i = 0; i < count; i++)
        {
            if (salted) salts[i] = r.Take(SaltSize).ToArray();
            rows[i] = new Goldilocks[width];
            for (int j = 0; j < width; j++) rows[i][j] = r.Base();
        }
        return new TableOpening(salts, rows, ReadDigests(r));
    }

    private static byte[][] ReadDigests(Reader r)
    {
        uint count = r.U32();
        if (count > r.Remaining / 32) throw new StarkProofFormatException("Merkle proof longer than the remaining input.");
        var d = new byte[count][];
        for (int i = 0; i < count; i++) d[i] = r.Take(32).ToArray();
        return d;
    }

    internal static int SaltLength => SaltSize;

    private sealed class Writer
    {
        private readonly MemoryStream _ms = new();
        public void Bytes(ReadOnlySpan<byte> b) => _ms.Write(b);
        public void U8(byte v) => _ms.WriteByte(v);
        public void U16(ushort v) { Span<byte> b = stackalloc byte[2]; BinaryPrimitives.WriteUInt16LittleEndian(b, v); _ms.Write(b); }
        public void U32(uint v) { Span<byte> b = stackalloc byte[4]; BinaryPrimitives.WriteUInt32LittleEndian(b, v); _ms.Write(b); }
        public void U64(ulong v) { Span<byte> b = stackalloc byte[8]; BinaryPrimitives.WriteUInt64LittleEndian(b, v); _ms.Write(b); }
        public void Base(Goldilocks v) { Span<byte> b = stackalloc byte[8]; v.WriteBytes(b); _ms.Write(b); }
        public void Ext(GoldilocksExt2 v) { Span<byte> b = stackalloc byte[16]; Internal.Ext.Write(b, v); _ms.Write(b); }
        public void ExtArray(GoldilocksExt2[] a) { U32((uint)a.Length); foreach (var v in a) Ext(v); }
        public byte[] ToArray() => _ms.ToArray();
    }

    private sealed class Reader(byte[] data)
    {
        private int _pos;
        public int Remaining => data.Length - _pos;
        public bool AtEnd => _pos == data.Length;
        public ReadOnlySpan<byte> Take(int n)
        {
            if (n < 0 || n > Remaining) throw new StarkProofFormatException($"Proof truncated at byte {_pos} (needed {n} more bytes).");
            var s = data.AsSpan(_pos, n);
            _pos += n;
            return s;
        }
        public byte U8() => Take(1)[0];
        public ushort U16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));
        public uint U32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));
        public ulong U64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));
        public Goldilocks Base()
        {
            int at = _pos;
            if (!Goldilocks.TryReadBytes(Take(8), out var v)) throw new StarkProofFormatException($"Non-canonical field element at byte {at}.");
            return v;
        }
        public GoldilocksExt2 Ext() => Internal.Ext.Make(Base(), Base());
        public GoldilocksExt2[] ExtArray()
        {
            uint n = U32();
            if (n > Remaining / 16) throw new StarkProofFormatException("Array longer than the remaining input.");
            var a = new GoldilocksExt2[n];
            for (int i = 0; i < n; i++) a[i] = Ext();
            return a;
        }
    }
}
