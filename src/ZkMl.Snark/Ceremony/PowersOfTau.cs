using ZkMl.Field;
using ZkMl.Snark.Curves;
using ZkMl.Snark.Formats;
using ZkMl.Snark.Msm;

namespace ZkMl.Snark.Ceremony;

/// <summary>
/// Phase 1 of a Groth16 ceremony (powers of tau), file for file and hash for hash as snarkjs 0.7 does it, so either tool
/// verifies the other's files and participants may mix them: <see cref="New(int, string)"/>, then one
/// <see cref="Contribute(string, string, string?, string?)"/> per participant, optionally a
/// <see cref="Beacon(string, string, string?, string, int)"/>, then <see cref="PreparePhase2(string, string)"/> for
/// <see cref="ZkeyCeremony.New(string, string, string)"/>; anyone can run <see cref="Verify(string)"/>. Sound as long as one
/// participant destroyed its secrets. Files are read whole into memory and written atomically; bad input throws
/// <see cref="SnarkFormatException"/> naming the file. Each step has an overload reporting its progress.
/// </summary>
public static class PowersOfTau
{
    /// <summary>
    /// Writes a fresh accumulator for up to 2^<paramref name="power"/> constraints (τ = α = β = 1: useless until someone
    /// contributes), as `snarkjs powersoftau new bn128 power`. Returns the first challenge hash.
    /// </summary>
    public static byte[] New(int power, string outPath) => New(power, outPath, null);

    /// <summary>
    /// <see cref="New(int, string)"/>, reporting the fraction done (0 to 1, monotone: per section written, then per block
    /// of points hashed) to <paramref name="progress"/>.
    /// </summary>
    /// <param name="power">log2 of the largest circuit's domain.</param>
    /// <param name="outPath">The accumulator to write.</param>
    /// <param name="progress">Receives fractions done; null for none.</param>
    public static byte[] New(int power, string outPath, IProgress<double>? progress)
    {
        ArgumentNullException.ThrowIfNull(outPath);
        if (power < 1 || power > PtauFile.MaxPower)
            throw new ArgumentOutOfRangeException(nameof(power), power, $"power must be between 1 and {PtauFile.MaxPower}");
        int n = 1 << power;
        // Progress in points, once written and once hashed.
        var tracker = new Groth16.ProgressTracker(progress, 2 * PointCount(power));
        new PtauFile
        {
            Power = power,
            CeremonyPower = power,
            TauG1 = Enumerable.Repeat(G1Affine.Generator, PtauFile.TauG1Count(power)).ToArray(),
            TauG2 = Enumerable.Repeat(G2Affine.Generator, n).ToArray(),
            AlphaTauG1 = Enumerable.Repeat(G1Affine.Generator, n).ToArray(),
            BetaTauG1 = Enumerable.Repeat(G1Affine.Generator, n).ToArray(),
            BetaG2 = G2Affine.Generator,
            Contributions = [],
        }.Write(outPath, tracker.Add);
        var hash = FirstChallengeHash(power, tracker.Add);
        tracker.Complete();
        return hash;
    }

    // Points of sections 2..6.
    private static long PointCount(int power) => PtauFile.TauG1Count(power) + 3L * (1L << power) + 1;

    /// <summary>
    /// Adds a contribution with fresh secrets τ, α, β (from the OS CSPRNG mixed with <paramref name="entropy"/>, as
    /// `snarkjs powersoftau contribute in out --name= -e=`) and forgets them. Returns the contribution's record (its
    /// response hash is what the participant publishes). Phase-2 sections of the input are dropped, as snarkjs does.
    /// </summary>
    public static CeremonyContribution Contribute(string inPath, string outPath, string? name, string? entropy) =>
        Contribute(inPath, outPath, name, entropy, null);

    /// <summary>
    /// <see cref="Contribute(string, string, string?, string?)"/>, reporting the fraction done (0 to 1, monotone, in small
    /// steps as the points are multiplied, then hashed and written) to <paramref name="progress"/>.
    /// </summary>
    /// <param name="inPath">The powers of tau to contribute to.</param>
    /// <param name="outPath">The powers of tau to write.</param>
    /// <param name="name">The participant's name, recorded in the file; null for none.</param>
    /// <param name="entropy">Extra entropy text mixed with the OS CSPRNG's; null for none.</param>
    /// <param name="progress">Receives fractions done, on worker threads; null for none.</param>
    public static CeremonyContribution Contribute(string inPath, string outPath, string? name, string? entropy, IProgress<double>? progress) =>
        Apply(inPath, outPath, SnarkjsChaCha.FromEntropy(entropy), ContributionParameters.Random(name), progress);

    /// <summary>
    /// Adds the final, publicly reproducible contribution whose secrets are derived from a public random beacon
    /// (2^<paramref name="numIterationsExp"/> SHA-256 iterations of <paramref name="beaconHashHex"/>), as
    /// `snarkjs powersoftau beacon in out beaconHash numIterationsExp --name=`.
    /// </summary>
    public static CeremonyContribution Beacon(string inPath, string outPath, string? name, string beaconHashHex, int numIterationsExp) =>
        Beacon(inPath, outPath, name, beaconHashHex, numIterationsExp, null);

    /// <summary>
    /// <see cref="Beacon(string, string, string?, string, int)"/>, reporting the fraction done (0 to 1, monotone, in small
    /// steps as the points are multiplied, then hashed and written; the beacon's iterations come before the first report)
    /// to <paramref name="progress"/>.
    /// </summary>
    /// <param name="inPath">The powers of tau to contribute to.</param>
    /// <param name="outPath">The powers of tau to write.</param>
    /// <param name="name">The contribution's name, recorded in the file; null for none.</param>
    /// <param name="beaconHashHex">The public random beacon, hexadecimal.</param>
    /// <param name="numIterationsExp">log2 of the SHA-256 iterations applied to the beacon.</param>
    /// <param name="progress">Receives fractions done, on worker threads; null for none.</param>
    public static CeremonyContribution Beacon(string inPath, string outPath, string? name, string beaconHashHex, int numIterationsExp, IProgress<double>? progress)
    {
        var beacon = ContributionParameters.ParseBeacon(beaconHashHex, numIterationsExp);
        return Apply(inPath, outPath, SnarkjsChaCha.FromBeacon(beacon, numIterationsExp), ContributionParameters.Beacon(name, beacon, numIterationsExp), progress);
    }

    // Progress weights, in units of encoding and hashing one point: a secret (constant-time) multiplication in G1 and G2.
    private const int G1MultiplyWeight = 32, G2MultiplyWeight = 96;

    private static CeremonyContribution Apply(string inPath, string outPath, SnarkjsChaCha rng, ContributionParameters parameters, IProgress<double>? progress)
    {
        ArgumentNullException.ThrowIfNull(inPath);
        ArgumentNullException.ThrowIfNull(outPath);
        var old = PtauFile.Read(inPath, withLagrange: false);
        if (old.Power != old.CeremonyPower)
            throw new SnarkFormatException($"{inPath}: this file has been reduced (power {old.Power} of {old.CeremonyPower}); contributions go into the full file");
        var challenge = old.Contributions.Count > 0 ? old.Contributions[^1].NextChallenge : FirstChallengeHash(old.Power);
        var (key, tau, alpha, beta) = PtauPublicKey.Create(challenge, rng);

        // Each point is multiplied, then hashed for the response, hashed for the next challenge and written (1 each).
        long g1Count = old.TauG1.Length + old.AlphaTauG1.Length + old.BetaTauG1.Length, g2Count = old.TauG2.Length + 1;
        var tracker = new Groth16.ProgressTracker(progress, G1MultiplyWeight * g1Count + G2MultiplyWeight * g2Count + 3 * (g1Count + g2Count));
        var tauG1 = CeremonyMath.ApplyKey(old.TauG1, Bn254Fr.One, tau, tracker, G1MultiplyWeight);
        var tauG2 = CeremonyMath.ApplyKey(old.TauG2, Bn254Fr.One, tau, tracker, G2MultiplyWeight);
        var alphaTauG1 = CeremonyMath.ApplyKey(old.AlphaTauG1, alpha, tau, tracker, G1MultiplyWeight);
        var betaTauG1 = CeremonyMath.ApplyKey(old.BetaTauG1, beta, tau, tracker, G1MultiplyWeight);
        var betaG2 = CeremonyMath.Times(old.BetaG2, beta);
        tracker.Add(G2MultiplyWeight);
        tau = alpha = beta = default;

        // Response: challenge, the new points compressed, then the key; snarkjs keeps the state before the key.
        var response = new Blake2b();
        response.Update(challenge);
        foreach (var (section, count) in new[]
        {
            (CeremonyMath.Compressed(tauG1), tauG1.Length), (CeremonyMath.Compressed(tauG2), tauG2.Length),
            (CeremonyMath.Compressed(alphaTauG1), alphaTauG1.Length), (CeremonyMath.Compressed(betaTauG1), betaTauG1.Length),
            (CeremonyMath.Compressed([betaG2]), 1),
        })
        {
            // In snarkjs's pieces (2^20 bytes of points in memory, half that compressed): the partial state depends on them.
            for (int at = 0; at < section.Length; at += 1 << 19)
                response.Update(section.AsSpan(at, Math.Min(1 << 19, section.Length - at)));
            tracker.Add(count);
        }
        var partial = response.ExportPartial();
        response.Update(key.Uncompressed());
        var responseHash = response.Digest();

        var contribution = new PtauContribution(tauG1[1], tauG2[1], alphaTauG1[0], betaTauG1[0], betaG2, key, partial,
            NextChallenge(responseHash, tauG1, tauG2, alphaTauG1, betaTauG1, betaG2), parameters);
        tracker.Add(g1Count + g2Count);
        new PtauFile
        {
            Power = old.Power,
            CeremonyPower = old.CeremonyPower,
            TauG1 = tauG1,
            TauG2 = tauG2,
            AlphaTauG1 = alphaTauG1,
            BetaTauG1 = betaTauG1,
            BetaG2 = betaG2,
            Contributions = [.. old.Contributions, contribution],
        }.Write(outPath, tracker.Add);
        tracker.Complete();
        return Describe(old.Contributions.Count + 1, parameters, responseHash);
    }

    private static CeremonyContribution Describe(int index, ContributionParameters p, byte[] hash) =>
        new(index, p.Name, hash, p.BeaconHash, p.IsBeacon ? p.NumIterationsExp : 0);

    // BLAKE2b(response hash ‖ every point of sections 2..6, uncompressed).
    private static byte[] NextChallenge(byte[] responseHash, G1Affine[] tauG1, G2Affine[] tauG2, G1Affine[] alphaTauG1, G1Affine[] betaTauG1, G2Affine betaG2)
    {
        var h = new Blake2b();
        h.Update(responseHash);
        h.Update(CeremonyMath.Uncompressed(tauG1));
        h.Update(CeremonyMath.Uncompressed(tauG2));
        h.Update(CeremonyMath.Uncompressed(alphaTauG1));
        h.Update(CeremonyMath.Uncompressed(betaTauG1));
        h.Update(CeremonyMath.Uncompressed([betaG2]));
        return h.Digest();
    }

    /// <summary>snarkjs's first challenge: BLAKE2b(BLAKE2b("") ‖ the fresh accumulator's points, uncompressed).</summary>
    internal static byte[] FirstChallengeHash(int power, Action<long>? pointsHashed = null)
    {
        var h = new Blake2b();
        h.Update(new Blake2b().Digest());
        var g1 = G1Affine.Generator.ToUncompressed();
        var g2 = G2Affine.Generator.ToUncompressed();
        void Repeat(byte[] p, long count)
        {
            var block = new byte[p.Length * 1024];
            for (int i = 0; i < 1024; i++) p.CopyTo(block, i * p.Length);
            for (; count >= 1024; count -= 1024)
            {
                h.Update(block);
                pointsHashed?.Invoke(1024);
            }
            h.Update(block.AsSpan(0, (int)count * p.Length));
            pointsHashed?.Invoke(count);
        }
        Repeat(g1, PtauFile.TauG1Count(power));
        Repeat(g2, 1L << power);
        Repeat(g1, 1L << power);
        Repeat(g1, 1L << power);
        h.Update(g2);
        return h.Digest();
    }

    /// <summary>
    /// Adds the Lagrange-basis sections 12..15 a phase-2 setup reads (the inverse NTT of the powers, in the group, for every
    /// domain size), as `snarkjs powersoftau prepare phase2 in out`.
    /// </summary>
    public static void PreparePhase2(string inPath, string outPath) => PreparePhase2(inPath, outPath, null);

    /// <summary>
    /// <see cref="PreparePhase2(string, string)"/>, reporting the fraction done (0 to 1, monotone, after each section of
    /// each domain size) to <paramref name="progress"/>.
    /// </summary>
    /// <param name="inPath">The powers of tau to prepare.</param>
    /// <param name="outPath">The prepared file to write.</param>
    /// <param name="progress">Receives fractions done; null for none.</param>
    public static void PreparePhase2(string inPath, string outPath, IProgress<double>? progress)
    {
        ArgumentNullException.ThrowIfNull(inPath);
        ArgumentNullException.ThrowIfNull(outPath);
        var f = PtauFile.Read(inPath, withLagrange: false);
        int power = f.Power;
        // Progress in twiddle multiplications (about N/2·log N + N/2 per transform of size N); a G2 one weighs three.
        static long Cost(int p) => (1L << p) / 2 * (p + 1);
        long total = Cost(power + 1);
        for (int p = 0; p <= power; p++) total += 6 * Cost(p);
        var tracker = new Groth16.ProgressTracker(progress, total);
        var l12 = new List<G1Affine>();
        var l13 = new List<G2Affine>();
        var l14 = new List<G1Affine>();
        var l15 = new List<G1Affine>();
        for (int p = 0; p <= power + 1; p++)
        {
            int n = 1 << p;
            // The 2^(power+1) domain lacks τ^(2^(power+1) − 1): snarkjs takes it as zero.
            var tau = p <= power ? f.TauG1[..n] : [.. f.TauG1, G1Affine.Infinity];
            l12.AddRange(LagrangeG1(tau));
            tracker.Add(Cost(p));
            if (p > power) break;
            l13.AddRange(LagrangeG2(f.TauG2[..n]));
            tracker.Add(3 * Cost(p));
            l14.AddRange(LagrangeG1(f.AlphaTauG1[..n]));
            tracker.Add(Cost(p));
            l15.AddRange(LagrangeG1(f.BetaTauG1[..n]));
            tracker.Add(Cost(p));
        }
        new PtauFile
        {
            Power = power,
            CeremonyPower = f.CeremonyPower,
            TauG1 = f.TauG1,
            TauG2 = f.TauG2,
            AlphaTauG1 = f.AlphaTauG1,
            BetaTauG1 = f.BetaTauG1,
            BetaG2 = f.BetaG2,
            Contributions = f.Contributions,
            Lagrange = (l12.ToArray(), l13.ToArray(), l14.ToArray(), l15.ToArray()),
        }.Write(outPath);
        tracker.Complete();
    }

    private static G1Affine[] LagrangeG1(G1Affine[] monomials)
    {
        var proj = CeremonyMath.LagrangeFromMonomials(monomials.Select(p => p.ToProjective()).ToArray(), CeremonyMath.G1Ops);
        var affine = new G1Affine[proj.Length];
        G1Projective.BatchToAffine(proj, affine);
        return affine;
    }

    private static G2Affine[] LagrangeG2(G2Affine[] monomials)
    {
        var proj = CeremonyMath.LagrangeFromMonomials(monomials.Select(p => p.ToProjective()).ToArray(), CeremonyMath.G2Ops);
        var affine = new G2Affine[proj.Length];
        G2Projective.BatchToAffine(proj, affine);
        return affine;
    }

    /// <summary>
    /// Checks a .ptau as `snarkjs powersoftau verify` does: every contribution's proof of knowledge and its link to the one
    /// before (a beacon's secrets re-derived from the beacon), the last contribution's points against the file's powers
    /// (random linear combinations), the next-challenge hash, and the phase-2 sections if present. Returns the
    /// contributions; throws <see cref="CeremonyVerificationException"/> naming the file and the failing contribution.
    /// </summary>
    public static IReadOnlyList<CeremonyContribution> Verify(string path) => Verify(path, null);

    /// <summary>
    /// <see cref="Verify(string)"/>, reporting the fraction done (0 to 1, monotone: after each contribution's checks, each
    /// multi-scalar multiplication over the points and the hash of the points) to <paramref name="progress"/>.
    /// </summary>
    /// <param name="path">The powers of tau to check.</param>
    /// <param name="progress">Receives fractions done; null for none.</param>
    public static IReadOnlyList<CeremonyContribution> Verify(string path, IProgress<double>? progress)
    {
        ArgumentNullException.ThrowIfNull(path);
        var f = PtauFile.Read(path, withLagrange: true);
        var cs = f.Contributions;
        if (cs.Count == 0) throw new CeremonyVerificationException(path, "has no contribution; it cannot be used in production");

        // Progress in points hashed; a point of a multi-scalar multiplication weighs MsmWeight (three times that in G2), a
        // contribution's pairings ContributionWeight.
        long n = 1L << f.Power, hashed = f.Power == f.CeremonyPower ? PointCount(f.Power) : 0;
        long powers = MsmWeight * 2 * ((f.TauG1.Length - 1) + 3 * (n - 1) + 2 * (n - 1));
        long lagrange = 0;
        if (f.Lagrange is not null)
        {
            for (int p = 0; p <= f.Power; p++) lagrange += MsmWeight * 2 * (1L << p) * (3 + 3);
            lagrange += MsmWeight * 2 * (2 * n);
        }
        var tracker = new Groth16.ProgressTracker(progress, ContributionWeight * cs.Count + powers + hashed + lagrange);

        var firstChallenge = FirstChallengeHash(f.CeremonyPower);
        var report = new List<CeremonyContribution>();
        for (int i = 0; i < cs.Count; i++)
        {
            var (prevTauG1, prevTauG2, prevAlphaG1, prevBetaG1, prevBetaG2, prevChallenge) = i == 0
                ? (G1Affine.Generator, G2Affine.Generator, G1Affine.Generator, G1Affine.Generator, G2Affine.Generator, firstChallenge)
                : (cs[i - 1].TauG1, cs[i - 1].TauG2, cs[i - 1].AlphaG1, cs[i - 1].BetaG1, cs[i - 1].BetaG2, cs[i - 1].NextChallenge);
            var c = cs[i];
            void Check(bool ok, string reason)
            {
                if (!ok) throw new CeremonyVerificationException(path, reason, i + 1, c.Parameters.Name);
            }
            var k = c.Key;
            if (c.Parameters.IsBeacon)
            {
                Check(c.Parameters.NumIterationsExp <= ContributionParameters.MaxVerifiableIterationsExp,
                    $"beacon of 2^{c.Parameters.NumIterationsExp} iterations is beyond what verify re-derives (2^{ContributionParameters.MaxVerifiableIterationsExp})");
                var (expected, _, _, _) = PtauPublicKey.Create(prevChallenge, SnarkjsChaCha.FromBeacon(c.Parameters.BeaconHash, c.Parameters.NumIterationsExp));
                Check(expected == k, "the beacon's key is not the one its beacon hash and iterations derive");
            }
            var spTau = PtauPublicKey.Sp(0, prevChallenge, k.TauS, k.TauSx);
            var spAlpha = PtauPublicKey.Sp(1, prevChallenge, k.AlphaS, k.AlphaSx);
            var spBeta = PtauPublicKey.Sp(2, prevChallenge, k.BetaS, k.BetaSx);
            Check(CeremonyMath.SameRatio(k.TauS, k.TauSx, spTau, k.TauSpx), "invalid proof of knowledge of tau");
            Check(CeremonyMath.SameRatio(k.AlphaS, k.AlphaSx, spAlpha, k.AlphaSpx), "invalid proof of knowledge of alpha");
            Check(CeremonyMath.SameRatio(k.BetaS, k.BetaSx, spBeta, k.BetaSpx), "invalid proof of knowledge of beta");
            Check(CeremonyMath.SameRatio(prevTauG1, c.TauG1, spTau, k.TauSpx), "tau·G1 does not follow the previous contribution");
            Check(CeremonyMath.SameRatio(k.TauS, k.TauSx, prevTauG2, c.TauG2), "tau·G2 does not follow the previous contribution");
            Check(CeremonyMath.SameRatio(prevAlphaG1, c.AlphaG1, spAlpha, k.AlphaSpx), "alpha·G1 does not follow the previous contribution");
            Check(CeremonyMath.SameRatio(prevBetaG1, c.BetaG1, spBeta, k.BetaSpx), "beta·G1 does not follow the previous contribution");
            Check(CeremonyMath.SameRatio(k.BetaS, k.BetaSx, prevBetaG2, c.BetaG2), "beta·G2 does not follow the previous contribution");
            var responseHash = c.ResponseHash();
            Check(responseHash is not null, "its partial response hash is malformed");
            report.Add(Describe(i + 1, c.Parameters, responseHash!));
            tracker.Add(ContributionWeight);
        }

        VerifyPowers(path, f, cs[^1], report[^1].Hash, tracker);
        if (f.Lagrange is { } l) VerifyLagrange(path, f, l, tracker);
        tracker.Complete();
        return report;
    }

    // Progress weights, in units of hashing one point: a point of a G1 multi-scalar multiplication, and one contribution's
    // eight pairings (and key derivations).
    private const int MsmWeight = 4, ContributionWeight = 1 << 13;

    private static void VerifyPowers(string path, PtauFile f, PtauContribution last, byte[] responseHash, Groth16.ProgressTracker tracker)
    {
        void Check(bool ok, string reason)
        {
            if (!ok) throw new CeremonyVerificationException(path, reason, f.Contributions.Count, last.Parameters.Name);
        }
        var g1 = G1Affine.Generator;
        var g2 = G2Affine.Generator;
        Check(f.TauG1[0] == g1, "the first tau·G1 point is not the generator");
        Check(f.TauG1[1] == last.TauG1, "the file's tau·G1 is not the one its last contribution records");
        var (t1a, t1b) = CeremonyMath.ConsecutiveCombination(f.TauG1, tracker, MsmWeight);
        Check(CeremonyMath.SameRatio(t1a.ToAffine(), t1b.ToAffine(), g2, last.TauG2), "the tau·G1 section is not a sequence of powers of tau");
        Check(f.TauG2[0] == g2, "the first tau·G2 point is not the generator");
        Check(f.TauG2[1] == last.TauG2, "the file's tau·G2 is not the one its last contribution records");
        var (t2a, t2b) = CeremonyMath.ConsecutiveCombination(f.TauG2, tracker, 3 * MsmWeight);
        Check(CeremonyMath.SameRatio(g1, last.TauG1, t2a.ToAffine(), t2b.ToAffine()), "the tau·G2 section is not a sequence of powers of tau");
        Check(f.AlphaTauG1[0] == last.AlphaG1, "the file's alpha·G1 is not the one its last contribution records");
        var (aa, ab) = CeremonyMath.ConsecutiveCombination(f.AlphaTauG1, tracker, MsmWeight);
        Check(CeremonyMath.SameRatio(aa.ToAffine(), ab.ToAffine(), g2, last.TauG2), "the alpha·tau·G1 section is not a sequence of powers of tau");
        Check(f.BetaTauG1[0] == last.BetaG1, "the file's beta·G1 is not the one its last contribution records");
        var (ba, bb) = CeremonyMath.ConsecutiveCombination(f.BetaTauG1, tracker, MsmWeight);
        Check(CeremonyMath.SameRatio(ba.ToAffine(), bb.ToAffine(), g2, last.TauG2), "the beta·tau·G1 section is not a sequence of powers of tau");
        Check(f.BetaG2 == last.BetaG2, "the file's beta·G2 is not the one its last contribution records");
        if (f.Power == f.CeremonyPower)
        {
            Check(NextChallenge(responseHash, f.TauG1, f.TauG2, f.AlphaTauG1, f.BetaTauG1, f.BetaG2).AsSpan().SequenceEqual(last.NextChallenge),
                "the hash of the file's points is not the next challenge its last contribution records");
            tracker.Add(PointCount(f.Power));
        }
    }

    // For each domain 2^p: Σ rᵢ·[τⁱ] = Σ r̂ⱼ·[Lⱼ(τ)] with r̂ the NTT of random r (both are [r(τ)]).
    private static void VerifyLagrange(string path, PtauFile f, (G1Affine[] Tau1, G2Affine[] Tau2, G1Affine[] Alpha1, G1Affine[] Beta1) l,
        Groth16.ProgressTracker tracker)
    {
        for (int p = 0; p <= f.Power + 1; p++)
        {
            int n = 1 << p;
            var r = CeremonyMath.RandomScalars(n);
            bool top = p > f.Power;
            if (top) r[n - 1] = Bn254Fr.Zero;
            var rHat = (Bn254Fr[])r.Clone();
            Ntt<Bn254Fr>.Instance.Forward(rHat);
            var msm = PippengerMsm.Default;
            void CheckG1(G1Affine[] monomial, G1Affine[] lagrange, int section)
            {
                int m = top ? n - 1 : n;
                var left = msm.Compute(monomial.AsSpan(0, m), r.AsSpan(0, m));
                var right = msm.Compute(lagrange.AsSpan(n - 1, n), rHat);
                if (left != right) throw new CeremonyVerificationException(path, $"phase-2 section {section} does not match the powers of tau for the domain of 2^{p}");
                tracker.Add(MsmWeight * 2L * n);
            }
            CheckG1(f.TauG1, l.Tau1, 12);
            if (top) break;
            CheckG1(f.AlphaTauG1, l.Alpha1, 14);
            CheckG1(f.BetaTauG1, l.Beta1, 15);
            if (msm.Compute(f.TauG2.AsSpan(0, n), r) != msm.Compute(l.Tau2.AsSpan(n - 1, n), rHat))
                throw new CeremonyVerificationException(path, $"phase-2 section 13 does not match the powers of tau for the domain of 2^{p}");
            tracker.Add(3 * MsmWeight * 2L * n);
        }
    }
}
