using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>
/// The sumcheck protocol for S = sum over x in {0,1}^n of f_1(x) f_2(x) ... f_k(x), the f_j multilinear
/// (k &lt;= <see cref="SumcheckProof.MaxDegree"/>). Round i sends g_i(X) = sum over the remaining hypercube of the
/// product with the earlier variables fixed to the challenges, as g_i(0), g_i(2..k); the verifier recovers
/// g_i(1) = claim - g_i(0), draws r_i from the transcript and continues with claim = g_i(r_i). The claim is reduced
/// to the factors' values at r = (r_1..r_n), which the caller must check (<see cref="SumcheckReduction"/>).
/// <para>
/// Soundness: a false claim survives round i only if r_i is a root of the non-zero difference of two polynomials of
/// degree &lt;= k, probability &lt;= k / |F_ext| = k / p^2 (p^2 is just under 2^128) per round, n k / p^2 overall:
/// below 2^-119 for n = 40, k = 8. The protocol is round-by-round sound with error k / p^2 &lt;= 2^-125, so after
/// Fiat-Shamir an attacker making 2^20 hash queries still succeeds with probability below 2^-105: the quadratic
/// extension gives &gt;= 100 bits for every size this library accepts, and no larger extension is needed.
/// </para>
/// <para>
/// Prover work: O(k^2 2^n) field operations per proof (each round touches the live half of every table once, the
/// tables halve every round); the first round runs on the base-field tables. Nothing is allocated per field
/// operation; rounds over more than <see cref="Multilinear"/>'s threshold run in parallel chunks.
/// </para>
/// </summary>
public static class ProductSumcheck
{
    /// <summary>
    /// Proves the sum of the product of base-field tables (all of the same power-of-two length); the tables are not
    /// modified. The claim is computed by the prover and returned.
    /// </summary>
    public static SumcheckProverResult Prove(Transcript transcript, params ReadOnlySpan<Goldilocks[]> factors)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        var tables = factors.ToArray();
        int n = Validate(tables);
        if (n == 0) return ProveInPlace(transcript, [.. tables.Select(t => new[] { (GoldilocksExt2)t[0] })]);
        using var phase = SumcheckTelemetry.Telemetry.Phase("sumcheck");
        int k = tables.Length, half = 1 << (n - 1);
        Span<Goldilocks> baseSums = stackalloc Goldilocks[k + 1];
        RoundKernel.Evaluate(tables, half, withOne: true, baseSums);
        Span<GoldilocksExt2> sums = stackalloc GoldilocksExt2[k + 1];
        for (int t = 0; t <= k; t++) sums[t] = baseSums[t];
        var state = new ProverState(transcript, n, k, sums[0] + sums[1]);
        GoldilocksExt2 r = state.Send(0, sums);
        var folded = new GoldilocksExt2[k][];
        for (int j = 0; j < k; j++)
        {
            folded[j] = new GoldilocksExt2[half];
            Multilinear.FixFirstVariable(tables[j], r, folded[j]);
        }
        return state.Continue(folded, 1, sums);
    }

    /// <summary>
    /// Proves the sum of the product of extension-field tables (all of the same power-of-two length), folding them
    /// in place: their contents are destroyed. The claim is computed by the prover and returned.
    /// </summary>
    public static SumcheckProverResult ProveInPlace(Transcript transcript, params ReadOnlySpan<GoldilocksExt2[]> factors)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        var tables = factors.ToArray();
        int n = Validate(tables);
        int k = tables.Length;
        using var phase = SumcheckTelemetry.Telemetry.Phase("sumcheck");
        Span<GoldilocksExt2> sums = stackalloc GoldilocksExt2[k + 1];
        GoldilocksExt2 claim;
        if (n == 0)
        {
            claim = GoldilocksExt2.One;
            foreach (var table in tables) claim *= table[0];
        }
        else
        {
            RoundKernel.Evaluate(tables, 1 << (n - 1), withOne: true, sums);
            claim = sums[0] + sums[1];
        }
        return new ProverState(transcript, n, k, claim).Continue(tables, 0, sums);
    }

    /// <summary>
    /// Verifies a proof that the product of <paramref name="degree"/> multilinears in <paramref name="variables"/>
    /// variables sums to <paramref name="claim"/>. On success <paramref name="reduction"/> holds the point and the
    /// factors' claimed values there, which the caller must check against the factors.
    /// </summary>
    /// <returns>False when the proof's shape differs from the statement or the final product differs from the reduced claim.</returns>
    public static bool Verify(Transcript transcript, int variables, int degree, GoldilocksExt2 claim, SumcheckProof proof,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SumcheckReduction? reduction)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        ArgumentNullException.ThrowIfNull(proof);
        ArgumentOutOfRangeException.ThrowIfNegative(variables);
        ArgumentOutOfRangeException.ThrowIfLessThan(degree, 1);
        reduction = null;
        if (proof.Variables != variables || proof.Degree != degree) return false;
        Begin(transcript, variables, degree, claim);
        var point = new GoldilocksExt2[variables];
        claim = RoundPolynomial.Replay(transcript, proof.RoundMessages, degree, claim, "sumcheck.round", "sumcheck.challenge", point);
        transcript.Absorb("sumcheck.final", proof.FinalEvaluations);
        GoldilocksExt2 product = GoldilocksExt2.One;
        foreach (GoldilocksExt2 v in proof.FinalEvaluations) product *= v;
        if (product != claim) return false;
        reduction = new SumcheckReduction(point, proof.FinalEvaluations.ToArray());
        return true;
    }

    /// <summary>As <see cref="Verify(Transcript, int, int, GoldilocksExt2, SumcheckProof, out SumcheckReduction)"/> for the bytes of <see cref="SumcheckProof.ToBytes"/>.</summary>
    /// <exception cref="ProofFormatException">The bytes do not decode.</exception>
    public static bool Verify(Transcript transcript, int variables, int degree, GoldilocksExt2 claim, ReadOnlySpan<byte> proof,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SumcheckReduction? reduction) =>
        Verify(transcript, variables, degree, claim, SumcheckProof.FromBytes(proof), out reduction);

    /// <summary>Binds the statement of the sumcheck (shape and claim) before its first message.</summary>
    private static void Begin(Transcript transcript, int variables, int degree, GoldilocksExt2 claim)
    {
        transcript.Absorb("sumcheck.shape", ((ulong)(uint)variables << 32) | (uint)degree);
        transcript.Absorb("sumcheck.claim", [claim]);
    }

    private static int Validate<T>(T[][] tables)
    {
        if (tables.Length < 1 || tables.Length > SumcheckProof.MaxDegree)
            throw new ArgumentException($"A sumcheck has 1..{SumcheckProof.MaxDegree} factors, got {tables.Length}.");
        foreach (var table in tables) ArgumentNullException.ThrowIfNull(table);
        int n = Multilinear.VariableCount(tables[0].Length);
        if (n > SumcheckProof.MaxVariables) throw new ArgumentException("Too many variables.");
        foreach (var table in tables)
            if (table.Length != tables[0].Length) throw new ArgumentException("Factors of different lengths.");
        return n;
    }

    /// <summary>The prover's transcript side and the messages collected so far.</summary>
    private sealed class ProverState
    {
        private readonly Transcript _transcript;
        private readonly int _variables, _degree;
        private readonly GoldilocksExt2 _claim;
        private readonly GoldilocksExt2[] _messages, _point;

        public ProverState(Transcript transcript, int variables, int degree, GoldilocksExt2 claim)
        {
            (_transcript, _variables, _degree, _claim) = (transcript, variables, degree, claim);
            _messages = new GoldilocksExt2[variables * degree];
            _point = new GoldilocksExt2[variables];
            Begin(transcript, variables, degree, claim);
        }

        /// <summary>Sends g(0), g(2..k) of this round and returns the transcript's challenge.</summary>
        public GoldilocksExt2 Send(int round, ReadOnlySpan<GoldilocksExt2> sums)
        {
            var message = _messages.AsSpan(round * _degree, _degree);
            message[0] = sums[0];
            sums[2..].CopyTo(message[1..]);
            _transcript.Absorb("sumcheck.round", message);
            return _point[round] = _transcript.ChallengeExt("sumcheck.challenge");
        }

        /// <summary>
        /// Runs rounds <paramref name="firstRound"/>.. on tables whose live length is 2^(n - firstRound);
        /// <paramref name="sums"/> already holds round <paramref name="firstRound"/>'s values when it is 0.
        /// </summary>
        public SumcheckProverResult Continue(GoldilocksExt2[][] tables, int firstRound, Span<GoldilocksExt2> sums)
        {
            int length = 1 << (_variables - firstRound);
            for (int round = firstRound; round < _variables; round++, length /= 2)
            {
                if (round > 0) RoundKernel.Evaluate(tables, length / 2, withOne: false, sums);
                GoldilocksExt2 r = Send(round, sums);
                foreach (var table in tables) Multilinear.FixFirstVariableInPlace(table.AsSpan(0, length), r);
            }
            var finals = new GoldilocksExt2[_degree];
            for (int j = 0; j < _degree; j++) finals[j] = tables[j][0];
            _transcript.Absorb("sumcheck.final", finals);
            return new SumcheckProverResult(new SumcheckProof(_variables, _degree, _messages, finals), _claim,
                new SumcheckReduction(_point, finals));
        }
    }
}
