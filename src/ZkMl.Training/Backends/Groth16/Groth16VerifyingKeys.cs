using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Security.Cryptography;
using ZkMl.Field;
using ZkMl.Snark.Curves;
using ZkMl.Snark.Formats;
using ZkMl.Snark.Groth16;
using ZkMl.Training.Circuits;
using ZkMl.Training.Contract;

namespace ZkMl.Training.Backends.Groth16;

/// <summary>
/// The two verifying keys of the Groth16 training backend (SGD step and batch membership), as a verifier receives them
/// from a setup ceremony's published files, never from a worker's transcript. A training contract pins each by the
/// SHA-256 of its canonical bytes (<see cref="CanonicalBytes"/>, docs/ceremony.md):
/// <c>alpha1 (64) || beta2 (128) || gamma2 (128) || delta2 (128) || u32 LE IC count || IC[0..] (64 each)</c>, G1 points
/// in EIP-196 form (x, y big-endian), G2 points in EIP-197 form (x.c1, x.c0, y.c1, y.c0 big-endian).
/// </summary>
public sealed class Groth16VerifyingKeys
{
    private const int HeaderBytes = G1Affine.UncompressedSize + 3 * G2Affine.UncompressedSize;

    /// <summary>Wraps the SGD-step and membership verifying keys.</summary>
    public Groth16VerifyingKeys(Groth16VerifyingKey step, Groth16VerifyingKey membership)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(membership);
        Step = step;
        Membership = membership;
        StepSha256 = [.. Sha256(step)];
        MembershipSha256 = [.. Sha256(membership)];
    }

    /// <summary>The SGD-step circuit's verifying key.</summary>
    public Groth16VerifyingKey Step { get; }
    /// <summary>The batch-membership circuit's verifying key.</summary>
    public Groth16VerifyingKey Membership { get; }
    /// <summary><see cref="Sha256"/> of <see cref="Step"/>: the contract's <c>StepVerifyingKeySha256</c>.</summary>
    public ImmutableArray<byte> StepSha256 { get; }
    /// <summary><see cref="Sha256"/> of <see cref="Membership"/>: the contract's <c>MembershipVerifyingKeySha256</c>.</summary>
    public ImmutableArray<byte> MembershipSha256 { get; }

    /// <summary>Parses two snarkjs <c>verification_key.json</c> texts (as <c>snarkjs zkey export verificationkey</c> writes them).</summary>
    /// <exception cref="SnarkFormatException">A key is malformed.</exception>
    public static Groth16VerifyingKeys FromJson(string stepJson, string membershipJson) =>
        new(SnarkjsJson.ParseVerifyingKey(stepJson, "step verification key"),
            SnarkjsJson.ParseVerifyingKey(membershipJson, "membership verification key"));

    /// <summary>Reads two snarkjs <c>verification_key.json</c> files.</summary>
    /// <exception cref="SnarkFormatException">A key is malformed.</exception>
    public static Groth16VerifyingKeys ReadJsonFiles(string stepPath, string membershipPath) =>
        new(SnarkjsJson.ReadVerifyingKey(stepPath), SnarkjsJson.ReadVerifyingKey(membershipPath));

    /// <summary>Parses two keys in <see cref="CanonicalBytes"/> form.</summary>
    /// <exception cref="SnarkFormatException">A key is malformed.</exception>
    public static Groth16VerifyingKeys FromBytes(ReadOnlySpan<byte> step, ReadOnlySpan<byte> membership) =>
        new(ParseCanonicalBytes(step, "step verifying key"), ParseCanonicalBytes(membership, "membership verifying key"));

    /// <summary>SHA-256 of <see cref="CanonicalBytes"/>: the value a training contract pins (32 bytes).</summary>
    public static byte[] Sha256(Groth16VerifyingKey key) => SHA256.HashData(CanonicalBytes(key));

    /// <summary>The canonical byte form of a verifying key (see the class summary); every point is finite.</summary>
    public static byte[] CanonicalBytes(Groth16VerifyingKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var bytes = new byte[HeaderBytes + 4 + key.IC.Count * G1Affine.UncompressedSize];
        var d = bytes.AsSpan();
        key.Alpha1.WriteUncompressed(d);
        key.Beta2.WriteUncompressed(d[G1Affine.UncompressedSize..]);
        key.Gamma2.WriteUncompressed(d[(G1Affine.UncompressedSize + G2Affine.UncompressedSize)..]);
        key.Delta2.WriteUncompressed(d[(G1Affine.UncompressedSize + 2 * G2Affine.UncompressedSize)..]);
        BinaryPrimitives.WriteUInt32LittleEndian(d[HeaderBytes..], (uint)key.IC.Count);
        for (int i = 0; i < key.IC.Count; i++) key.IC[i].WriteUncompressed(d[(HeaderBytes + 4 + i * G1Affine.UncompressedSize)..]);
        return bytes;
    }

    /// <summary>
    /// Parses <see cref="CanonicalBytes"/>: exact length for the declared IC count (checked before allocating), points on
    /// the curve, G2 points in the order-r subgroup, none at infinity.
    /// </summary>
    /// <exception cref="SnarkFormatException">The bytes are not a canonical verifying key; the message names <paramref name="what"/>.</exception>
    public static Groth16VerifyingKey ParseCanonicalBytes(ReadOnlySpan<byte> bytes, string what)
    {
        if (bytes.Length < HeaderBytes + 4) throw new SnarkFormatException($"{what}: {bytes.Length} bytes is shorter than a verifying key");
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(bytes[HeaderBytes..]);
        if (count < 1 || (bytes.Length - HeaderBytes - 4) / G1Affine.UncompressedSize != count
            || (bytes.Length - HeaderBytes - 4) % G1Affine.UncompressedSize != 0)
            throw new SnarkFormatException($"{what}: {bytes.Length} bytes do not hold {count} IC points");
        var alpha = G1(bytes[..G1Affine.UncompressedSize], what, "alpha1");
        var beta = G2(bytes.Slice(G1Affine.UncompressedSize, G2Affine.UncompressedSize), what, "beta2");
        var gamma = G2(bytes.Slice(G1Affine.UncompressedSize + G2Affine.UncompressedSize, G2Affine.UncompressedSize), what, "gamma2");
        var delta = G2(bytes.Slice(G1Affine.UncompressedSize + 2 * G2Affine.UncompressedSize, G2Affine.UncompressedSize), what, "delta2");
        var ic = new G1Affine[count];
        for (int i = 0; i < ic.Length; i++)
            ic[i] = G1(bytes.Slice(HeaderBytes + 4 + i * G1Affine.UncompressedSize, G1Affine.UncompressedSize), what, $"IC[{i}]");
        return new Groth16VerifyingKey(alpha, beta, gamma, delta, ic);
    }

    /// <summary>
    /// Checks both keys against the SHA-256 values pinned in <paramref name="contract"/> and their public-input counts
    /// against its network; throws naming the key that differs.
    /// </summary>
    /// <exception cref="ArgumentException">The contract is not for Groth16, or a key is not the one it pins.</exception>
    public void CheckPinnedBy(TrainingContract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        if (contract.Backend != Backend.Groth16) throw new ArgumentException($"The contract is for the {contract.Backend} backend, not Groth16.", nameof(contract));
        Pinned("step verifying key", StepSha256, contract.StepVerifyingKeySha256, nameof(TrainingContract.StepVerifyingKeySha256));
        Pinned("membership verifying key", MembershipSha256, contract.MembershipVerifyingKeySha256, nameof(TrainingContract.MembershipVerifyingKeySha256));
        if (Step.PublicCount != SgdStepCircuit<Bn254Fr>.PublicInputCount)
            throw new ArgumentException($"The step verifying key has {Step.PublicCount} public inputs; the SGD-step circuit has {SgdStepCircuit<Bn254Fr>.PublicInputCount}.");
        int membershipInputs = BatchMembershipCircuit.PublicInputCount(contract.BatchSize);
        if (Membership.PublicCount != membershipInputs)
            throw new ArgumentException($"The membership verifying key has {Membership.PublicCount} public inputs; the contract's batch of {contract.BatchSize} needs {membershipInputs}.");
    }

    private static void Pinned(string what, ImmutableArray<byte> actual, ImmutableArray<byte> pinned, string field)
    {
        if (!actual.AsSpan().SequenceEqual(pinned.AsSpan()))
            throw new ArgumentException(
                $"The {what} is not the one the contract pins: its SHA-256 is {Convert.ToHexStringLower(actual.AsSpan())}, {field} is {Convert.ToHexStringLower(pinned.AsSpan())}.");
    }

    private static G1Affine G1(ReadOnlySpan<byte> b, string what, string name)
    {
        if (!G1Affine.TryReadUncompressed(b, out var p)) throw new SnarkFormatException($"{what}: {name} is not a valid G1 point");
        if (p.IsInfinity) throw new SnarkFormatException($"{what}: {name} is the point at infinity");
        return p;
    }

    private static G2Affine G2(ReadOnlySpan<byte> b, string what, string name)
    {
        if (!G2Affine.TryReadUncompressed(b, out var p) || !p.IsInSubgroup) throw new SnarkFormatException($"{what}: {name} is not a valid G2 point of the order-r subgroup");
        if (p.IsInfinity) throw new SnarkFormatException($"{what}: {name} is the point at infinity");
        return p;
    }
}
