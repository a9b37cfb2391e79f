using System.Security.Cryptography;

namespace ZkMl.Training.Contract;

/// <summary>The bytes every challenge value or signature binds: tag || contract digest || purpose || u32 length || commitment.</summary>
internal static class ChallengeBinding
{
    internal static ContractWriter Start(ReadOnlySpan<byte> tag, ReadOnlySpan<byte> contractDigest, ChallengePurpose purpose, ReadOnlySpan<byte> commitment)
    {
        var w = new ContractWriter();
        w.Raw(tag);
        w.Raw(contractDigest);
        w.U8((byte)purpose);
        w.Bytes(commitment);
        return w;
    }

    internal static byte[] Hash(ContractWriter w) => SHA256.HashData(w.ToArray());

    internal static byte[] CheckedDigest(TrainingContract contract, ChallengeSourceKind kind)
    {
        ArgumentNullException.ThrowIfNull(contract);
        if (contract.ChallengeSource != kind) throw new ArgumentException($"The contract names a {contract.ChallengeSource} challenge source, not {kind}.", nameof(contract));
        return contract.Digest();
    }
}
