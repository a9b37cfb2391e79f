using System.Numerics;
using System.Security.Cryptography;
using ZkMl.Training.Contract;

namespace ZkMl.Training.Tests.Contract;

public class WorkerKeyTests
{
    private static readonly BigInteger N = BigInteger.Parse("0FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", System.Globalization.NumberStyles.HexNumber);

    private static WorkerKey Worker() => WorkerKey.ImportPkcs8(Convert.FromHexString(ContractSamples.WorkerPkcs8));

    [Fact]
    public void SignedTranscriptVerifiesAndExportRoundTrips()
    {
        using var key = Worker();
        Assert.Equal(ContractSamples.WorkerSpki, Convert.ToHexStringLower(key.PublicKey));
        using var again = WorkerKey.ImportPkcs8(key.ExportPkcs8());
        Assert.Equal(key.PublicKey, again.PublicKey);
        var contract = ContractSamples.Stark();
        byte[] transcript = SHA256.HashData("a transcript"u8);
        byte[] signature = key.SignTranscript(contract, transcript);
        Assert.Equal(64, signature.Length);
        Assert.True(WorkerKey.VerifyTranscript(contract, transcript, signature));
    }

    [Fact]
    public void SignatureByAnotherKeyIsRejected()
    {
        using var stranger = WorkerKey.Create();
        var contract = ContractSamples.Stark();
        byte[] transcript = SHA256.HashData("a transcript"u8);
        Assert.Throws<ArgumentException>(() => stranger.SignTranscript(contract, transcript));
        Assert.False(WorkerKey.VerifyTranscript(contract, transcript, stranger.Sign(contract.Digest(), transcript)));
    }

    [Fact]
    public void TamperedMessageOrContractIsRejected()
    {
        using var key = Worker();
        var contract = ContractSamples.Stark();
        byte[] transcript = SHA256.HashData("a transcript"u8);
        byte[] signature = key.SignTranscript(contract, transcript);
        transcript[0] ^= 1;
        Assert.False(WorkerKey.VerifyTranscript(contract, transcript, signature));
        transcript[0] ^= 1;
        Assert.False(WorkerKey.VerifyTranscript(contract with { StepCount = 501 }, transcript, signature));
        signature[10] ^= 1;
        Assert.False(WorkerKey.VerifyTranscript(contract, transcript, signature));
        Assert.False(WorkerKey.VerifyTranscript(contract, transcript, signature.AsSpan(0, 63)));
    }

    [Fact]
    public void SignaturesHaveLowSAndTheHighSTwinIsRejected()
    {
        using var key = Worker();
        var digest = ContractSamples.Stark().Digest();
        for (int i = 0; i < 20; i++)
        {
            byte[] message = [(byte)i];
            byte[] signature = key.Sign(digest, message);
            var s = new BigInteger(signature.AsSpan(32), isUnsigned: true, isBigEndian: true);
            Assert.True(s <= N / 2);
            Assert.True(WorkerKey.Verify(key.PublicKey, digest, message, signature));
            // (r, n - s) is also a valid ECDSA signature; the low-s rule rejects it.
            var twin = signature.ToArray();
            var high = (N - s).ToByteArray(isUnsigned: true, isBigEndian: true);
            twin.AsSpan(32).Clear();
            high.CopyTo(twin.AsSpan(64 - high.Length));
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportSubjectPublicKeyInfo(key.PublicKey, out _);
            byte[] signed = [.. WorkerKey.SignatureTag, .. digest, .. BitConverter.GetBytes(1u), .. message];
            Assert.True(ecdsa.VerifyData(signed, twin, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
            Assert.False(WorkerKey.Verify(key.PublicKey, digest, message, twin));
        }
    }

    [Fact]
    public void NonP256KeysAreRefused()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        Assert.Throws<CryptographicException>(() => WorkerKey.ImportPkcs8(p384.ExportPkcs8PrivateKey()));
        Assert.Equal("WorkerPublicKey", Assert.Throws<ContractFormatException>(() =>
            (ContractSamples.Stark() with { WorkerPublicKey = [.. p384.ExportSubjectPublicKeyInfo()] }).Encode()).Field);
    }
}
