using ZkMl.Circuits;
using ZkMl.Field;
using ZkMl.Snark.Curves;
using ZkMl.Snark.Groth16;
using ZkMl.Training.Contract;

namespace ZkMl.Training.Shards;

/// <summary>
/// Keys and the verifier of shard attestations (<see cref="ShardAttestation"/>). The statement is the verifier's: it
/// supplies the run id, the registered contributor key, the shard parameters and the trusted verifying key, and
/// checks the attestation's signature, its claims' consistency and the Groth16 proof over
/// (shard root, row count, maximum feature, histogram).
/// </summary>
public static class ShardAttestations
{
    /// <summary>The attestation circuit for <paramref name="parameters"/> (the input of a phase-2 ceremony).</summary>
    public static R1cs<Bn254Fr> Circuit(ShardParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return ShardAttestationCircuit.BuildShape(parameters);
    }

    /// <summary>Single-party setup of <see cref="Circuit"/> (the toxic waste is drawn and discarded here): for tests and local use only.</summary>
    public static Groth16ProvingKey DevelopmentSetup(ShardParameters parameters) => Groth16Setup.Development(Circuit(parameters));

    /// <summary>
    /// Checks <paramref name="attestation"/> for run <paramref name="runId"/> from the contributor registered with
    /// <paramref name="contributorKey"/> (SPKI DER), under <paramref name="parameters"/> and the trusted
    /// <paramref name="verifyingKey"/>. Rejects another run, another or a non-canonical key, a bad or high-s signature,
    /// claims that do not fit the parameters (histogram length, row count for the capacity, histogram sum, maximum),
    /// a malformed proof and a proof that does not verify against the root and claims.
    /// </summary>
    public static ShardVerdict Verify(ShardAttestation attestation, ReadOnlySpan<byte> runId, ReadOnlySpan<byte> contributorKey,
        ShardParameters parameters, Groth16VerifyingKey verifyingKey)
    {
        ArgumentNullException.ThrowIfNull(attestation);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(verifyingKey);
        if (attestation.Claims.Histogram.IsDefault) return ShardVerdict.Invalid("the claims carry no histogram.");
        if (!attestation.RunId.AsSpan().SequenceEqual(runId)) return ShardVerdict.Invalid("the attestation is for another run.");
        if (!attestation.ContributorKey.AsSpan().SequenceEqual(contributorKey)) return ShardVerdict.Invalid("the attestation is not from the registered contributor key.");
        if (!P256.Verify(contributorKey, attestation.SignedBytes(), attestation.Signature.AsSpan()))
            return ShardVerdict.Invalid("the contributor's signature does not verify.");
        var claims = attestation.Claims;
        if (claims.Histogram.Length != parameters.Classes)
            return ShardVerdict.Invalid($"the histogram has {claims.Histogram.Length} classes, the parameters {parameters.Classes}.");
        if (claims.RowCount < parameters.MinRows || claims.RowCount > parameters.Capacity)
            return ShardVerdict.Invalid($"{claims.RowCount} rows do not fill a shard of capacity {parameters.Capacity} past half.");
        long sum = 0;
        foreach (int c in claims.Histogram) sum += c;
        if (sum != claims.RowCount) return ShardVerdict.Invalid($"the histogram counts {sum} rows, the claim {claims.RowCount}.");
        if (claims.MaxFeature < 0 || claims.MaxFeature >= parameters.FeatureBound)
            return ShardVerdict.Invalid($"the maximum feature {claims.MaxFeature} is outside [0, {parameters.FeatureBound}).");
        if (verifyingKey.PublicCount != ShardAttestationCircuit.PublicInputCount(parameters))
            return ShardVerdict.Invalid("the verifying key is not for these shard parameters.");
        if (!Bn254Fr.TryReadBytes(attestation.ShardRoot.AsSpan(), out var root)) return ShardVerdict.Invalid("the shard root is not a canonical BN254 scalar.");
        if (!TryReadProof(attestation.Proof.AsSpan(), out var proof)) return ShardVerdict.Invalid("the proof is not three valid compressed points.");
        var signals = new Bn254Fr[ShardAttestationCircuit.PublicInputCount(parameters)];
        signals[0] = root;
        signals[1] = Bn254Fr.FromUInt64((ulong)claims.RowCount);
        signals[2] = Bn254Fr.FromUInt64((ulong)claims.MaxFeature);
        for (int c = 0; c < parameters.Classes; c++) signals[3 + c] = Bn254Fr.FromUInt64((ulong)claims.Histogram[c]);
        return Groth16Verifier.Check(verifyingKey, signals, proof) is { } failure
            ? ShardVerdict.Invalid("the proof does not verify: " + failure)
            : ShardVerdict.Valid;
    }

    internal static byte[] ProveBytes(Groth16ProvingKey key, ReadOnlySpan<Bn254Fr> witness)
    {
        var (proof, _) = new Groth16Prover().Prove(key, witness);
        var bytes = new byte[ShardAttestation.ProofBytes];
        proof.A.WriteCompressed(bytes);
        proof.B.WriteCompressed(bytes.AsSpan(G1Affine.CompressedSize));
        proof.C.WriteCompressed(bytes.AsSpan(G1Affine.CompressedSize + G2Affine.CompressedSize));
        return bytes;
    }

    private static bool TryReadProof(ReadOnlySpan<byte> s, out Groth16Proof proof)
    {
        proof = null!;
        if (s.Length != ShardAttestation.ProofBytes) return false;
        if (!G1Affine.TryReadCompressed(s[..G1Affine.CompressedSize], out var a)) return false;
        if (!G2Affine.TryReadCompressed(s.Slice(G1Affine.CompressedSize, G2Affine.CompressedSize), out var b)) return false;
        if (!G1Affine.TryReadCompressed(s[(G1Affine.CompressedSize + G2Affine.CompressedSize)..], out var c)) return false;
        proof = new Groth16Proof(a, b, c);
        return true;
    }
}
