using System.Buffers.Binary;
using System.Text;
using ZkMl.Field;
using ZkMl.Stark.Internal;

namespace ZkMl.Stark;

/// <summary>Opened Merkle leaves of one committed table (rows of the LDE) with their multi-proof.</summary>
internal sealed class TableOpening
{
    public byte[][] Salts = [];           // one per opened leaf (ZK only; empty otherwise)
    public Goldilocks[][] Rows = [];      // one per opened leaf
    public byte[][] Proof = [];
}

/// <summary>Opened leaves (k extension values each) of one FRI layer with their multi-proof.</summary>
internal sealed class FriLayerOpening
{
    public GoldilocksExt2[][] Leaves = [];
    public byte[][] Proof = [];
}

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

    internal StarkParameters Parameters = StarkParameters.Secure100;
    internal int LogTraceLength;
    internal byte[] AirDigest = new byte[32];
    internal byte[][] MainRoots = [];
    internal byte[]? AuxRoot;
    internal byte[] CompRoot = new byte[32];
    internal GoldilocksExt2[] OodMainZ = [], OodMainZg = [], OodAuxZ = [], OodAuxZg = [], OodComp = [];
    internal byte[][] FriRoots = [];
    internal GoldilocksExt2[] Remainder = [];
    internal ulong PowNonce;
    internal TableOpening[] Main = [];
    internal TableOpening Aux = new(), Comp = new();
    internal FriLayerOpening[] FriLayers = [];
    internal double SecurityBitsValue;
    internal int LdeSizeValue;

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
        w.ExtArray(OodMainZ); w.ExtArray(OodMainZg); w.ExtArray(OodAuxZ); w.ExtArray(OodAuxZg); w.ExtArray(OodComp);
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
        var p = new StarkProof { Parameters = StarkParameters.Decode(r.Take(7)) };
        p.LogTraceLength = r.U8();
        if (p.LogTraceLength < 2 || p.LogTraceLength > 26) throw new StarkProofFormatException($"Trace length 2^{p.LogTraceLength} out of range.");
        p.AirDigest = r.Take(32).ToArray();
        int segments = r.U8();
        if (segments < 1) throw new StarkProofFormatException("A proof needs at least one main-trace commitment.");
        p.MainRoots = new byte[segments][];
        for (int i = 0; i < segments; i++) p.MainRoots[i] = r.Take(32).ToArray();
        byte hasAux = r.U8();
        if (hasAux > 1) throw new StarkProofFormatException("Invalid auxiliary-trace flag.");
        if (hasAux == 1) p.AuxRoot = r.Take(32).ToArray();
        p.CompRoot = r.Take(32).ToArray();
        p.OodMainZ = r.ExtArray(); p.OodMainZg = r.ExtArray(); p.OodAuxZ = r.ExtArray(); p.OodAuxZg = r.ExtArray(); p.OodComp = r.ExtArray();
        int layers = r.U16();
        if (layers > 32) throw new StarkProofFormatException("Too many FRI layers.");
        p.FriRoots = new byte[layers][];
        for (int i = 0; i < layers; i++) p.FriRoots[i] = r.Take(32).ToArray();
        p.Remainder = r.ExtArray();
        p.PowNonce = r.U64();
        p.Main = new TableOpening[segments];
        for (int i = 0; i < segments; i++) p.Main[i] = ReadTable(r, p.Parameters.ZeroKnowledge);
        if (hasAux == 1) p.Aux = ReadTable(r, p.Parameters.ZeroKnowledge);
        p.Comp = ReadTable(r, p.Parameters.ZeroKnowledge);
        p.FriLayers = new FriLayerOpening[layers];
        for (int l = 0; l < layers; l++)
        {
            int count = r.U16();
            int width = r.U8();
            if (width > 16 || (count > 0 && width == 0)) throw new StarkProofFormatException("Invalid FRI leaf width.");
            var layer = new FriLayerOpening { Leaves = new GoldilocksExt2[count][] };
            for (int i = 0; i < count; i++)
            {
                layer.Leaves[i] = new GoldilocksExt2[width];
                for (int j = 0; j < width; j++) layer.Leaves[i][j] = r.Ext();
            }
            layer.Proof = ReadDigests(r);
            p.FriLayers[l] = layer;
        }
        if (!r.AtEnd) throw new StarkProofFormatException($"{r.Remaining} trailing bytes after the proof.");
        return p;
    }

    private static TableOpening ReadTable(Reader r, bool salted)
    {
        int count = r.U16();
        int width = r.U16();
        var t = new TableOpening { Rows = new Goldilocks[count][], Salts = salted ? new byte[count][] : [] };
        for (int i = 0; i < count; i++)
        {
            if (salted) t.Salts[i] = r.Take(SaltSize).ToArray();
            t.Rows[i] = new Goldilocks[width];
            for (int j = 0; j < width; j++) t.Rows[i][j] = r.Base();
        }
        t.Proof = ReadDigests(r);
        return t;
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
