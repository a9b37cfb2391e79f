using System.Buffers.Binary;
using System.Text;
using ZkMl.Snark.Formats;

namespace ZkMl.Snark.Ceremony;

/// <summary>
/// The tail snarkjs writes after each contribution record, in .ptau and .zkey alike: u32 type (0 random, 1 beacon), u32
/// length, then sorted (tag, value) parameters: 1 name (length byte, UTF-8, at most 64 characters), 2 beacon iterations
/// exponent (one byte), 3 beacon hash (length byte, bytes).
/// </summary>
internal sealed record ContributionParameters(uint Type, string? Name, int NumIterationsExp, byte[]? BeaconHash)
{
    public bool IsBeacon => Type == 1;

    public static ContributionParameters Random(string? name) => new(0, name, 0, null);

    public static ContributionParameters Beacon(string? name, byte[] beaconHash, int numIterationsExp) => new(1, name, numIterationsExp, beaconHash);

    public void Write(Stream s)
    {
        var p = new List<byte>();
        if (!string.IsNullOrEmpty(Name))
        {
            // JavaScript's substring(0, 64) counts UTF-16 units, as string indexing does.
            var bytes = Encoding.UTF8.GetBytes(Name.Length > 64 ? Name[..64] : Name);
            p.Add(1); p.Add((byte)bytes.Length); p.AddRange(bytes);
        }
        if (IsBeacon)
        {
            p.Add(2); p.Add((byte)NumIterationsExp);
            p.Add(3); p.Add((byte)BeaconHash!.Length); p.AddRange(BeaconHash);
        }
        Span<byte> u32 = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(u32, Type);
        s.Write(u32);
        BinaryPrimitives.WriteUInt32LittleEndian(u32, (uint)p.Count);
        s.Write(u32);
        s.Write(p.ToArray());
    }

    /// <summary>Reads the tail as snarkjs does (types strictly increasing, lengths exact); <paramref name="what"/> names the record.</summary>
    public static ContributionParameters Read(ref SectionReader r, string what)
    {
        uint type = r.U32();
        uint length = r.U32();
        if (length > (uint)r.Remaining) throw new SnarkFormatException($"{what}: parameters of {length} bytes, {r.Remaining} remain");
        var data = r.Take((int)length).ToArray();
        string? name = null;
        int exp = 0;
        byte[]? beacon = null;
        int pos = 0, last = 0;
        byte Next()
        {
            if (pos >= data.Length) throw new SnarkFormatException($"{what}: parameters are truncated");
            return data[pos++];
        }
        while (pos < data.Length)
        {
            int tag = Next();
            if (tag <= last) throw new SnarkFormatException($"{what}: parameters must be sorted");
            last = tag;
            switch (tag)
            {
                case 1:
                    {
                        int n = Next();
                        if (n > data.Length - pos) throw new SnarkFormatException($"{what}: parameters are truncated");
                        name = Encoding.UTF8.GetString(data, pos, n);
                        pos += n;
                        break;
                    }
                case 2: exp = Next(); break;
                case 3:
                    {
                        int n = Next();
                        if (n > data.Length - pos) throw new SnarkFormatException($"{what}: parameters are truncated");
                        beacon = data[pos..(pos + n)];
                        pos += n;
                        break;
                    }
                default: throw new SnarkFormatException($"{what}: unknown parameter {tag}");
            }
        }
        if (type == 1 && beacon is null) throw new SnarkFormatException($"{what}: a beacon contribution without its beacon hash");
        return new ContributionParameters(type, name, exp, beacon);
    }

    /// <summary>Parses snarkjs's beacon arguments: a hex string (optional 0x) of 1..255 bytes and an exponent in [10, 63].</summary>
    public static byte[] ParseBeacon(string beaconHashHex, int numIterationsExp)
    {
        ArgumentNullException.ThrowIfNull(beaconHashHex);
        var hex = beaconHashHex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? beaconHashHex[2..] : beaconHashHex;
        byte[] bytes;
        try { bytes = Convert.FromHexString(hex); }
        catch (FormatException) { throw new ArgumentException($"beacon hash '{beaconHashHex}' is not a hexadecimal byte string", nameof(beaconHashHex)); }
        if (bytes.Length == 0 || bytes.Length > 255) throw new ArgumentException("beacon hash must be 1 to 255 bytes", nameof(beaconHashHex));
        if (numIterationsExp < 10 || numIterationsExp > 63)
            throw new ArgumentOutOfRangeException(nameof(numIterationsExp), numIterationsExp, "numIterationsExp must be between 10 and 63 (as snarkjs)");
        return bytes;
    }

    /// <summary>Beacons this costly are refused by verify: checking one means 2^exp SHA-256 evaluations.</summary>
    public const int MaxVerifiableIterationsExp = 32;
}
