using ZkMl.Field;
using ZkMl.Stark.Fri;
using ZkMl.Stark.Internal;
using ZkMl.Hashing;
using ZkMl.Common;
using ZkMl.Stark.Prover;

namespace ZkMl.Stark;

/// <summary>
/// FRI-based STARK prover over Goldilocks. Phases: check the trace against the AIR; commit the main trace (interpolate,
/// blind as T + Z_H * R with zero knowledge, low-degree-extend on a coset, salted Blake3 Merkle tree per segment); LogUp
/// auxiliary columns from extension-field challenges; composition polynomial with random GoldilocksExt2 coefficients, split
/// into chunks (blinded); DEEP out-of-domain evaluation; FRI; proof of work; query openings. Every challenge comes from the
/// <see cref="ChallengeSchedule"/> the verifier replays. Each phase is an <see cref="System.Diagnostics.Activity"/> of
/// <see cref="ActivitySourceName"/>.
/// </summary>
public static class StarkProver
{
    /// <summary>Name of the <see cref="System.Diagnostics.ActivitySource"/> and <see cref="System.Diagnostics.Metrics.Meter"/> that time the prover's phases.</summary>
    public const string ActivitySourceName = "ZkMl.Stark";

    /// <summary>Proves that <paramref name="trace"/> (columns of <see cref="Air.TraceLength"/> rows) satisfies <paramref name="air"/>.</summary>
    /// <exception cref="AirConstraintViolationException">The trace violates a constraint (named, with its row).</exception>
    public static StarkProof Prove(Air air, Goldilocks[][] trace, StarkParameters parameters, INtt<Goldilocks>? ntt = null) =>
        Prove(air, trace, parameters, ntt, checkTrace: true);

    /// <summary>
    /// As <see cref="Prove(Air, Goldilocks[][], StarkParameters, INtt{Goldilocks}?)"/>, with a secret 32-byte seed per main-trace segment
    /// (null entries use fresh system randomness). A seeded segment's blinding and salts derive from its seed, so its
    /// <see cref="StarkProof.SegmentRoot"/> is a reproducible, hiding commitment to the segment's columns.
    /// </summary>
    public static StarkProof Prove(Air air, Goldilocks[][] trace, StarkParameters parameters, IReadOnlyList<byte[]?> segmentSeeds, INtt<Goldilocks>? ntt = null) =>
        Prove(air, trace, parameters, ntt, checkTrace: true, segmentSeeds);

    /// <summary>
    /// The root that a main-trace segment of <paramref name="air"/> made of <paramref name="columns"/> and proved with
    /// <paramref name="seed"/> under <paramref name="parameters"/> gets (<see cref="StarkProof.SegmentRoot"/>), without proving.
    /// </summary>
    public static byte[] SegmentRoot(Air air, StarkParameters parameters, Goldilocks[][] columns, byte[] seed, INtt<Goldilocks>? ntt = null)
    {
        ArgumentNullException.ThrowIfNull(air);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(seed);
        var ctx = new ProverContext(new StarkLayout(air, parameters), ntt ?? Ntt<Goldilocks>.Instance, strict: true);
        foreach (var c in columns)
            if (c.Length != air.TraceLength) throw new ArgumentException($"Segment columns must have {air.TraceLength} rows.");
        return TraceCommitment.Commit(ctx, columns, [columns.Length], [new Randomness.Seeded(seed)]).Roots[0];
    }

    /// <summary>The prover; <paramref name="checkTrace"/> false skips the trace check and the prover's own invariants (tests forge proofs with it).</summary>
    internal static StarkProof Prove(Air air, Goldilocks[][] trace, StarkParameters parameters, INtt<Goldilocks>? ntt, bool checkTrace, IReadOnlyList<byte[]?>? segmentSeeds = null)
    {
        ArgumentNullException.ThrowIfNull(air);
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(parameters);
        var L = new StarkLayout(air, parameters);
        AirChecker.CheckShape(air, trace);
        if (checkTrace) AirChecker.Check(air, trace);
        int segments = air.MainSegmentWidths.Count;
        var randomness = new Randomness[segments];
        for (int i = 0; i < segments; i++)
        {
            var seed = segmentSeeds is not null && i < segmentSeeds.Count ? segmentSeeds[i] : null;
            if (seed is not null && seed.Length < 16) throw new ArgumentException("Segment seeds must have at least 16 bytes.", nameof(segmentSeeds));
            randomness[i] = seed is null ? Randomness.Secure : new Randomness.Seeded(seed);
        }
        if (segmentSeeds is not null && segmentSeeds.Count > segments) throw new ArgumentException($"AIR '{air.Identifier}' has {segments} segments, got {segmentSeeds.Count} seeds.", nameof(segmentSeeds));
        return Run(new ProverContext(L, ntt ?? Ntt<Goldilocks>.Instance, checkTrace), trace, randomness);
    }

    private static StarkProof Run(ProverContext ctx, Goldilocks[][] trace, Randomness[] segmentRandomness)
    {
        var L = ctx.Layout;
        var air = ctx.Air;
        var schedule = new ChallengeSchedule(L);

        TraceCommitment main;
        using (StarkActivity.Phase("main trace"))
        {
            main = TraceCommitment.Commit(ctx, trace, air.MainSegmentWidths, segmentRandomness);
            foreach (var root in main.Roots) schedule.AbsorbMainRoot(root);
        }

        GoldilocksExt2 beta = default, gamma = default;
        TraceCommitment? aux = null;
        if (L.HasLookups)
        {
            using var _ = StarkActivity.Phase("LogUp");
            (beta, gamma) = schedule.DrawLookupChallenges();
            var columns = LogUpTrace.Build(ctx, trace, beta, gamma);
            aux = TraceCommitment.Commit(ctx, columns, [columns.Length], [Randomness.Secure]);
            schedule.AbsorbAuxRoot(aux.Roots[0]);
        }
        Goldilocks[][] auxCoeffs = aux?.Coeffs ?? [], auxLde = aux?.Lde ?? [];

        TraceCommitment comp;
        using (StarkActivity.Phase("composition"))
        {
            var alphas = schedule.DrawCompositionCoefficients();
            comp = TraceCommitment.CommitPolynomials(ctx, CompositionPolynomial.Chunks(ctx, main.Lde, auxLde, alphas, beta, gamma));
            schedule.AbsorbCompositionRoot(comp.Roots[0]);
        }

        GoldilocksExt2 z, zg;
        OutOfDomainValues ood;
        using (StarkActivity.Phase("out-of-domain"))
        {
            z = schedule.DrawOodPoint();
            zg = Ext.MulBase(z, L.TraceGenerator);
            ood = new OutOfDomainValues(
                ProverContext.EvaluateAll(main.Coeffs, z), ProverContext.EvaluateAll(main.Coeffs, zg),
                ProverContext.EvaluateAll(auxCoeffs, z), ProverContext.EvaluateAll(auxCoeffs, zg),
                ProverContext.EvaluateAll(comp.Coeffs.AsSpan(0, 2 * L.ChunkCount).ToArray(), z));
            schedule.AbsorbOod(ood);
        }

        GoldilocksExt2[] deepValues;
        using (StarkActivity.Phase("DEEP"))
            deepValues = DeepPolynomial.Evaluate(ctx, main.Coeffs, auxCoeffs, comp.Coeffs, schedule.DrawDeepCoefficients(), ood, z, zg);

        FriProver fri;
        using (StarkActivity.Phase("FRI"))
            fri = FriProver.Commit(ctx, deepValues, schedule);

        ulong nonce;
        int[] positions;
        using (StarkActivity.Phase("proof of work"))
        {
            nonce = ProofOfWork.Grind(schedule.ProofOfWorkState, L.Parameters.GrindingBits);
            positions = schedule.DrawQueries(nonce);
        }

        using (StarkActivity.Phase("openings"))
        {
            return new StarkProof(L.Parameters, L.LogN, air.Digest(), main.Roots, aux?.Roots[0], comp.Roots[0], ood, fri.Roots, fri.Remainder, nonce,
                main.Open(positions), aux?.Open(positions)[0] ?? TableOpening.Empty, comp.Open(positions)[0], fri.Open(positions), L.SecurityBits, L.LdeSize);
        }
    }
}
