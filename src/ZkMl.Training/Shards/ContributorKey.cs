using System.Security.Cryptography;
using ZkMl.Training.Contract;

namespace ZkMl.Training.Shards;

/// <summary>
/// A data contributor's ECDSA P-256 signing key (System.Security.Cryptography), with the same rules as the worker's
/// (<see cref="WorkerKey"/>): canonical SubjectPublicKeyInfo public keys, 64-byte low-s r||s signatures.
/// </summary>
public sealed class ContributorKey : IDisposable
{
    private readonly ECDsa _key;

    private ContributorKey(ECDsa key) => _key = key;

    /// <summary>A fresh key.</summary>
    public static ContributorKey Create() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>Imports a PKCS#8 private key.</summary>
    /// <exception cref="CryptographicException">Not a single P-256 private key.</exception>
    public static ContributorKey ImportPkcs8(ReadOnlySpan<byte> pkcs8)
    {
        var key = ECDsa.Create();
        key.ImportPkcs8PrivateKey(pkcs8, out int read);
        if (read != pkcs8.Length || !P256.IsP256(key))
        {
            key.Dispose();
            throw new CryptographicException("Not a single ECDSA P-256 PKCS#8 private key.");
        }
        return new ContributorKey(key);
    }

    /// <summary>The private key as PKCS#8 DER (keep it secret).</summary>
    public byte[] ExportPkcs8() => _key.ExportPkcs8PrivateKey();

    /// <summary>The public key as SubjectPublicKeyInfo DER (what a run registers for this contributor).</summary>
    public byte[] PublicKey => _key.ExportSubjectPublicKeyInfo();

    internal byte[] Sign(ReadOnlySpan<byte> message) => P256.Sign(_key, message);

    /// <inheritdoc />
    public void Dispose() => _key.Dispose();
}
