using ZkMl.Circuits;
using ZkMl.Circuits.Circom;
using ZkMl.Common;
using ZkMl.Field;
using ZkMl.Snark.Curves;
using ZkMl.Snark.Formats;
using ZkMl.Snark.Groth16;
using ZkMl.Snark.Msm;

namespace ZkMl.Snark.Ceremony;

/// <summary>
/// Phase 2 of a Groth16 ceremony (the circuit-specific δ), with snarkjs 0.7's files and transcript so either tool verifies
/// the other's keys and participants may mix them: <see cref="New(string, string, string)"/> from a .r1cs and a prepared
/// .ptau, one <see cref="Contribute(string, string, string?, string?)"/> per participant, optionally a
/// <see cref="Beacon(string, string, string?, string, int)"/>; anyone can run <see cref="Verify(string, string, string)"/>.
/// The key is sound as long as one participant (of either phase) destroyed its secret. Each step has an overload
/// reporting its progress.
/// </summary>
public static class ZkeyCeremony
{
    /// <summary>
    /// Writes the initial key (δ = 1, no contribution: not usable until someone contributes), as `snarkjs zkey new
    /// circuit.r1cs pot.ptau circuit_0000.zkey` (`snarkjs groth16 setup`).
    /// </summary>
    public static void New(string r1csPath, string ptauPath, string zkeyPath) => New(ReadR1cs(r1csPath), ptauPath, zkeyPath);

    /// <summary><see cref="New(string, string, string)"/> for a circuit already read.</summary>
    public static void New(R1cs<Bn254Fr> r1cs, string ptauPath, string zkeyPath) => New(r1cs, ptauPath, zkeyPath, null);

    /// <summary><see cref="New(R1cs{Bn254Fr}, string, string)"/>, reporting the fraction of the key computed (0 to 1, monotone) to <paramref name="progress"/>.</summary>
    /// <param name="r1cs">The circuit.</param>
    /// <param name="ptauPath">The prepared powers of tau.</param>
    /// <param name="zkeyPath">The key to write.</param>
    /// <param name="progress">Receives fractions done, on worker threads; null for none.</param>
    public static void New(R1cs<Bn254Fr> r1cs, string ptauPath, string zkeyPath, IProgress<double>? progress)
    {
        ArgumentNullException.ThrowIfNull(zkeyPath);
        Zkey.Write(Initial(r1cs, ptauPath, progress), zkeyPath);
        progress?.Report(1.0);
    }

    private static R1cs<Bn254Fr> ReadR1cs(string r1csPath)
    {
        ArgumentNullException.ThrowIfNull(r1csPath);
        return CircomR1cs.ReadFile<Bn254Fr>(r1csPath);
    }

    private static Groth16ProvingKey Initial(R1cs<Bn254Fr> r1cs, string ptauPath, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(r1cs);
        ArgumentNullException.ThrowIfNull(ptauPath);
        return Groth16Setup.SetupFromPtau(QapShape.FromR1cs(r1cs), ptauPath, randomDelta: false, progress);
    }

    /// <summary>
    /// Adds a contribution with a fresh secret δ factor (from the OS CSPRNG mixed with <paramref name="entropy"/>) and
    /// forgets it, as `snarkjs zkey contribute in.zkey out.zkey --name= -e=`. Returns its record (the contribution hash is
    /// what the participant publishes).
    /// </summary>
    public static CeremonyContribution Contribute(string inPath, string outPath, string? name, string? entropy) =>
        Contribute(inPath, outPath, name, entropy, null);

    /// <summary>
    /// <see cref="Contribute(string, string, string?, string?)"/>, reporting the fraction done (0 to 1, monotone, in small
    /// steps as the C and H points are multiplied) to <paramref name="progress"/>.
    /// </summary>
    /// <param name="inPath">The key to contribute to.</param>
    /// <param name="outPath">The key to write.</param>
    /// <param name="name">The participant's name, recorded in the key; null for none.</param>
    /// <param name="entropy">Extra entropy text mixed with the OS CSPRNG's; null for none.</param>
    /// <param name="progress">Receives fractions done, on worker threads; null for none.</param>
    public static CeremonyContribution Contribute(string inPath, string outPath, string? name, string? entropy, IProgress<double>? progress) =>
        Apply(inPath, outPath, SnarkjsChaCha.FromEntropy(entropy), ContributionParameters.Random(name), progress);

    /// <summary>
    /// Adds the final contribution derived from a public random beacon, as `snarkjs zkey beacon in.zkey out.zkey beaconHash
    /// numIterationsExp --name=`.
    /// </summary>
    public static CeremonyContribution Beacon(string inPath, string outPath, string? name, string beaconHashHex, int numIterationsExp) =>
        Beacon(inPath, outPath, name, beaconHashHex, numIterationsExp, null);

    /// <summary>
    /// <see cref="Beacon(string, string, string?, string, int)"/>, reporting the fraction done (0 to 1, monotone, in small
    /// steps as the C and H points are multiplied; the beacon's iterations come before the first report) to
    /// <paramref name="progress"/>.
    /// </summary>
    /// <param name="inPath">The key to contribute to.</param>
    /// <param name="outPath">The key to write.</param>
    /// <param name="name">The contribution's name, recorded in the key; null for none.</param>
    /// <param name="beaconHashHex">The public random beacon, hexadecimal.</param>
    /// <param name="numIterationsExp">log2 of the SHA-256 iterations applied to the beacon.</param>
    /// <param name="progress">Receives fractions done, on worker threads; null for none.</param>
    public static CeremonyContribution Beacon(string inPath, string outPath, string? name, string beaconHashHex, int numIterationsExp, IProgress<double>? progress)
    {
        var beacon = ContributionParameters.ParseBeacon(beaconHashHex, numIterationsExp);
        return Apply(inPath, outPath, SnarkjsChaCha.FromBeacon(beacon, numIterationsExp), ContributionParameters.Beacon(name, beacon, numIterationsExp), progress);
    }

    private static CeremonyContribution Apply(string inPath, string outPath, SnarkjsChaCha rng, ContributionParameters parameters, IProgress<double>? progress)
    {
        ArgumentNullException.ThrowIfNull(inPath);
        ArgumentNullException.ThrowIfNull(outPath);
        var key = Zkey.ReadProvingKey(inPath);
        if (key.Contributions is null)
            throw new SnarkFormatException($"{inPath}: has no ceremony record (section 10); it was not made by `zkey new` and cannot be continued");
        var (circuitHash, records) = ZkeyContributionRecord.ReadAll(key.Contributions.Bytes, $"{inPath}: contributions section");
        var accumulated = new Blake2b();
        accumulated.Update(circuitHash);
        foreach (var c in records) c.HashPublicKey(accumulated);

        var (record, x) = ZkeyContributionRecord.Create(accumulated, key.Delta1, rng, parameters);
        var xInv = Bn254Fr.Inverse(x);
        // Progress in points multiplied (all the work but reading and writing the key).
        var tracker = new ProgressTracker(progress, key.CPoints.Length + key.HPoints.Length);
        var c1 = CeremonyMath.ApplyKey(key.CPoints, xInv, Bn254Fr.One, tracker);
        var h = CeremonyMath.ApplyKey(key.HPoints, xInv, Bn254Fr.One, tracker);
        var delta2 = CeremonyMath.Times(key.Delta2, x);
        x = xInv = default;

        var section = ZkeyContributionRecord.WriteAll(circuitHash, [.. records, record]);
        var next = new Groth16ProvingKey(key.VariableCount, key.PublicCount, key.DomainSize, key.Alpha1, key.Beta1, key.Beta2, key.Gamma2,
            record.DeltaAfter, delta2, key.IcPoints, key.MatrixA, key.MatrixB, key.APoints, key.B1Points, key.B2Points, c1, h)
        {
            Contributions = ZkeyContributions.Parse(section, $"{outPath}: contributions section"),
        };
        Zkey.Write(next, outPath);
        tracker.Complete();
        return Describe(records.Count + 1, record);
    }

    private static CeremonyContribution Describe(int index, ZkeyContributionRecord c) =>
        new(index, c.Parameters.Name, c.ContributionHash(), c.Parameters.BeaconHash, c.Parameters.IsBeacon ? c.Parameters.NumIterationsExp : 0);

    /// <summary>
    /// Checks a key as `snarkjs zkey verify circuit.r1cs pot.ptau circuit.zkey` does: every contribution's transcript and
    /// proof of knowledge, its link to the δ before it (a beacon re-derived from the beacon), the key's δ against the last
    /// contribution, and every point against the initial key recomputed from the circuit and the ptau (A, B, IC equal; C
    /// and H the initial ones divided by δ, by random linear combination). Returns the contributions; throws
    /// <see cref="CeremonyVerificationException"/> naming the key and the failing contribution.
    /// </summary>
    public static IReadOnlyList<CeremonyContribution> Verify(string r1csPath, string ptauPath, string zkeyPath) =>
        Verify(ReadR1cs(r1csPath), ptauPath, zkeyPath);

    /// <summary><see cref="Verify(string, string, string)"/> for a circuit already read.</summary>
    public static IReadOnlyList<CeremonyContribution> Verify(R1cs<Bn254Fr> r1cs, string ptauPath, string zkeyPath) => Verify(r1cs, ptauPath, zkeyPath, null);

    /// <summary>
    /// <see cref="Verify(R1cs{Bn254Fr}, string, string)"/>, reporting the fraction done (0 to 1, monotone; almost all of it
    /// recomputing the initial key) to <paramref name="progress"/>.
    /// </summary>
    /// <param name="r1cs">The circuit.</param>
    /// <param name="ptauPath">The prepared powers of tau.</param>
    /// <param name="zkeyPath">The key to check.</param>
    /// <param name="progress">Receives fractions done, on worker threads; null for none.</param>
    public static IReadOnlyList<CeremonyContribution> Verify(R1cs<Bn254Fr> r1cs, string ptauPath, string zkeyPath, IProgress<double>? progress)
    {
        ArgumentNullException.ThrowIfNull(zkeyPath);
        var key = Zkey.ReadProvingKey(zkeyPath);
        if (key.Contributions is null)
            throw new CeremonyVerificationException(zkeyPath, "has no ceremony record (section 10)");
        var (circuitHash, records) = ZkeyContributionRecord.ReadAll(key.Contributions.Bytes, $"{zkeyPath}: contributions section");

        var accumulated = new Blake2b();
        accumulated.Update(circuitHash);
        var delta = G1Affine.Generator;
        var report = new List<CeremonyContribution>();
        for (int i = 0; i < records.Count; i++)
        {
            var c = records[i];
            void Check(bool ok, string reason)
            {
                if (!ok) throw new CeremonyVerificationException(zkeyPath, reason, i + 1, c.Parameters.Name);
            }
            var t = accumulated.Clone();
            t.Update(c.S.ToUncompressed());
            t.Update(c.Sx.ToUncompressed());
            Check(t.Digest().AsSpan().SequenceEqual(c.Transcript), "inconsistent transcript");
            var sp = SnarkjsHashToG2.Hash(c.Transcript);
            Check(CeremonyMath.SameRatio(c.S, c.Sx, sp, c.Spx), "invalid proof of knowledge of its delta factor");
            Check(CeremonyMath.SameRatio(delta, c.DeltaAfter, sp, c.Spx), "deltaAfter does not follow the previous delta by its proven factor");
            if (c.Parameters.IsBeacon)
            {
                Check(c.Parameters.NumIterationsExp <= ContributionParameters.MaxVerifiableIterationsExp,
                    $"beacon of 2^{c.Parameters.NumIterationsExp} iterations is beyond what verify re-derives (2^{ContributionParameters.MaxVerifiableIterationsExp})");
                var rng = SnarkjsChaCha.FromBeacon(c.Parameters.BeaconHash, c.Parameters.NumIterationsExp);
                var x = rng.NextFr();
                var s = rng.NextG1();
                Check(s == c.S && CeremonyMath.Times(s, x) == c.Sx, "the beacon's key is not the one its beacon hash and iterations derive");
            }
            c.HashPublicKey(accumulated);
            report.Add(Describe(i + 1, c));
            delta = c.DeltaAfter;
        }

        void Fail(string reason) => throw new CeremonyVerificationException(zkeyPath, reason);
        var init = Initial(r1cs, ptauPath, progress is null ? null : new ScaledFraction(progress, 0.95));
        var (initHash, _) = ZkeyContributionRecord.ReadAll(init.Contributions!.Bytes, $"{ptauPath}: initial key");
        if (!initHash.AsSpan().SequenceEqual(circuitHash)) Fail($"the circuit hash is not that of the circuit with {ptauPath}: a key for another circuit or ceremony");
        if (key.VariableCount != init.VariableCount || key.PublicCount != init.PublicCount || key.DomainSize != init.DomainSize)
            Fail("different circuit parameters (wires, public signals or domain size)");
        if (key.Alpha1 != init.Alpha1 || key.Beta1 != init.Beta1 || key.Beta2 != init.Beta2 || key.Gamma2 != init.Gamma2)
            Fail("alpha, beta or gamma differ from the powers of tau");
        if (key.Delta1 != delta) Fail("delta1 is not the last contribution's deltaAfter");
        if (!CeremonyMath.SameRatio(G1Affine.Generator, delta, G2Affine.Generator, key.Delta2)) Fail("delta2 does not match delta1");
        if (!key.IcPoints.AsSpan().SequenceEqual(init.IcPoints)) Fail("IC section differs from the circuit's");
        if (!SameRows(key.MatrixA, init.MatrixA) || !SameRows(key.MatrixB, init.MatrixB)) Fail("coefficients section differs from the circuit's");
        if (!key.APoints.AsSpan().SequenceEqual(init.APoints)) Fail("A section differs from the circuit's");
        if (!key.B1Points.AsSpan().SequenceEqual(init.B1Points)) Fail("B1 section differs from the circuit's");
        if (!key.B2Points.AsSpan().SequenceEqual(init.B2Points)) Fail("B2 section differs from the circuit's");
        if (!DividedByDelta(init.CPoints, key.CPoints, key.Delta2)) Fail("C (L) section is not the circuit's divided by delta");
        if (!DividedByDelta(init.HPoints, key.HPoints, key.Delta2)) Fail("H section is not the circuit's divided by delta");
        progress?.Report(1.0);
        return report;
    }

    private static bool SameRows(SparseRows a, SparseRows b) =>
        a.RowCount == b.RowCount && a.RowStart.AsSpan().SequenceEqual(b.RowStart) && a.Signals.AsSpan().SequenceEqual(b.Signals)
        && a.Values.AsSpan().SequenceEqual(b.Values);

    // e(Σ rᵢ·finalᵢ, [δ]₂) = e(Σ rᵢ·initialᵢ, [1]₂) for random rᵢ.
    private static bool DividedByDelta(G1Affine[] initial, G1Affine[] final, G2Affine delta2)
    {
        if (initial.Length == 0) return final.Length == 0;
        var r = CeremonyMath.RandomScalars(initial.Length);
        var a = PippengerMsm.Default.Compute(initial, r).ToAffine();
        var b = PippengerMsm.Default.Compute(final, r).ToAffine();
        // All-zero combinations (points at infinity) carry no ratio: require both to vanish together.
        if (a.IsInfinity || b.IsInfinity) return a.IsInfinity && b.IsInfinity;
        return CeremonyMath.SameRatio(b, a, G2Affine.Generator, delta2);
    }

    /// <summary>A sub-task's fractions as [0, <paramref name="upTo"/>] of the whole; only fractions below 1 pass, so the caller reports the end.</summary>
    private sealed class ScaledFraction(IProgress<double> sink, double upTo) : IProgress<double>
    {
        public void Report(double value)
        {
            if (value < 1) sink.Report(value * upTo);
        }
    }
}
