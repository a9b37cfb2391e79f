using System.Security.Cryptography;

namespace ZkMl.Network;

/// <summary>Checks that registered verifier keys are canonical ECDSA P-256 SubjectPublicKeyInfo DER.</summary>
internal static class VerifierKeys
{
    internal static bool IsP256(byte[]? spki)
    {
        if (spki is null || spki.Length is 0 or > NetworkLimits.MaxKeyBytes) return false;
        try
        {
            using var key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(spki, out int read);
            var curve = key.ExportParameters(false).Curve;
            return read == spki.Length && curve.IsNamed && (curve.Oid.Value == "1.2.840.10045.3.1.7" || curve.Oid.FriendlyName is "nistP256" or "ECDSA_P256")
                && key.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(spki);
        }
        catch (Exception e) when (e is CryptographicException or PlatformNotSupportedException)
        {
            return false;
        }
    }
}
