using System.Buffers.Binary;
using System.Numerics;
using ZkMl.Field;
using ZkMl.Stark.Fri;
using ZkMl.Stark.Internal;
using ZkMl.Hashing;

namespace ZkMl.Stark;

/// <summary>Verifies <see cref="StarkProof"/>s. Never throws on a bad proof: it returns false with a reason.</summary>
public static class StarkVerifier
{
    /// <summary>Verifies serialized proof bytes for <paramref name="air"/> (which fixes the public inputs) under <paramref name="parameters"/>.</summary>
    public static bool Verify(Air air, ReadOnlySpan<byte> proofBytes, StarkParameters parameters) => Verify(air, proofBytes, parameters, out _);

    /// <summary>As <see cref="Verify(Air, ReadOnlySpan{byte}, StarkParameters)"/>, reporting why a proof was rejected.</summary>
    public static bool Verify(Air air, ReadOnlySpan<byte> proofBytes, StarkParameters parameters, out string? failure)
    {
        StarkProof proof;
        try { proof = StarkProof.FromBytes(proofBytes); }
        catch (StarkProofFormatException e) { failure = "Malformed proof: " + e.Message; return false; }
        return Verify(air, proof, parameters, out failure);
    }

    /// <summary>Verifies a parsed proof.</summary>
    public static bool Verify(Air air, StarkProof proof, StarkParameters parameters) => Verify(air, proof, parameters, out _);

    /// <summary>Verifies a parsed proof, reporting why it was rejected.</summary>
    public static bool Verify(Air air, StarkProof proof, StarkParameters parameters, out string? failure)
    {
        ArgumentNullException.ThrowIfNull(air);
        ArgumentNullException.ThrowIfNull(proof);
        ArgumentNullException.ThrowIfNull(parameters);
        try
        {
            failure = Check(air, proof, parameters);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            failure = $"Proof rejected: {e.GetType().Name}: {e.Message}";
        }
        return failure is null;
    }

    /// <summary>The challenges the verifier replays from the proof's commitments.</summary>
    private sealed record Challenges(GoldilocksExt2 Beta, GoldilocksExt2 Gamma, GoldilocksExt2[] Alphas, GoldilocksExt2 Z,
        DeepCoefficients Deep, GoldilocksExt2[] FriBetas, bool ProofOfWorkValid, int[] Positions);

    private static string? Check(Air air, StarkProof proof, StarkParameters parameters)
    {
        if (proof.Parameters != parameters) return "The proof was made with different parameters than the verifier expects.";
        var L = new StarkLayout(air, parameters);
        string? err = CheckShape(L, proof);
        if (err is not null) return err;
        var ch = ReplayChallenges(L, proof);
        return CheckOutOfDomain(L, proof, ch)
            ?? (ch.ProofOfWorkValid ? null : "Proof-of-work check failed.")
            ?? CheckOpenings(L, proof, ch.Positions)
            ?? FriVerifier.Verify(L, proof, ch.FriBetas, ch.Positions, DeepValues(L, proof, ch));
    }

    /// <summary>The proof's shape (trace length, AIR, counts of values and commitments) matches the layout.</summary>
    private static string? CheckShape(StarkLayout L, StarkProof proof)
    {
        var air = L.Air;
        if (proof.LogTraceLength != L.LogN) return $"Trace length 2^{proof.LogTraceLength} differs from the AIR's {L.N}.";
        if (!proof.AirDigest.AsSpan().SequenceEqual(air.Digest())) return "The proof was made for a different AIR or different public inputs.";
        int w = air.TraceWidth, aw = L.AuxBaseWidth, m = L.ChunkCount;
        var ood = proof.Ood;
        if (ood.MainZ.Length != w || ood.MainZg.Length != w || ood.AuxZ.Length != aw || ood.AuxZg.Length != aw || ood.Comp.Length != 2 * m)
            return "Out-of-domain evaluation counts do not match the AIR.";
        if ((proof.AuxRoot is not null) != L.HasLookups) return "Auxiliary-trace commitment presence does not match the AIR.";
        if (proof.FriRoots.Length != L.FriLayerSizes.Length || proof.FriLayers.Length != L.FriLayerSizes.Length) return "Wrong number of FRI layers.";
        if (proof.Remainder.Length != L.RemainderDegreeBound) return "Wrong FRI remainder length.";
        int segments = air.MainSegmentWidths.Count;
        if (proof.MainRoots.Length != segments || proof.Main.Length != segments) return "Wrong number of main-trace segment commitments.";
        return null;
    }

    /// <summary>Replays the prover's <see cref="ChallengeSchedule"/> from the proof's commitments.</summary>
    private static Challenges ReplayChallenges(StarkLayout L, StarkProof proof)
    {
        var schedule = new ChallengeSchedule(L);
        foreach (var root in proof.MainRoots) schedule.AbsorbMainRoot(root);
        GoldilocksExt2 beta = default, gamma = default;
        if (L.HasLookups)
        {
            (beta, gamma) = schedule.DrawLookupChallenges();
            schedule.AbsorbAuxRoot(proof.AuxRoot!);
        }
        var alphas = schedule.DrawCompositionCoefficients();
        schedule.AbsorbCompositionRoot(proof.CompRoot);
        var z = schedule.DrawOodPoint();
        schedule.AbsorbOod(proof.Ood);
        var deep = schedule.DrawDeepCoefficients();
        var betas = new GoldilocksExt2[L.FriLayerSizes.Length];
        for (int l = 0; l < betas.Length; l++) betas[l] = schedule.AbsorbFriLayer(proof.FriRoots[l]);
        schedule.AbsorbRemainder(proof.Remainder);
        bool powValid = ProofOfWork.LeadingZeros(schedule.ProofOfWorkState, proof.PowNonce) >= L.Parameters.GrindingBits;
        return new Challenges(beta, gamma, alphas, z, deep, betas, powValid, schedule.DrawQueries(proof.PowNonce));
    }

    /// <summary>The composition chunks' claimed values at z recombine to the constraints' composition at z.</summary>
    private static string? CheckOutOfDomain(StarkLayout L, StarkProof proof, Challenges ch)
    {
        var expected = CompositionAt(L, proof.Ood, ch.Alphas, ch.Beta, ch.Gamma, ch.Z);
        var claimed = GoldilocksExt2.Zero;
        var zPowDt = FieldMath.Pow(ch.Z, (ulong)L.TraceDegreeBound);
        var zk = GoldilocksExt2.One;
        var comp = proof.Ood.Comp;
        for (int k = 0; k < L.ChunkCount; k++)
        {
            claimed += zk * (comp[2 * k] + Ext.U * comp[2 * k + 1]);
            zk *= zPowDt;
        }
        return claimed == expected ? null : "Out-of-domain check failed: the composition polynomial does not match the constraints at z.";
    }

    /// <summary>The trace, auxiliary and composition openings authenticate against their roots.</summary>
    private static string? CheckOpenings(StarkLayout L, StarkProof proof, int[] positions)
    {
        var segWidths = L.Air.MainSegmentWidths;
        string? err = null;
        for (int sg = 0; sg < segWidths.Count && err is null; sg++)
            err = CheckTable($"main trace segment {sg}", proof.MainRoots[sg], proof.Main[sg], positions, segWidths[sg], L);
        if (err is null && L.HasLookups) err = CheckTable("auxiliary trace", proof.AuxRoot!, proof.Aux, positions, L.AuxBaseWidth, L);
        if (err is null) err = CheckTable("composition", proof.CompRoot, proof.Comp, positions, L.CompBaseWidth, L);
        return err;
    }

    /// <summary>The DEEP polynomial's values at the query positions, from the opened rows: FRI's first-layer values.</summary>
    private static GoldilocksExt2[] DeepValues(StarkLayout L, StarkProof proof, Challenges ch)
    {
        var deep = ch.Deep;
        var (constZ, constZg) = deep.Constants(proof.Ood);
        var z = ch.Z;
        var zg = Ext.MulBase(z, L.TraceGenerator);
        int w = L.Air.TraceWidth, aw = L.AuxBaseWidth, m = L.ChunkCount;
        var positions = ch.Positions;
        var values = new GoldilocksExt2[positions.Length];
        for (int q = 0; q < positions.Length; q++)
        {
            var x = Ext.Lift(StarkLayout.DomainPoint(L.Shift, L.LogLde, positions[q]));
            var s1 = GoldilocksExt2.Zero;
            var s2 = GoldilocksExt2.Zero;
            var row = proof.Main.SelectMany(t => t.Rows[q]).ToArray();
            for (int c = 0; c < w; c++) { s1 += Ext.MulBase(deep.MainZ[c], row[c]); s2 += Ext.MulBase(deep.MainZg[c], row[c]); }
            if (L.HasLookups)
            {
                var arow = proof.Aux.Rows[q];
                for (int c = 0; c < aw; c++) { s1 += Ext.MulBase(deep.AuxZ[c], arow[c]); s2 += Ext.MulBase(deep.AuxZg[c], arow[c]); }
            }
            var crow = proof.Comp.Rows[q];
            for (int c = 0; c < 2 * m; c++) s1 += Ext.MulBase(deep.Comp[c], crow[c]);
            var v = (s1 - constZ) * GoldilocksExt2.Inverse(x - z) + (s2 - constZg) * GoldilocksExt2.Inverse(x - zg);
            if (L.Parameters.ZeroKnowledge) v += Ext.Make(crow[2 * m], crow[2 * m + 1]);
            values[q] = v;
        }
        return values;
    }

    private static string? CheckTable(string name, byte[] root, TableOpening t, int[] positions, int width, StarkLayout L)
    {
        if (t.Rows.Length != positions.Length) return $"{name}: wrong number of opened rows.";
        bool zk = L.Parameters.ZeroKnowledge;
        if (zk && t.Salts.Length != positions.Length) return $"{name}: missing salts.";
        int saltLen = zk ? StarkProof.SaltLength : 0;
        var buf = new byte[saltLen + 8 * width];
        var digests = new List<byte[]>(positions.Length);
        for (int i = 0; i < t.Rows.Length; i++)
        {
            if (t.Rows[i].Length != width) return $"{name}: opened row has {t.Rows[i].Length} values, expected {width}.";
            if (zk) t.Salts[i].CopyTo(buf, 0);
            for (int c = 0; c < width; c++) BinaryPrimitives.WriteUInt64LittleEndian(buf.AsSpan(saltLen + 8 * c), (t.Rows[i][c]).Value);
            var d = new byte[32];
            Blake3.Hasher.Hash(buf, d);
            digests.Add(d);
        }
        return Blake3MerkleTree.Verify(root, L.LdeSize, positions, digests, t.Proof) ? null : $"{name}: Merkle authentication failed.";
    }

    /// <summary>C(z) recomputed from the out-of-domain values.</summary>
    private static GoldilocksExt2 CompositionAt(StarkLayout L, OutOfDomainValues ood, GoldilocksExt2[] alphas, GoldilocksExt2 beta, GoldilocksExt2 gamma, GoldilocksExt2 z)
    {
        var air = L.Air;
        int n = L.N;
        var periodic = air.PeriodicColumns;
        var per = new GoldilocksExt2[periodic.Count];
        foreach (var group in Enumerable.Range(0, per.Length).GroupBy(p => periodic[p].Values.Length))
        {
            var values = group.Select(p => periodic[p].Values).ToArray();
            var results = EvaluatePeriodic(values, FieldMath.Pow(z, (ulong)(n / group.Key)));
            int k = 0;
            foreach (int p in group) per[p] = results[k++];
        }
        var constraints = air.TransitionConstraints;
        var res = new GoldilocksExt2[constraints.Count];
        air.EvaluateTransition<GoldilocksExt2>(ood.MainZ, ood.MainZg, per, res);
        var accNon = GoldilocksExt2.Zero;
        var accWrap = GoldilocksExt2.Zero;
        for (int t = 0; t < res.Length; t++)
        {
            if (constraints[t].Domain == ConstraintDomain.AllButLastRow) accNon += alphas[t] * res[t];
            else accWrap += alphas[t] * res[t];
        }
        int tc = constraints.Count;
        var total = GoldilocksExt2.Zero;
        var boundaries = air.BoundaryConstraints;
        for (int b = 0; b < boundaries.Count; b++)
        {
            var gr = Ext.Lift(FieldMath.Pow(L.TraceGenerator, (ulong)boundaries[b].Row));
            total += alphas[tc + b] * (ood.MainZ[boundaries[b].Column] - Ext.Lift(boundaries[b].Value)) * GoldilocksExt2.Inverse(z - gr);
        }
        if (L.HasLookups)
        {
            var lookups = air.Lookups;
            int auxExt = L.AuxExtColumns;
            var cur = new GoldilocksExt2[auxExt];
            var next = new GoldilocksExt2[auxExt];
            for (int a = 0; a < auxExt; a++)
            {
                cur[a] = ood.AuxZ[2 * a] + Ext.U * ood.AuxZ[2 * a + 1];
                next[a] = ood.AuxZg[2 * a] + Ext.U * ood.AuxZg[2 * a + 1];
            }
            int ai = tc + boundaries.Count;
            var delta = next[auxExt - 1] - cur[auxExt - 1];
            for (int k = 0; k < lookups.Count; k++)
            {
                var lk = lookups[k];
                var gp = Ext.Powers(gamma, lk.Values.Length);
                var v = GoldilocksExt2.FromUInt64((ulong)lk.Bus);
                for (int q = 0; q < lk.Values.Length; q++) v += gp[q] * (RefAt(lk.Values[q], ood.MainZ, per) * lk.Scale(q) + Ext.Lift(lk.Offset(q)));
                var mult = lk.Multiplicity is { } mc ? RefAt(mc, ood.MainZ, per) : GoldilocksExt2.One;
                accWrap += alphas[ai + k] * (cur[k] * (beta - v) - mult);
                delta = lk.IsTable ? delta + cur[k] : delta - cur[k];
            }
            accWrap += alphas[ai + lookups.Count] * delta;
        }
        var zh = FieldMath.Pow(z, (ulong)n) - GoldilocksExt2.One;
        var zhInv = GoldilocksExt2.Inverse(zh);
        var last = Ext.Lift(FieldMath.Pow(L.TraceGenerator, (ulong)(n - 1)));
        total += accNon * (z - last) * zhInv + accWrap * zhInv;
        return total;
    }

    /// <summary>
    /// Evaluates the interpolants of columns over the size-p subgroup at y by the barycentric formula
    /// P(y) = (y^p - 1)/p * sum_i v_i w^i / (y - w^i), skipping zero values (selector columns are sparse).
    /// </summary>
    internal static GoldilocksExt2[] EvaluatePeriodic(Goldilocks[][] columns, GoldilocksExt2 y)
    {
        int p = columns[0].Length;
        var omega = Goldilocks.RootOfUnity(BitOperations.Log2((uint)p));
        var den = new GoldilocksExt2[p];
        var points = new Goldilocks[p];
        var w = Goldilocks.One;
        for (int i = 0; i < p; i++) { points[i] = w; den[i] = y - Ext.Lift(w); w *= omega; }
        var results = new GoldilocksExt2[columns.Length];
        if (den.Any(d => d.IsZero))
        {
            for (int c = 0; c < columns.Length; c++)
            {
                var coeffs = (Goldilocks[])columns[c].Clone();
                Ntt<Goldilocks>.Instance.Inverse(coeffs);
                results[c] = Ext.EvaluateAt(coeffs, y);
            }
            return results;
        }
        FieldMath.BatchInverse<GoldilocksExt2>(den);
        for (int i = 0; i < p; i++) den[i] = Ext.MulBase(den[i], points[i]);
        var scale = Ext.MulBase(FieldMath.Pow(y, (ulong)p) - GoldilocksExt2.One, Goldilocks.Inverse(Goldilocks.FromUInt64((ulong)p)));
        for (int c = 0; c < columns.Length; c++)
        {
            var col = columns[c];
            var acc = GoldilocksExt2.Zero;
            for (int i = 0; i < p; i++) if (!col[i].IsZero) acc += Ext.MulBase(den[i], col[i]);
            results[c] = acc * scale;
        }
        return results;
    }

    private static GoldilocksExt2 RefAt(ColumnRef c, GoldilocksExt2[] main, GoldilocksExt2[] per) => c.IsPeriodic ? per[c.Index] : main[c.Index];
}
