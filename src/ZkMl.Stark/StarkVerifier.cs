using System.Buffers.Binary;
using System.Numerics;
using ZkMl.Field;
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

    private static string? Check(Air air, StarkProof proof, StarkParameters parameters)
    {
        if (proof.Parameters != parameters) return "The proof was made with different parameters than the verifier expects.";
        var L = new StarkLayout(air, parameters);
        if (proof.LogTraceLength != L.LogN) return $"Trace length 2^{proof.LogTraceLength} differs from the AIR's {L.N}.";
        if (!proof.AirDigest.AsSpan().SequenceEqual(air.Digest())) return "The proof was made for a different AIR or different public inputs.";
        int w = air.TraceWidth, aw = L.AuxBaseWidth, cw = L.CompBaseWidth, m = L.ChunkCount;
        if (proof.OodMainZ.Length != w || proof.OodMainZg.Length != w || proof.OodAuxZ.Length != aw || proof.OodAuxZg.Length != aw || proof.OodComp.Length != 2 * m)
            return "Out-of-domain evaluation counts do not match the AIR.";
        if ((proof.AuxRoot is not null) != L.HasLookups) return "Auxiliary-trace commitment presence does not match the AIR.";
        if (proof.FriRoots.Length != L.FriLayerSizes.Length || proof.FriLayers.Length != L.FriLayerSizes.Length) return "Wrong number of FRI layers.";
        if (proof.Remainder.Length != L.RemainderDegreeBound) return "Wrong FRI remainder length.";

        var tr = L.NewTranscript();
        var segWidths = air.MainSegmentWidths;
        if (proof.MainRoots.Length != segWidths.Count || proof.Main.Length != segWidths.Count) return "Wrong number of main-trace segment commitments.";
        foreach (var root in proof.MainRoots) tr.Absorb(root);
        GoldilocksExt2 beta = default, gamma = default;
        if (L.HasLookups)
        {
            beta = tr.ChallengeExt();
            gamma = tr.ChallengeExt();
            tr.Absorb(proof.AuxRoot);
        }
        var alphas = new GoldilocksExt2[L.ConstraintCount];
        for (int i = 0; i < alphas.Length; i++) alphas[i] = tr.ChallengeExt();
        tr.Absorb(proof.CompRoot);
        var z = DrawOodPoint(tr, L);
        AbsorbOod(tr, proof);

        // Composition consistency at z.
        var expected = CompositionAt(L, proof, alphas, beta, gamma, z);
        var claimed = GoldilocksExt2.Zero;
        var zPowDt = FieldMath.Pow(z, (ulong)L.TraceDegreeBound);
        var zk = GoldilocksExt2.One;
        for (int k = 0; k < m; k++)
        {
            claimed += zk * (proof.OodComp[2 * k] + Ext.U * proof.OodComp[2 * k + 1]);
            zk *= zPowDt;
        }
        if (claimed != expected) return "Out-of-domain check failed: the composition polynomial does not match the constraints at z.";

        var deep = DrawDeepCoefficients(tr, L);
        var betas = new GoldilocksExt2[L.FriLayerSizes.Length];
        for (int l = 0; l < betas.Length; l++)
        {
            tr.Absorb(proof.FriRoots[l]);
            betas[l] = tr.ChallengeExt();
        }
        tr.Absorb(proof.Remainder);
        if (Transcript.PowLeadingZeros(tr.State, proof.PowNonce) < parameters.GrindingBits) return "Proof-of-work check failed.";
        var positions = DrawQueries(tr, L, proof.PowNonce);

        // Trace, auxiliary and composition openings.
        string? err = null;
        for (int sg = 0; sg < segWidths.Count && err is null; sg++)
            err = CheckTable($"main trace segment {sg}", proof.MainRoots[sg], proof.Main[sg], positions, segWidths[sg], L);
        if (err is null && L.HasLookups) err = CheckTable("auxiliary trace", proof.AuxRoot!, proof.Aux, positions, aw, L);
        if (err is null) err = CheckTable("composition", proof.CompRoot, proof.Comp, positions, cw, L);
        if (err is not null) return err;

        // DEEP values at the query positions.
        var (constZ, constZg) = DeepConstants(deep, proof);
        var zg = Ext.MulBase(z, L.TraceGenerator);
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
            if (parameters.ZeroKnowledge) v += Ext.Make(crow[2 * m], crow[2 * m + 1]);
            values[q] = v;
        }

        // FRI query phase.
        int kf = parameters.FriFoldingFactor;
        var pos = positions;
        var shift = L.Shift;
        for (int l = 0; l < L.FriLayerSizes.Length; l++)
        {
            int size = L.FriLayerSizes[l], leaves = size / kf;
            var leafIdx = pos.Select(p => p % leaves).Distinct().Order().ToArray();
            var layer = proof.FriLayers[l];
            if (layer.Leaves.Length != leafIdx.Length) return $"FRI layer {l}: wrong number of opened leaves.";
            var digests = new List<byte[]>(leafIdx.Length);
            var buf = new byte[16 * kf];
            foreach (var leaf in layer.Leaves)
            {
                if (leaf.Length != kf) return $"FRI layer {l}: wrong leaf width.";
                for (int t = 0; t < kf; t++) Ext.Write(buf.AsSpan(16 * t), leaf[t]);
                var d = new byte[32];
                Blake3.Hasher.Hash(buf, d);
                digests.Add(d);
            }
            if (!Blake3MerkleTree.Verify(proof.FriRoots[l], leaves, leafIdx, digests, layer.Proof)) return $"FRI layer {l}: Merkle authentication failed.";
            int logSize = BitOperations.Log2((uint)size);
            var zeta = Goldilocks.RootOfUnity(BitOperations.Log2((uint)kf));
            var folded = new GoldilocksExt2[leafIdx.Length];
            for (int i = 0; i < leafIdx.Length; i++)
                folded[i] = Fri.FoldLeaf(layer.Leaves[i], StarkLayout.DomainPoint(shift, logSize, leafIdx[i]), zeta, betas[l]);
            for (int q = 0; q < pos.Length; q++)
            {
                int li = Array.BinarySearch(leafIdx, pos[q] % leaves);
                int t = pos[q] / leaves;
                if (layer.Leaves[li][t] != values[q]) return $"FRI layer {l}: opened value does not match the previous layer at query {q}.";
                values[q] = folded[li];
            }
            // Collapse to the distinct next-layer positions.
            pos = pos.Select(p => p % leaves).ToArray();
            shift = FieldMath.Pow(shift, (ulong)kf);
        }
        int logRem = BitOperations.Log2((uint)L.RemainderDomainSize);
        for (int q = 0; q < pos.Length; q++)
        {
            var x = Ext.Lift(StarkLayout.DomainPoint(shift, logRem, pos[q]));
            if (Ext.EvaluateAt(proof.Remainder, x) != values[q]) return "FRI remainder does not match the last layer.";
        }
        return null;
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
    private static GoldilocksExt2 CompositionAt(StarkLayout L, StarkProof proof, GoldilocksExt2[] alphas, GoldilocksExt2 beta, GoldilocksExt2 gamma, GoldilocksExt2 z)
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
        air.EvaluateTransition<GoldilocksExt2>(proof.OodMainZ, proof.OodMainZg, per, res);
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
            total += alphas[tc + b] * (proof.OodMainZ[boundaries[b].Column] - Ext.Lift(boundaries[b].Value)) * GoldilocksExt2.Inverse(z - gr);
        }
        if (L.HasLookups)
        {
            var lookups = air.Lookups;
            int auxExt = L.AuxExtColumns;
            var cur = new GoldilocksExt2[auxExt];
            var next = new GoldilocksExt2[auxExt];
            for (int a = 0; a < auxExt; a++)
            {
                cur[a] = proof.OodAuxZ[2 * a] + Ext.U * proof.OodAuxZ[2 * a + 1];
                next[a] = proof.OodAuxZg[2 * a] + Ext.U * proof.OodAuxZg[2 * a + 1];
            }
            int ai = tc + boundaries.Count;
            var delta = next[auxExt - 1] - cur[auxExt - 1];
            for (int k = 0; k < lookups.Count; k++)
            {
                var lk = lookups[k];
                var gp = GammaPowers(gamma, lk.Values.Length);
                var v = GoldilocksExt2.FromUInt64((ulong)lk.Bus);
                for (int q = 0; q < lk.Values.Length; q++) v += gp[q] * (RefAt(lk.Values[q], proof.OodMainZ, per) * lk.Scale(q) + Ext.Lift(lk.Offset(q)));
                var mult = lk.Multiplicity is { } mc ? RefAt(mc, proof.OodMainZ, per) : GoldilocksExt2.One;
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

    private static GoldilocksExt2[] GammaPowers(GoldilocksExt2 gamma, int count)
    {
        var p = new GoldilocksExt2[count];
        var g = gamma;
        for (int i = 0; i < count; i++) { p[i] = g; g *= gamma; }
        return p;
    }

    internal static GoldilocksExt2 DrawOodPoint(Transcript tr, StarkLayout L)
    {
        while (true)
        {
            var z = tr.ChallengeExt();
            // z must avoid the trace domain (Z_H(z) = 0) and the LDE coset (division by x - z).
            if (Ext.Im(z).IsZero) continue;
            if (!(FieldMath.Pow(z, (ulong)L.N) - GoldilocksExt2.One).IsZero) return z;
        }
    }

    internal static void AbsorbOod(Transcript tr, StarkProof proof)
    {
        tr.Absorb(proof.OodMainZ);
        tr.Absorb(proof.OodMainZg);
        tr.Absorb(proof.OodAuxZ);
        tr.Absorb(proof.OodAuxZg);
        tr.Absorb(proof.OodComp);
    }

    internal sealed class DeepCoefficients
    {
        public GoldilocksExt2[] MainZ = [], MainZg = [], AuxZ = [], AuxZg = [], Comp = [];
    }

    internal static DeepCoefficients DrawDeepCoefficients(Transcript tr, StarkLayout L)
    {
        GoldilocksExt2[] Draw(int count)
        {
            var a = new GoldilocksExt2[count];
            for (int i = 0; i < count; i++) a[i] = tr.ChallengeExt();
            return a;
        }
        return new DeepCoefficients
        {
            MainZ = Draw(L.Air.TraceWidth), MainZg = Draw(L.Air.TraceWidth),
            AuxZ = Draw(L.AuxBaseWidth), AuxZg = Draw(L.AuxBaseWidth), Comp = Draw(2 * L.ChunkCount),
        };
    }

    internal static (GoldilocksExt2 Z, GoldilocksExt2 Zg) DeepConstants(DeepCoefficients d, StarkProof proof)
    {
        var a = GoldilocksExt2.Zero;
        var b = GoldilocksExt2.Zero;
        for (int c = 0; c < d.MainZ.Length; c++) { a += d.MainZ[c] * proof.OodMainZ[c]; b += d.MainZg[c] * proof.OodMainZg[c]; }
        for (int c = 0; c < d.AuxZ.Length; c++) { a += d.AuxZ[c] * proof.OodAuxZ[c]; b += d.AuxZg[c] * proof.OodAuxZg[c]; }
        for (int c = 0; c < d.Comp.Length; c++) a += d.Comp[c] * proof.OodComp[c];
        return (a, b);
    }

    /// <summary>Absorbs the proof-of-work nonce and draws the distinct, sorted query positions on the LDE domain.</summary>
    internal static int[] DrawQueries(Transcript tr, StarkLayout L, ulong nonce)
    {
        tr.Absorb(nonce);
        var set = new SortedSet<int>();
        for (int q = 0; q < L.Parameters.NumQueries; q++) set.Add((int)tr.ChallengeBits(L.LogLde));
        return set.ToArray();
    }
}
