using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using ZkMl.Field;
using ZkMl.Stark.Internal;
using ZkMl.Hashing;
using ZkMl.Common;

namespace ZkMl.Stark;

/// <summary>
/// FRI-based STARK prover over Goldilocks. Steps: check the trace against the AIR; interpolate and (with zero knowledge)
/// blind each column as T + Z_H * R; low-degree-extend on a coset; commit rows with a (salted) Blake3 Merkle tree;
/// LogUp auxiliary columns from extension-field challenges; composition polynomial with random GoldilocksExt2
/// coefficients, split into chunks (blinded); DEEP out-of-domain evaluation; FRI; proof-of-work; queries.
/// </summary>
public static class StarkProver
{
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

    internal static bool Timing = Environment.GetEnvironmentVariable("ZKML_STARK_TIMING") == "1";

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
        return new Run(L, trace, ntt ?? Ntt<Goldilocks>.Instance, checkTrace, randomness).Prove();
    }

    /// <summary>The root a seeded main-trace segment would get in a proof (same layout, parameters and seed), without proving.</summary>
    internal static byte[] SegmentRoot(Air air, StarkParameters parameters, Goldilocks[][] columns, byte[] seed, INtt<Goldilocks>? ntt = null)
    {
        var L = new StarkLayout(air, parameters);
        foreach (var c in columns)
            if (c.Length != air.TraceLength) throw new ArgumentException($"Segment columns must have {air.TraceLength} rows.");
        var rng = new Randomness.Seeded(seed);
        var run = new Run(L, [], ntt ?? Ntt<Goldilocks>.Instance, true, [rng]);
        return run.CommitSegment(columns, rng);
    }

    private sealed class Run(StarkLayout L, Goldilocks[][] trace, INtt<Goldilocks> ntt, bool strict, Randomness[] segmentRandomness)
    {
        private readonly Air _air = L.Air;
        private readonly bool _zk = L.Parameters.ZeroKnowledge;
        private readonly int _n = L.N, _bigN = L.LdeSize;

        public StarkProof Prove()
        {
            var proof = new StarkProof
            {
                Parameters = L.Parameters, LogTraceLength = L.LogN, AirDigest = _air.Digest(),
                SecurityBitsValue = L.SecurityBits, LdeSizeValue = _bigN,
            };
            var tr = L.NewTranscript();

            Phase("1. Main");
            // 1. Main trace: interpolate, blind, extend, commit.
            int w = _air.TraceWidth;
            var mainCoeffs = new Goldilocks[w][];
            var mainLde = new Goldilocks[w][];
            var segWidths = _air.MainSegmentWidths;
            var segStarts = L.SegmentStarts;
            var segmentOf = new int[w];
            for (int sg = 0; sg < segWidths.Count; sg++) for (int c = 0; c < segWidths[sg]; c++) segmentOf[segStarts[sg] + c] = sg;
            Parallel.For(0, w, c => (mainCoeffs[c], mainLde[c]) = Extend(trace[c], segmentRandomness[segmentOf[c]], c - segStarts[segmentOf[c]]));
            Phase("1b. Main commit");
            var mainTrees = new Blake3MerkleTree[segWidths.Count];
            var mainSalts = new byte[]?[segWidths.Count];
            proof.MainRoots = new byte[segWidths.Count][];
            for (int sg = 0; sg < segWidths.Count; sg++)
            {
                (mainTrees[sg], mainSalts[sg]) = Commit(mainLde.AsSpan(segStarts[sg], segWidths[sg]).ToArray(), segmentRandomness[sg]);
                proof.MainRoots[sg] = mainTrees[sg].Root;
                tr.Absorb(proof.MainRoots[sg]);
            }

            Phase("2. LogUp");
            // 2. LogUp auxiliary trace.
            GoldilocksExt2 beta = default, gamma = default;
            Goldilocks[][] auxCoeffs = [], auxLde = [];
            Blake3MerkleTree? auxTree = null;
            byte[]? auxSalts = null;
            if (L.HasLookups)
            {
                beta = tr.ChallengeExt();
                gamma = tr.ChallengeExt();
                var aux = BuildAux(beta, gamma);
                Phase("2a. LogUp extend");
                auxCoeffs = new Goldilocks[aux.Length][];
                auxLde = new Goldilocks[aux.Length][];
                Parallel.For(0, aux.Length, c => (auxCoeffs[c], auxLde[c]) = Extend(aux[c], Randomness.Secure, c));
                Phase("2b. LogUp commit");
                (auxTree, auxSalts) = Commit(auxLde, Randomness.Secure);
                proof.AuxRoot = auxTree.Root;
                tr.Absorb(proof.AuxRoot);
            }

            Phase("3. Composition");
            // 3. Composition polynomial.
            var alphas = new GoldilocksExt2[L.ConstraintCount];
            for (int i = 0; i < alphas.Length; i++) alphas[i] = tr.ChallengeExt();
            var (c0, c1) = EvaluateComposition(mainLde, auxLde, alphas, beta, gamma);
            Phase("3b. Composition interpolate/extend");
            ntt.CosetInverse(c0, L.Shift);
            ntt.CosetInverse(c1, L.Shift);
            Phase("3b1. Composition split/blind");
            int m = L.ChunkCount, dt = L.TraceDegreeBound;
            if (strict)
                for (int i = m * dt; i < c0.Length; i++)
                    if (!c0[i].IsZero || !c1[i].IsZero)
                        throw new InvalidOperationException($"AIR '{_air.Identifier}': the composition polynomial has degree above {m * dt}; a constraint's declared degree is too low.");
            if (c0.Length < m * dt) { Array.Resize(ref c0, m * dt); Array.Resize(ref c1, m * dt); }
            var compCoeffs = new Goldilocks[L.CompBaseWidth][];
            for (int k = 0; k < m; k++)
            {
                compCoeffs[2 * k] = LargeArray.New<Goldilocks>(L.ChunkDegreeBound);
                compCoeffs[2 * k + 1] = LargeArray.New<Goldilocks>(L.ChunkDegreeBound);
                c0.AsSpan(k * dt, dt).CopyTo(compCoeffs[2 * k]);
                c1.AsSpan(k * dt, dt).CopyTo(compCoeffs[2 * k + 1]);
            }
            if (_zk)
            {
                // Q = sum_k X^(k*dt) Q_k is unchanged by Q_k += X^dt s_(k+1) - s_k with s_0 = s_m = 0 (deg s < h).
                int h = L.Blinding;
                for (int k = 1; k < m; k++)
                {
                    for (int comp = 0; comp < 2; comp++)
                    {
                        var s = RandomBase(h);
                        for (int i = 0; i < h; i++)
                        {
                            compCoeffs[2 * (k - 1) + comp][dt + i] += s[i];
                            compCoeffs[2 * k + comp][i] -= s[i];
                        }
                    }
                }
                // Masking polynomial for the DEEP/FRI polynomial: uniformly random of degree < D_FRI - 1.
                compCoeffs[2 * m] = RandomBase(L.FriDegreeBound - 1);
                compCoeffs[2 * m + 1] = RandomBase(L.FriDegreeBound - 1);
            }
            Phase("3b2. Composition extend");
            var compLde = new Goldilocks[compCoeffs.Length][];
            Parallel.For(0, compCoeffs.Length, c => compLde[c] = LowDegreeExtend(compCoeffs[c]));
            Phase("3c. Composition commit");
            var (compTree, compSalts) = Commit(compLde, Randomness.Secure);
            proof.CompRoot = compTree.Root;
            tr.Absorb(proof.CompRoot);

            Phase("4. Out-of-domain");
            // 4. Out-of-domain evaluations.
            var z = StarkVerifier.DrawOodPoint(tr, L);
            var zg = Ext.MulBase(z, L.TraceGenerator);
            proof.OodMainZ = EvaluateAll(mainCoeffs, z);
            proof.OodMainZg = EvaluateAll(mainCoeffs, zg);
            proof.OodAuxZ = EvaluateAll(auxCoeffs, z);
            proof.OodAuxZg = EvaluateAll(auxCoeffs, zg);
            proof.OodComp = EvaluateAll(compCoeffs.AsSpan(0, 2 * m).ToArray(), z);
            StarkVerifier.AbsorbOod(tr, proof);

            Phase("5. DEEP");
            // 5. DEEP composition.
            var deep = StarkVerifier.DrawDeepCoefficients(tr, L);
            var fri0 = DeepPolynomial(mainCoeffs, auxCoeffs, compCoeffs, deep, proof, z, zg);

            Phase("6. FRI");
            // 6. FRI commit phase.
            int kf = L.Parameters.FriFoldingFactor;
            var layerValues = new List<GoldilocksExt2[]>();
            var layerTrees = new List<Blake3MerkleTree>();
            var cur = fri0;
            var shift = L.Shift;
            var roots = new List<byte[]>();
            foreach (int size in L.FriLayerSizes)
            {
                var values = cur;
                int leaves = size / kf;
                var tree = new Blake3MerkleTree(leaves, 16 * kf, (first, count, dst) =>
                {
                    for (int i = 0; i < count; i++)
                        for (int t = 0; t < kf; t++) Ext.Write(dst[(16 * (i * kf + t))..], values[first + i + t * leaves]);
                });
                layerValues.Add(values);
                layerTrees.Add(tree);
                roots.Add(tree.Root);
                tr.Absorb(tree.Root);
                var b = tr.ChallengeExt();
                cur = Fri.FoldLayer(values, shift, kf, b);
                shift = FieldMath.Pow(shift, (ulong)kf);
            }
            proof.FriRoots = roots.ToArray();
            var r0 = new Goldilocks[cur.Length];
            var r1 = new Goldilocks[cur.Length];
            for (int i = 0; i < cur.Length; i++) { r0[i] = Ext.Re(cur[i]); r1[i] = Ext.Im(cur[i]); }
            ntt.CosetInverse(r0, shift);
            ntt.CosetInverse(r1, shift);
            if (strict)
                for (int i = L.RemainderDegreeBound; i < cur.Length; i++)
                    if (!r0[i].IsZero || !r1[i].IsZero) throw new InvalidOperationException("FRI remainder exceeds its degree bound (internal error).");
            proof.Remainder = new GoldilocksExt2[L.RemainderDegreeBound];
            for (int i = 0; i < proof.Remainder.Length; i++) proof.Remainder[i] = Ext.Make(r0[i], r1[i]);
            tr.Absorb(proof.Remainder);

            Phase("7. Proof of work");
            // 7. Proof of work, then query positions.
            proof.PowNonce = Grind(tr.State, L.Parameters.GrindingBits);
            var positions = StarkVerifier.DrawQueries(tr, L, proof.PowNonce);

            Phase("8. Openings");
            // 8. Openings.
            proof.Main = new TableOpening[segWidths.Count];
            for (int sg = 0; sg < segWidths.Count; sg++)
                proof.Main[sg] = Open(mainTrees[sg], mainLde.AsSpan(segStarts[sg], segWidths[sg]).ToArray(), mainSalts[sg], positions);
            if (auxTree is not null) proof.Aux = Open(auxTree, auxLde, auxSalts, positions);
            proof.Comp = Open(compTree, compLde, compSalts, positions);
            var layers = new FriLayerOpening[layerTrees.Count];
            var pos = positions;
            for (int l = 0; l < layerTrees.Count; l++)
            {
                int leaves = L.FriLayerSizes[l] / kf;
                var leafIdx = pos.Select(p => p % leaves).Distinct().Order().ToArray();
                var vals = layerValues[l];
                layers[l] = new FriLayerOpening
                {
                    Leaves = leafIdx.Select(i => Enumerable.Range(0, kf).Select(t => vals[i + t * leaves]).ToArray()).ToArray(),
                    Proof = layerTrees[l].Open(leafIdx).ToArray(),
                };
                pos = leafIdx;
            }
            proof.FriLayers = layers;
            Phase("end");
            return proof;
        }

        private readonly System.Diagnostics.Stopwatch _sw = System.Diagnostics.Stopwatch.StartNew();
        private readonly TimeSpan _cpu0 = Timing ? System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime : default;
        private void Phase(string name)
        {
            // Process CPU time alongside wall time: comparable across runs on a shared machine.
            if (Timing) Console.Error.WriteLine($"[stark] {_sw.Elapsed.TotalMilliseconds,8:F0} ms wall {(System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - _cpu0).TotalMilliseconds,8:F0} ms cpu  {name}");
        }

        public byte[] CommitSegment(Goldilocks[][] columns, Randomness rng)
        {
            var lde = new Goldilocks[columns.Length][];
            Parallel.For(0, columns.Length, c => lde[c] = Extend(columns[c], rng, c).Lde);
            return Commit(lde, rng).Tree.Root;
        }

        private (Goldilocks[] Coeffs, Goldilocks[] Lde) Extend(Goldilocks[] column, Randomness rng, int index)
        {
            var coeffs = LargeArray.New<Goldilocks>(L.TraceDegreeBound);
            column.AsSpan().CopyTo(coeffs);
            ntt.Inverse(coeffs.AsSpan(0, _n));
            if (_zk)
            {
                // T + Z_H * R with Z_H = X^n - 1: unchanged on the trace domain, random elsewhere.
                var r = rng.FieldElements("trace blinding", index, L.Blinding);
                for (int i = 0; i < r.Length; i++)
                {
                    coeffs[i] -= r[i];
                    coeffs[_n + i] += r[i];
                }
            }
            return (coeffs, LowDegreeExtend(coeffs));
        }

        private Goldilocks[] LowDegreeExtend(Goldilocks[] coeffs) => Extend(coeffs, _bigN, L.Shift);

        /// <summary>Evaluations of the polynomial over shift * &lt;omega_size&gt; (natural order).</summary>
        private Goldilocks[] Extend(ReadOnlySpan<Goldilocks> coeffs, int size, Goldilocks shift)
        {
            var lde = LargeArray.New<Goldilocks>(size);
            if (ntt is Ntt<Goldilocks> cpu) cpu.CosetExtend(coeffs, lde, shift);
            else
            {
                coeffs.CopyTo(lde);
                ntt.CosetForward(lde, shift);
            }
            return lde;
        }

        private (Blake3MerkleTree Tree, byte[]? Salts) Commit(Goldilocks[][] lde, Randomness rng)
        {
            int width = lde.Length;
            int saltLen = _zk ? StarkProof.SaltLength : 0;
            byte[]? salts = null;
            if (_zk)
            {
                salts = LargeArray.New<byte>(_bigN * saltLen);
                rng.Fill("leaf salts", 0, salts);
            }
            int leafBytes = saltLen + 8 * width;
            var tree = new Blake3MerkleTree(_bigN, leafBytes, (first, count, dst) =>
            {
                if (salts is not null)
                    for (int i = 0; i < count; i++) salts.AsSpan((first + i) * saltLen, saltLen).CopyTo(dst[(i * leafBytes)..]);
                var words = MemoryMarshal.Cast<byte, ulong>(dst);
                for (int c = 0; c < width; c++)
                {
                    var column = lde[c].AsSpan(first, count);
                    int at = (saltLen + 8 * c) / 8, stride = leafBytes / 8;
                    if (BitConverter.IsLittleEndian && saltLen % 8 == 0)
                        for (int i = 0; i < count; i++) words[at + i * stride] = column[i].Value;
                    else
                        for (int i = 0; i < count; i++) BinaryPrimitives.WriteUInt64LittleEndian(dst[(i * leafBytes + saltLen + 8 * c)..], column[i].Value);
                }
            });
            return (tree, salts);
        }

        private TableOpening Open(Blake3MerkleTree tree, Goldilocks[][] lde, byte[]? salts, int[] positions)
        {
            int saltLen = StarkProof.SaltLength;
            return new TableOpening
            {
                Rows = positions.Select(p => lde.Select(col => col[p]).ToArray()).ToArray(),
                Salts = salts is null ? [] : positions.Select(p => salts.AsSpan(p * saltLen, saltLen).ToArray()).ToArray(),
                Proof = tree.Open(positions).ToArray(),
            };
        }

        /// <summary>Uniform base-field elements from system randomness, drawn in one bulk request (rejection sampling).</summary>
        private static Goldilocks[] RandomBase(int count) => Randomness.Secure.FieldElements("random base elements", 0, count);

        private static GoldilocksExt2[] EvaluateAll(Goldilocks[][] coeffs, GoldilocksExt2 x)
        {
            var r = new GoldilocksExt2[coeffs.Length];
            Parallel.For(0, coeffs.Length, c => r[c] = Ext.EvaluateAt(coeffs[c], x));
            return r;
        }

        /// <summary>LogUp columns: per term u = m/(beta - v) (two base columns each), then the running sum S.</summary>
        private Goldilocks[][] BuildAux(GoldilocksExt2 beta, GoldilocksExt2 gamma)
        {
            var terms = _air.Lookups;
            int n = _n;
            var result = new Goldilocks[2 * (terms.Count + 1)][];
            bool collided = false;
            // Terms are independent: each is a batch inversion over the rows.
            Parallel.For(0, terms.Count, k =>
            {
                var term = terms[k];
                var den = LargeArray.New<GoldilocksExt2>(n);
                var gp = LookupGammaPowers(gamma, term.Values.Length);
                var bus = Ext.Lift(Goldilocks.FromUInt64((ulong)term.Bus));
                for (int i = 0; i < n; i++)
                {
                    var v = bus;
                    for (int j = 0; j < term.Values.Length; j++) v += Ext.MulBase(gp[j], term.Scale(j) * AirChecker.Value(_air, trace, term.Values[j], i) + term.Offset(j));
                    den[i] = beta - v;
                    if (den[i].IsZero) { collided = true; return; }
                }
                FieldMath.BatchInverse(den);
                var u0 = LargeArray.New<Goldilocks>(n);
                var u1 = LargeArray.New<Goldilocks>(n);
                for (int i = 0; i < n; i++)
                {
                    var mult = term.Multiplicity is { } mc ? AirChecker.Value(_air, trace, mc, i) : Goldilocks.One;
                    var u = Ext.MulBase(den[i], mult);
                    u0[i] = Ext.Re(u);
                    u1[i] = Ext.Im(u);
                }
                result[2 * k] = u0;
                result[2 * k + 1] = u1;
            });
            if (collided) throw new InvalidOperationException("LogUp challenge collided with a looked-up value; retry.");
            var running = LargeArray.New<GoldilocksExt2>(n);
            ParallelRange(n, (start, end) =>
            {
                for (int k = 0; k < terms.Count; k++)
                {
                    var u0 = result[2 * k];
                    var u1 = result[2 * k + 1];
                    bool table = terms[k].IsTable;
                    for (int i = start; i < end; i++)
                    {
                        var u = Ext.Make(u0[i], u1[i]);
                        running[i] = table ? running[i] - u : running[i] + u;
                    }
                }
            });
            var s0 = LargeArray.New<Goldilocks>(n);
            var s1 = LargeArray.New<Goldilocks>(n);
            var s = GoldilocksExt2.Zero;
            for (int i = 0; i < n; i++)
            {
                s0[i] = Ext.Re(s);
                s1[i] = Ext.Im(s);
                s += running[i];
            }
            if (strict && !s.IsZero) throw new AirConstraintViolationException("LogUp", n - 1, $"AIR '{_air.Identifier}': the LogUp sum is not zero; some looked-up value is missing from its table.");
            result[^2] = s0;
            result[^1] = s1;
            return result;
        }

        internal static GoldilocksExt2[] LookupGammaPowers(GoldilocksExt2 gamma, int count)
        {
            var p = new GoldilocksExt2[count];
            var g = gamma;
            for (int i = 0; i < count; i++) { p[i] = g; g *= gamma; }
            return p;
        }

        private (Goldilocks[] C0, Goldilocks[] C1) EvaluateComposition(Goldilocks[][] mainLde, Goldilocks[][] auxLde, GoldilocksExt2[] alphas, GoldilocksExt2 beta, GoldilocksExt2 gamma)
        {
            int bigN = L.CompositionDomainSize, n = _n, step = bigN / n, mask = bigN - 1, stride = _bigN / bigN;
            var c0 = LargeArray.New<Goldilocks>(bigN);
            var c1 = LargeArray.New<Goldilocks>(bigN);
            var constraints = _air.TransitionConstraints;
            var boundaries = _air.BoundaryConstraints;
            var lookups = _air.Lookups;
            int tCount = constraints.Count, w = _air.TraceWidth;
            var nonWrap = constraints.Select(c => c.Domain == ConstraintDomain.AllButLastRow).ToArray();

            // Z_H(x)^-1 takes only `step` distinct values on the coset.
            var zhInv = new Goldilocks[step];
            var shiftN = FieldMath.Pow(L.Shift, (ulong)n);
            var omegaStep = Goldilocks.RootOfUnity(BitOperations.Log2((uint)step));
            var acc = shiftN;
            for (int r = 0; r < step; r++) { zhInv[r] = acc - Goldilocks.One; acc *= omegaStep; }
            FieldMath.BatchInverse(zhInv);
            var lastRow = FieldMath.Pow(L.TraceGenerator, (ulong)(n - 1));

            // 1/(x - g^row) for each boundary row.
            var rows = L.BoundaryRows;
            var rowInv = new Goldilocks[rows.Length][];
            var omegaN = Goldilocks.RootOfUnity(BitOperations.Log2((uint)bigN));
            for (int r = 0; r < rows.Length; r++)
            {
                var inv = LargeArray.New<Goldilocks>(bigN);
                var gr = FieldMath.Pow(L.TraceGenerator, (ulong)rows[r]);
                ParallelRange(bigN, (s, e) =>
                {
                    var x = L.Shift * FieldMath.Pow(omegaN, (ulong)s);
                    for (int j = s; j < e; j++) { inv[j] = x - gr; x *= omegaN; }
                    FieldMath.BatchInverse(inv.AsSpan(s, e - s));
                });
                rowInv[r] = inv;
            }
            var boundaryRowIndex = boundaries.Select(b => Array.IndexOf(rows, b.Row)).ToArray();

            // Periodic columns on the LDE: P(x) = Pp(x^(n/p)), which repeats every N*p/n points.
            var periodic = _air.PeriodicColumns;
            var perLde = new Goldilocks[periodic.Count][];
            Parallel.For(0, periodic.Count, p => perLde[p] = PeriodicLde(periodic[p].Values));

            var gammaPowers = lookups.Select(l => LookupGammaPowers(gamma, l.Values.Length)).ToArray();
            var scales = lookups.Select(l => Enumerable.Range(0, l.Values.Length).Select(l.Scale).ToArray()).ToArray();
            var offsets = lookups.Select(l => Enumerable.Range(0, l.Values.Length).Select(l.Offset).ToArray()).ToArray();
            int auxExt = L.AuxExtColumns;
            Phase("3a. Composition rows");

            ParallelRange(bigN, (start, end) =>
            {
                var cur = new Goldilocks[w];
                var next = new Goldilocks[w];
                var per = new Goldilocks[periodic.Count];
                var res = new Goldilocks[tCount];
                var accB = new GoldilocksExt2[rows.Length];
                var auxCur = new GoldilocksExt2[auxExt];
                var auxNext = new GoldilocksExt2[auxExt];
                var x = L.Shift * FieldMath.Pow(omegaN, (ulong)start);
                for (int j = start; j < end; j++, x *= omegaN)
                {
                    int jl = j * stride, jn = ((j + step) & mask) * stride;
                    for (int c = 0; c < w; c++) { cur[c] = mainLde[c][jl]; next[c] = mainLde[c][jn]; }
                    for (int p = 0; p < per.Length; p++) per[p] = perLde[p][jl % perLde[p].Length];
                    Array.Clear(res);
                    _air.EvaluateTransition<Goldilocks>(cur, next, per, res);
                    var accNon = GoldilocksExt2.Zero;
                    var accWrap = GoldilocksExt2.Zero;
                    for (int t = 0; t < tCount; t++)
                    {
                        if (res[t].IsZero) continue;
                        var term = Ext.MulBase(alphas[t], res[t]);
                        if (nonWrap[t]) accNon += term; else accWrap += term;
                    }
                    Array.Clear(accB);
                    for (int b = 0; b < boundaries.Count; b++)
                        accB[boundaryRowIndex[b]] += Ext.MulBase(alphas[tCount + b], cur[boundaries[b].Column] - boundaries[b].Value);
                    if (auxExt > 0)
                    {
                        for (int a = 0; a < auxExt; a++)
                        {
                            auxCur[a] = Ext.Make(auxLde[2 * a][jl], auxLde[2 * a + 1][jl]);
                            auxNext[a] = Ext.Make(auxLde[2 * a][jn], auxLde[2 * a + 1][jn]);
                        }
                        int ai = tCount + boundaries.Count;
                        var delta = auxNext[auxExt - 1] - auxCur[auxExt - 1];
                        for (int k = 0; k < lookups.Count; k++)
                        {
                            var lk = lookups[k];
                            var v = Ext.Lift(Goldilocks.FromUInt64((ulong)lk.Bus));
                            for (int q = 0; q < lk.Values.Length; q++)
                                v += Ext.MulBase(gammaPowers[k][q], scales[k][q] * Ref(lk.Values[q], cur, per) + offsets[k][q]);
                            var mult = lk.Multiplicity is { } mc ? Ref(mc, cur, per) : Goldilocks.One;
                            var cons = auxCur[k] * (beta - v) - Ext.Lift(mult);
                            accWrap += alphas[ai + k] * cons;
                            delta = lk.IsTable ? delta + auxCur[k] : delta - auxCur[k];
                        }
                        accWrap += alphas[ai + lookups.Count] * delta;
                    }
                    var zi = zhInv[j % step];
                    var total = Ext.MulBase(accNon, (x - lastRow) * zi) + Ext.MulBase(accWrap, zi);
                    for (int r = 0; r < rows.Length; r++) total += Ext.MulBase(accB[r], rowInv[r][j]);
                    c0[j] = Ext.Re(total);
                    c1[j] = Ext.Im(total);
                }
            });
            return (c0, c1);
        }

        private static Goldilocks Ref(ColumnRef c, Goldilocks[] cur, Goldilocks[] per) => c.IsPeriodic ? per[c.Index] : cur[c.Index];

        private Goldilocks[] PeriodicLde(Goldilocks[] values)
        {
            int p = values.Length;
            var coeffs = (Goldilocks[])values.Clone();
            ntt.Inverse(coeffs);
            int size = (int)((long)_bigN * p / _n);
            return Extend(coeffs, size, FieldMath.Pow(L.Shift, (ulong)(_n / p)));
        }

        /// <summary>
        /// The DEEP polynomial's values on the LDE domain, computed in coefficient form: with F_z = sum of the z-coefficients
        /// times each column polynomial (likewise F_zg), DEEP = (F_z - F_z(z))/(X - z) + (F_zg - F_zg(zg))/(X - zg) [+ mask].
        /// Two synthetic divisions and one extension of an extension-field polynomial replace a pointwise pass with two
        /// inversions per LDE point; the values are the same.
        /// </summary>
        private GoldilocksExt2[] DeepPolynomial(Goldilocks[][] mainCoeffs, Goldilocks[][] auxCoeffs, Goldilocks[][] compCoeffs, StarkVerifier.DeepCoefficients deep, StarkProof proof, GoldilocksExt2 z, GoldilocksExt2 zg)
        {
            int d = L.FriDegreeBound, m2 = 2 * L.ChunkCount;
            var fz = LargeArray.New<GoldilocksExt2>(d);
            var fzg = LargeArray.New<GoldilocksExt2>(d);
            ParallelRange(d, (s, e) =>
            {
                AddScaled(fz, fzg, mainCoeffs, deep.MainZ, deep.MainZg, s, e);
                AddScaled(fz, fzg, auxCoeffs, deep.AuxZ, deep.AuxZg, s, e);
                AddScaled(fz, null, compCoeffs.AsSpan(0, m2).ToArray(), deep.Comp, null, s, e);
            });
            var (constZ, constZg) = StarkVerifier.DeepConstants(deep, proof);
            GoldilocksExt2 remZ = default, remZg = default;
            Parallel.Invoke(() => remZ = Ext.DivideByLinear(fz, z), () => remZg = Ext.DivideByLinear(fzg, zg));
            if (remZ != constZ || remZg != constZg) throw new InvalidOperationException("DEEP quotient does not divide exactly (internal error).");
            var re = LargeArray.New<Goldilocks>(d - 1);
            var im = LargeArray.New<Goldilocks>(d - 1);
            ParallelRange(d - 1, (s, e) =>
            {
                for (int i = s; i < e; i++)
                {
                    var v = fz[i] + fzg[i];
                    if (_zk) v += Ext.Make(compCoeffs[m2][i], compCoeffs[m2 + 1][i]);
                    re[i] = Ext.Re(v);
                    im[i] = Ext.Im(v);
                }
            });
            Goldilocks[] reLde = [], imLde = [];
            Parallel.Invoke(() => reLde = LowDegreeExtend(re), () => imLde = LowDegreeExtend(im));
            var result = LargeArray.New<GoldilocksExt2>(_bigN);
            ParallelRange(_bigN, (s, e) =>
            {
                for (int j = s; j < e; j++) result[j] = Ext.Make(reLde[j], imLde[j]);
            });
            return result;
        }

        /// <summary>a[i] += sum_c ca[c] * columns[c][i] (and likewise b with cb) for i in [start, end).</summary>
        private static void AddScaled(GoldilocksExt2[] a, GoldilocksExt2[]? b, Goldilocks[][] columns, GoldilocksExt2[] ca, GoldilocksExt2[]? cb, int start, int end)
        {
            for (int c = 0; c < columns.Length; c++)
            {
                var col = columns[c];
                int stop = Math.Min(end, col.Length);
                var x = ca[c];
                for (int i = start; i < stop; i++) a[i] += Ext.MulBase(x, col[i]);
                if (b is null) continue;
                var y = cb![c];
                for (int i = start; i < stop; i++) b[i] += Ext.MulBase(y, col[i]);
            }
        }

        private static void ParallelRange(int count, Action<int, int> body)
        {
            int parts = count < 4096 ? 1 : Environment.ProcessorCount * 4;
            int per = (count + parts - 1) / parts;
            Parallel.For(0, parts, p =>
            {
                int s = p * per, e = Math.Min(count, s + per);
                if (s < e) body(s, e);
            });
        }

        /// <summary>The smallest nonce meeting the proof-of-work target (deterministic whatever the thread timing).</summary>
        private static ulong Grind(byte[] state, int bits)
        {
            if (bits == 0) return 0;
            long found = long.MaxValue;
            const long batch = 1 << 16;
            for (long baseNonce = 0; found == long.MaxValue; baseNonce += batch * Environment.ProcessorCount)
            {
                long b0 = baseNonce;
                // Each thread scans its whole range up to its first hit, so the round's minimum is the global minimum.
                Parallel.For(0, Environment.ProcessorCount, t =>
                {
                    long s = b0 + t * batch;
                    for (long nonce = s; nonce < s + batch && nonce < Interlocked.Read(ref found); nonce++)
                    {
                        if (Transcript.PowLeadingZeros(state, (ulong)nonce) < bits) continue;
                        long seen;
                        while (nonce < (seen = Interlocked.Read(ref found)) && Interlocked.CompareExchange(ref found, nonce, seen) != seen) { }
                        return;
                    }
                });
            }
            return (ulong)found;
        }
    }
}
