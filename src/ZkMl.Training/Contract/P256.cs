using System.Numerics;
using System.Security.Cryptography;

namespace ZkMl.Training.Contract;

/// <summary>
/// ECDSA P-256 with SHA-256 from System.Security.Cryptography, with two rules on top: public keys are canonical
/// uncompressed SubjectPublicKeyInfo DER on the named curve, and signatures are IEEE P1363 r||s (64 bytes) with
/// s &lt;= n/2 ("low s"). Signing normalises s to n - s when needed; verifying rejects high s, so each message and
/// key has one valid encoding of each signature (no malleability).
/// </summary>
internal static class P256
{
    internal const int SignatureBytes = 64;
    private const string CurveOid = "1.2.840.10045.3.1.7";
    private static readonly BigInteger N = BigInteger.Parse("0FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", System.Globalization.NumberStyles.HexNumber);
    private static readonly BigInteger HalfN = N >> 1;

    /// <summary>Imports a public key; false with a reason when it is not canonical P-256 SPKI DER.</summary>
    internal static bool TryImportPublic(ReadOnlySpan<byte> spki, out ECDsa? key, out string reason)
    {
        key = null;
        var candidate = ECDsa.Create();
        try
        {
            candidate.ImportSubjectPublicKeyInfo(spki, out int read);
            if (read != spki.Length) reason = "trailing bytes after the SubjectPublicKeyInfo.";
            else if (!IsP256(candidate)) reason = "the key is not on the named curve P-256.";
            else if (!candidate.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(spki)) reason = "the encoding is not canonical (uncompressed point, named curve).";
            else
            {
                key = candidate;
                reason = "";
                return true;
            }
        }
        // OpenSSL reports a well-formed SPKI naming a curve it does not know as PlatformNotSupportedException.
        catch (Exception e) when (e is CryptographicException or PlatformNotSupportedException)
        {
            reason = "not a SubjectPublicKeyInfo: " + e.Message;
        }
        candidate.Dispose();
        return false;
    }

    internal static bool IsP256(ECDsa key)
    {
        var curve = key.ExportParameters(false).Curve;
        return curve.IsNamed && (curve.Oid.Value == CurveOid || curve.Oid.FriendlyName is "nistP256" or "ECDSA_P256");
    }

    /// <summary>Signs SHA-256(<paramref name="message"/>) and returns r||s with low s.</summary>
    internal static byte[] Sign(ECDsa key, ReadOnlySpan<byte> message)
    {
        byte[] signature = key.SignData(message, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        var s = new BigInteger(signature.AsSpan(32, 32), isUnsigned: true, isBigEndian: true);
        if (s > HalfN)
        {
            var low = (N - s).ToByteArray(isUnsigned: true, isBigEndian: true);
            signature.AsSpan(32, 32).Clear();
            low.CopyTo(signature.AsSpan(64 - low.Length));
        }
        return signature;
    }

    /// <summary>True when <paramref name="signature"/> is a 64-byte low-s signature of <paramref name="message"/> by <paramref name="spki"/>.</summary>
    internal static bool Verify(ReadOnlySpan<byte> spki, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != SignatureBytes || IsHighS(signature)) return false;
        if (!TryImportPublic(spki, out var key, out _)) return false;
        using (key)
            return key!.VerifyData(message, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    private static bool IsHighS(ReadOnlySpan<byte> signature) =>
        new BigInteger(signature.Slice(32, 32), isUnsigned: true, isBigEndian: true) > HalfN;
}
