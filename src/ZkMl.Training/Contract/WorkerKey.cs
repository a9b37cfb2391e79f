using System.Buffers.Binary;
using System.Security.Cryptography;

namespace ZkMl.Training.Contract;

/// <summary>
/// The worker's ECDSA P-256 signing key (System.Security.Cryptography). Signatures are IEEE P1363 r||s (64 bytes) with
/// low s (s &lt;= n/2, normalised on signing, high s rejected on verifying), over
/// <c>"ZkMl.WorkerSignature.v1" || contractDigest (32) || u32 LE length || message</c>, so a signature never moves to
/// another contract or another message, and no second valid encoding of it exists.
/// </summary>
public sealed class WorkerKey : IDisposable
{
    private readonly ECDsa _key;

    private WorkerKey(ECDsa key) => _key = key;

    /// <summary>The domain tag of worker signatures.</summary>
    public static ReadOnlySpan<byte> SignatureTag => "ZkMl.WorkerSignature.v1"u8;

    /// <summary>A fresh key.</summary>
    public static WorkerKey Create() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>Imports a PKCS#8 private key.</summary>
    /// <exception cref="CryptographicException">Not a P-256 private key.</exception>
    public static WorkerKey ImportPkcs8(ReadOnlySpan<byte> pkcs8)
    {
        var key = ECDsa.Create();
        key.ImportPkcs8PrivateKey(pkcs8, out int read);
        if (read != pkcs8.Length || !P256.IsP256(key))
        {
            key.Dispose();
            throw new CryptographicException("Not a single ECDSA P-256 PKCS#8 private key.");
        }
        return new WorkerKey(key);
    }

    /// <summary>The private key as PKCS#8 DER (keep it secret).</summary>
    public byte[] ExportPkcs8() => _key.ExportPkcs8PrivateKey();

    /// <summary>The public key as SubjectPublicKeyInfo DER (what <see cref="TrainingContract.WorkerPublicKey"/> holds).</summary>
    public byte[] PublicKey => _key.ExportSubjectPublicKeyInfo();

    /// <summary>Signs <paramref name="message"/> bound to <paramref name="contractDigest"/>.</summary>
    public byte[] Sign(ReadOnlySpan<byte> contractDigest, ReadOnlySpan<byte> message) => P256.Sign(_key, SignedBytes(contractDigest, message));

    /// <summary>Signs a transcript digest for <paramref name="contract"/>; the key must be the contract's worker key.</summary>
    /// <exception cref="ArgumentException">This is not the contract's worker key, or the digest is not 32 bytes.</exception>
    public byte[] SignTranscript(TrainingContract contract, ReadOnlySpan<byte> transcriptDigest)
    {
        ArgumentNullException.ThrowIfNull(contract);
        if (transcriptDigest.Length != ContractDigest.Length) throw new ArgumentException("A transcript digest is 32 bytes.", nameof(transcriptDigest));
        if (!contract.WorkerPublicKey.AsSpan().SequenceEqual(PublicKey)) throw new ArgumentException("This key is not the contract's worker key.", nameof(contract));
        return Sign(contract.Digest(), transcriptDigest);
    }

    /// <summary>True when <paramref name="signature"/> is a low-s signature of <paramref name="message"/> bound to <paramref name="contractDigest"/> by <paramref name="publicKey"/> (SPKI DER).</summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> contractDigest, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        P256.Verify(publicKey, SignedBytes(contractDigest, message), signature);

    /// <summary>True when the contract's worker key signed <paramref name="transcriptDigest"/> for this contract.</summary>
    public static bool VerifyTranscript(TrainingContract contract, ReadOnlySpan<byte> transcriptDigest, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(contract);
        return transcriptDigest.Length == ContractDigest.Length
            && Verify(contract.WorkerPublicKey.AsSpan(), contract.Digest(), transcriptDigest, signature);
    }

    /// <inheritdoc />
    public void Dispose() => _key.Dispose();

    private static byte[] SignedBytes(ReadOnlySpan<byte> contractDigest, ReadOnlySpan<byte> message)
    {
        if (contractDigest.Length != ContractDigest.Length) throw new ArgumentException("A contract digest is 32 bytes.", nameof(contractDigest));
        var bytes = new byte[SignatureTag.Length + ContractDigest.Length + 4 + message.Length];
        SignatureTag.CopyTo(bytes);
        contractDigest.CopyTo(bytes.AsSpan(SignatureTag.Length));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(SignatureTag.Length + ContractDigest.Length), (uint)message.Length);
        message.CopyTo(bytes.AsSpan(SignatureTag.Length + ContractDigest.Length + 4));
        return bytes;
    }
}
