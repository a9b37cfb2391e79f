using System.Buffers.Binary;
using System.Collections.Immutable;
using ZkMl.Field;
using ZkMl.Snark.Curves;
using ZkMl.Training.Contract;

namespace ZkMl.Training.Shards;

/// <summary>
/// A contributor's signed shard commitment with its claims and their zero-knowledge proof: the shard root (the salted
/// Poseidon-BN254 tree over its rows, as the Groth16 backend commits a data set), the claims, a Groth16 proof of the
/// claims against the root, all bound to a run identifier and signed with the contributor's P-256 key.
/// Checked by <see cref="ShardAttestations.Verify"/>; carried as bytes by <see cref="Encode"/> / <see cref="Decode"/>.
/// </summary>
/// <remarks>
/// Encoding (version 1, integers little-endian): magic "ZKSA", u16 version, run id (32), u32 key length + contributor
/// key (SPKI DER), shard root (32, a canonical BN254 scalar as the Groth16 backend writes it), u32 row count, u32 maximum feature, u16 class
/// count + u32 per class, proof (128: compressed A, B, C), signature (64, low-s r||s over
/// <see cref="SignatureTag"/> || every preceding byte). No trailing bytes.
/// </remarks>
public sealed class ShardAttestation
{
    /// <summary>Bytes of a run identifier.</summary>
    public const int RunIdBytes = 32;

    /// <summary>Bytes of a shard root.</summary>
    public const int RootBytes = 32;

    /// <summary>Bytes of the proof (compressed Groth16 A, B, C).</summary>
    public const int ProofBytes = 2 * G1Affine.CompressedSize + G2Affine.CompressedSize;

    /// <summary>Bytes of the signature.</summary>
    public const int SignatureBytes = P256.SignatureBytes;

    private const ushort Version = 1;

    internal ShardAttestation(byte[] runId, byte[] contributorKey, byte[] shardRoot, ShardClaims claims, byte[] proof, byte[] signature)
    {
        RunId = [.. runId];
        ContributorKey = [.. contributorKey];
        ShardRoot = [.. shardRoot];
        Claims = claims;
        Proof = [.. proof];
        Signature = [.. signature];
    }

    /// <summary>The domain tag of contributor signatures.</summary>
    public static ReadOnlySpan<byte> SignatureTag => "ZkMl.ShardAttestation.v1"u8;

    private static ReadOnlySpan<byte> Magic => "ZKSA"u8;

    /// <summary>The run this shard is contributed to (chosen by the run's registrar before contributors commit).</summary>
    public ImmutableArray<byte> RunId { get; }

    /// <summary>The contributor's public key (P-256 SubjectPublicKeyInfo DER).</summary>
    public ImmutableArray<byte> ContributorKey { get; }

    /// <summary>The shard's salted Merkle root.</summary>
    public ImmutableArray<byte> ShardRoot { get; }

    /// <summary>The attested properties.</summary>
    public ShardClaims Claims { get; }

    /// <summary>The Groth16 proof of the claims against <see cref="ShardRoot"/>.</summary>
    public ImmutableArray<byte> Proof { get; }

    /// <summary>The contributor's signature over everything else.</summary>
    public ImmutableArray<byte> Signature { get; }

    /// <summary>A copy with other fields (for re-signing, and for tests that forge attestations).</summary>
    internal ShardAttestation With(byte[]? contributorKey = null, byte[]? shardRoot = null, ShardClaims? claims = null, byte[]? proof = null,
        byte[]? signature = null, byte[]? runId = null) =>
        new(runId ?? [.. RunId], contributorKey ?? [.. ContributorKey], shardRoot ?? [.. ShardRoot], claims ?? Claims, proof ?? [.. Proof],
            signature ?? [.. Signature]);

    /// <summary>The canonical encoding.</summary>
    public byte[] Encode()
    {
        var body = SignedBytes();
        var bytes = new byte[body.Length - SignatureTag.Length + SignatureBytes];
        body.AsSpan(SignatureTag.Length).CopyTo(bytes);
        Signature.AsSpan().CopyTo(bytes.AsSpan(bytes.Length - SignatureBytes));
        return bytes;
    }

    /// <summary>What the signature covers: <see cref="SignatureTag"/> then the encoding up to the signature.</summary>
    internal byte[] SignedBytes()
    {
        var h = Claims.Histogram;
        int length = SignatureTag.Length + Magic.Length + 2 + RunIdBytes + 4 + ContributorKey.Length + RootBytes + 4 + 4 + 2 + 4 * h.Length + ProofBytes;
        var bytes = new byte[length];
        int at = 0;
        void Put(ReadOnlySpan<byte> s) { s.CopyTo(bytes.AsSpan(at)); at += s.Length; }
        void U16(ushort v) { BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at), v); at += 2; }
        void U32(uint v) { BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), v); at += 4; }
        Put(SignatureTag);
        Put(Magic);
        U16(Version);
        Put(RunId.AsSpan());
        U32((uint)ContributorKey.Length);
        Put(ContributorKey.AsSpan());
        Put(ShardRoot.AsSpan());
        U32((uint)Claims.RowCount);
        U32((uint)Claims.MaxFeature);
        U16((ushort)h.Length);
        foreach (int c in h) U32((uint)c);
        Put(Proof.AsSpan());
        return bytes;
    }

    /// <summary>Decodes an attestation (structure only: <see cref="ShardAttestations.Verify"/> checks signature, claims and proof).</summary>
    /// <exception cref="ShardFormatException">The bytes are longer than a limit, truncated, carry a wrong magic, version or
    /// length, a non-canonical root, a value out of range, or trailing bytes; lengths are checked before anything is allocated.</exception>
    public static ShardAttestation Decode(ReadOnlySpan<byte> bytes, ShardLimits? limits = null)
    {
        limits ??= ShardLimits.Default;
        if (bytes.Length > limits.MaxEncodedBytes)
            throw new ShardFormatException("Encoding", $"{bytes.Length} bytes exceed the limit of {limits.MaxEncodedBytes}.");
        var r = new Reader(bytes);
        if (!r.Take(Magic.Length, "Magic").SequenceEqual(Magic)) throw new ShardFormatException("Magic", "not a shard attestation.");
        ushort version = r.U16("Version");
        if (version != Version) throw new ShardFormatException("Version", $"version {version} is not supported.");
        var runId = r.Take(RunIdBytes, nameof(RunId)).ToArray();
        uint keyLength = r.U32(nameof(ContributorKey));
        if (keyLength == 0 || keyLength > limits.MaxKeyBytes)
            throw new ShardFormatException(nameof(ContributorKey), $"a key of {keyLength} bytes is outside 1..{limits.MaxKeyBytes}.");
        var key = r.Take((int)keyLength, nameof(ContributorKey)).ToArray();
        var rootBytes = r.Take(RootBytes, nameof(ShardRoot));
        if (!Bn254Fr.TryReadBytes(rootBytes, out _)) throw new ShardFormatException(nameof(ShardRoot), "not a canonical BN254 scalar.");
        var root = rootBytes.ToArray();
        uint rows = r.U32(nameof(ShardClaims.RowCount));
        if (rows == 0 || rows > ShardParameters.MaxCapacity)
            throw new ShardFormatException(nameof(ShardClaims.RowCount), $"{rows} rows is outside 1..{ShardParameters.MaxCapacity}.");
        uint max = r.U32(nameof(ShardClaims.MaxFeature));
        if (max >= 1u << 25) throw new ShardFormatException(nameof(ShardClaims.MaxFeature), $"{max} is not below 2^25 (features have at most 25 bits).");
        ushort classes = r.U16(nameof(ShardClaims.Histogram));
        if (classes == 0 || classes > limits.MaxClasses)
            throw new ShardFormatException(nameof(ShardClaims.Histogram), $"{classes} classes is outside 1..{limits.MaxClasses}.");
        if (r.Left < 4 * classes) throw new ShardFormatException(nameof(ShardClaims.Histogram), "truncated.");
        var histogram = new int[classes];
        for (int c = 0; c < classes; c++)
        {
            uint count = r.U32(nameof(ShardClaims.Histogram));
            if (count > rows) throw new ShardFormatException(nameof(ShardClaims.Histogram), $"class {c} counts {count} rows, more than the {rows} rows.");
            histogram[c] = (int)count;
        }
        var proof = r.Take(ProofBytes, nameof(Proof)).ToArray();
        var signature = r.Take(SignatureBytes, nameof(Signature)).ToArray();
        if (r.Left != 0) throw new ShardFormatException("Encoding", $"{r.Left} trailing bytes.");
        return new ShardAttestation(runId, key, root, new ShardClaims((int)rows, max, [.. histogram]), proof, signature);
    }

    private ref struct Reader(ReadOnlySpan<byte> bytes)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;
        private int _at;

        public readonly int Left => _bytes.Length - _at;

        public ReadOnlySpan<byte> Take(int count, string field)
        {
            if (count > Left) throw new ShardFormatException(field, "truncated.");
            var s = _bytes.Slice(_at, count);
            _at += count;
            return s;
        }

        public ushort U16(string field) => BinaryPrimitives.ReadUInt16LittleEndian(Take(2, field));

        public uint U32(string field) => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, field));
    }
}
