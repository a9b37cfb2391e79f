using ZkMl.Circuits;
using ZkMl.Field;
using ZkMl.Snark.Ceremony;
using ZkMl.Snark.Curves;
using ZkMl.Snark.Formats;
using ZkMl.Common;

namespace ZkMl.Snark.Groth16;

/// <summary>
/// Groth16 key generation. <c>Development</c> draws all toxic waste (τ, α, β, γ, δ) itself:
/// <b>SINGLE-PARTY, FOR TESTS AND LOCAL USE ONLY</b> — whoever runs it could forge proofs if the waste leaked, and nobody
/// else can tell, and its .zkey cannot be continued by a snarkjs phase-2 ceremony (its τ, α, β come from no powers of
/// tau). For anything others must trust, use <c>FromPtau</c> on the output of a multi-party powers-of-tau ceremony
/// (snarkjs "powersoftau prepare phase2"), which adds a fresh random phase-2 δ and records it as a snarkjs contribution,
/// so `snarkjs zkey verify` attests the key and `snarkjs zkey contribute` continues the ceremony from it.
/// </summary>
public static class Groth16Setup
{
    /// <summary>
    /// DEVELOPMENT ONLY — SINGLE-PARTY TRUSTED SETUP. Draws the toxic waste τ, α, β, γ, δ from the OS CSPRNG, builds the
    /// proving key (snarkjs .zkey layout, so <see cref="Formats.Zkey.Write"/> can hand it to snarkjs) and discards the waste.
    /// Anyone who could read this process's memory during the call could forge proofs; use it for tests and local
    /// experiments, and <see cref="FromPtau(R1cs{Bn254Fr}, string)"/> with a multi-party ceremony for anything others rely on.
    /// </summary>
    /// <param name="r1cs">The constraint system; wires 1..PublicCount are the public signals (outputs, then public inputs).</param>
    public static Groth16ProvingKey Development(R1cs<Bn254Fr> r1cs) => Development(r1cs, null);

    /// <summary>
    /// <see cref="Development(R1cs{Bn254Fr})"/>, reporting the fraction of the key generation done (0 to 1, monotone, in
    /// steps of about a percent as chunks of the per-point scalar multiplications finish) to <paramref name="progress"/>.
    /// </summary>
    /// <param name="r1cs">The constraint system.</param>
    /// <param name="progress">Receives fractions done, on the worker threads; null for none.</param>
    public static Groth16ProvingKey Development(R1cs<Bn254Fr> r1cs, IProgress<double>? progress)
    {
        using var phase = Groth16Telemetry.Telemetry.Phase("setup");
        var key = DevelopmentSetup(QapShape.FromR1cs(r1cs), progress);
        progress?.Report(1.0);
        return key;
    }

    /// <summary>
    /// Keys from a snarkjs phase-2-prepared powers-of-tau file (`snarkjs powersoftau prepare phase2` output), equivalent to
    /// `snarkjs groth16 setup` followed by one `snarkjs zkey contribute` with fresh CSPRNG randomness (γ = [1]₂ as in snarkjs);
    /// the contribution is recorded as snarkjs does, so the written .zkey passes `snarkjs zkey verify r1cs ptau zkey` and
    /// further contributions can follow (for ptau files whose section 2 covers τ^(2n−1); otherwise no record is kept).
    /// The key is as trustworthy as the ceremony behind the file. Throws <see cref="Formats.SnarkFormatException"/> for a
    /// malformed, unprepared or too small file.
    /// </summary>
    public static Groth16ProvingKey FromPtau(R1cs<Bn254Fr> r1cs, string ptauPath) => FromPtau(r1cs, ptauPath, null);

    /// <summary><see cref="FromPtau(R1cs{Bn254Fr}, string)"/>, reporting the fraction done (0 to 1, monotone) to <paramref name="progress"/>.</summary>
    /// <param name="r1cs">The constraint system.</param>
    /// <param name="ptauPath">The prepared powers of tau.</param>
    /// <param name="progress">Receives fractions done, on the worker threads; null for none.</param>
    public static Groth16ProvingKey FromPtau(R1cs<Bn254Fr> r1cs, string ptauPath, IProgress<double>? progress)
    {
        using var phase = Groth16Telemetry.Telemetry.Phase("setup");
        var key = SetupFromPtau(QapShape.FromR1cs(r1cs), ptauPath, progress: progress);
        progress?.Report(1.0);
        return key;
    }

    /// <summary>
    /// DEVELOPMENT ONLY: a single-party trusted setup with fresh random τ, α, β, γ, δ from the OS CSPRNG, discarded on return.
    /// The key it returns is secure only as long as the machine that ran it is trusted; do not use it for proofs third parties rely on.
    /// </summary>
    internal static Groth16ProvingKey DevelopmentSetup(QapShape qap, IProgress<double>? progress = null)
    {
        while (true)
        {
            var waste = new ToxicWaste(Groth16Prover.RandomNonZeroScalar(), Groth16Prover.RandomNonZeroScalar(),
                Groth16Prover.RandomNonZeroScalar(), Groth16Prover.RandomNonZeroScalar(), Groth16Prover.RandomNonZeroScalar());
            var key = DevelopmentSetup(qap, waste, progress);
            if (key is not null) return key; // null: τ landed in the 2n-domain (probability ~2n/r)
        }
    }

    /// <summary>The secret trapdoor of a setup; exposed to tests only, to check proofs without pairings.</summary>
    internal sealed record ToxicWaste(Bn254Fr Tau, Bn254Fr Alpha, Bn254Fr Beta, Bn254Fr Gamma, Bn254Fr Delta);

    internal static Groth16ProvingKey? DevelopmentSetup(QapShape qap, ToxicWaste waste, IProgress<double>? progress = null)
    {
        qap.Validate();
        int n = qap.DomainSize, nVars = qap.VariableCount, nPub = qap.PublicCount;
        var (tau, alpha, beta, gamma, delta) = waste;
        {
            var lagrange = LagrangeAt(tau, n);
            var lagrange2 = LagrangeAt(tau, 2 * n);
            if (lagrange is null || lagrange2 is null) return null;
            var u = new Bn254Fr[nVars];
            var v = new Bn254Fr[nVars];
            var wv = new Bn254Fr[nVars];
            foreach (var (row, wire, value) in qap.AWithPublicRows()) u[wire] += value * lagrange[row];
            foreach (var (row, wire, value) in qap.B) v[wire] += value * lagrange[row];
            foreach (var (row, wire, value) in qap.C) wv[wire] += value * lagrange[row];

            var gammaInv = Bn254Fr.Inverse(gamma);
            var deltaInv = Bn254Fr.Inverse(delta);
            var icScalars = new Bn254Fr[nPub + 1];
            var cScalars = new Bn254Fr[nVars - nPub - 1];
            for (int i = 0; i < nVars; i++)
            {
                var k = beta * u[i] + alpha * v[i] + wv[i];
                if (i <= nPub) icScalars[i] = k * gammaInv;
                else cScalars[i - nPub - 1] = k * deltaInv;
            }
            // H query: L_{2i+1}(τ) of the 2n-domain, divided by δ (snarkjs's odd-coset convention).
            var hScalars = new Bn254Fr[n];
            for (int i = 0; i < n; i++) hScalars[i] = lagrange2[2 * i + 1] * deltaInv;

            var g1 = FixedBaseTable.G1Generator;
            var g2 = FixedBaseTable.G2Generator;
            // Progress in G1 multiplications; a G2 one costs about three.
            var tracker = new ProgressTracker(progress, icScalars.Length + 2L * nVars + cScalars.Length + hScalars.Length + G2Weight * nVars);
            Action<int> g1Done = k => tracker.Add(k), g2Done = k => tracker.Add(G2Weight * k);
            var key = new Groth16ProvingKey(nVars, nPub, n,
                g1.Multiply(alpha), g1.Multiply(beta), g2.Multiply(beta), g2.Multiply(gamma), g1.Multiply(delta), g2.Multiply(delta),
                g1.MultiplyMany(icScalars, g1Done),
                SparseRows.FromTriples(n, qap.AWithPublicRows()), SparseRows.FromTriples(n, qap.B),
                g1.MultiplyMany(u, g1Done), g1.MultiplyMany(v, g1Done), g2.MultiplyMany(v, g2Done), g1.MultiplyMany(cScalars, g1Done),
                g1.MultiplyMany(hScalars, g1Done));
            Array.Clear(u); Array.Clear(v); Array.Clear(wv); Array.Clear(lagrange); Array.Clear(lagrange2);
            Array.Clear(icScalars); Array.Clear(cScalars); Array.Clear(hScalars);
            return key;
        }
    }

    /// <summary>
    /// Key generation from a phase-2-prepared powers-of-tau file, as `snarkjs groth16 setup` followed by one
    /// `snarkjs zkey contribute`: the circuit-specific points are combined from the ceremony's Lagrange points
    /// (γ = 1 as in snarkjs), then a fresh random δ from the OS CSPRNG is applied to δ, C and H and discarded.
    /// </summary>
    /// <param name="qap">The circuit.</param>
    /// <param name="ptauPath">The prepared powers of tau.</param>
    /// <param name="randomDelta">False for the δ = 1 key of `snarkjs zkey new` (no contribution yet), which needs the full
    /// monomial section for its circuit hash.</param>
    /// <param name="progress">Receives fractions done; null for none.</param>
    internal static Groth16ProvingKey SetupFromPtau(QapShape qap, string ptauPath, bool randomDelta = true, IProgress<double>? progress = null)
    {
        qap.Validate();
        int n = qap.DomainSize, nVars = qap.VariableCount, nPub = qap.PublicCount;
        using var ptau = Ptau.Open(ptauPath);
        if (n > 1 << ptau.Power)
            throw new SnarkFormatException($"{ptauPath}: the circuit needs a domain of 2^{Groth16Prover.Log2(n)} rows ({qap.ConstraintCount} constraints + {nPub + 1} public rows), the powers of tau only reach 2^{ptau.Power}");
        var tauG1 = ptau.LagrangeG1(12, n);
        var tauG2 = ptau.LagrangeG2(n);
        var alphaTauG1 = ptau.LagrangeG1(14, n);
        var betaTauG1 = ptau.LagrangeG1(15, n);
        var tau2n = ptau.LagrangeG1(12, 2 * n);

        // Progress in points combined or scaled (G2 ones weigh three), plus the circuit hash as one G1 pass over its points.
        var tracker = new ProgressTracker(progress, 4L * nVars + G2Weight * nVars + (nVars - nPub - 1) + n + 3L * nVars);
        var aTriples = qap.AWithPublicRows();
        var byWireA = SparseRows.FromTriples(nVars, Swap(aTriples));
        var byWireB = SparseRows.FromTriples(nVars, Swap(qap.B));
        var byWireC = SparseRows.FromTriples(nVars, Swap(qap.C));

        var aPoints = Combine(byWireA, tauG1, tracker);
        var b1Points = Combine(byWireB, tauG1, tracker);
        var b2 = new G2Projective[nVars];
        ParallelChunks.ForEach(nVars, 64, i =>
        {
            var acc = G2Projective.Infinity;
            for (int k = byWireB.RowStart[i]; k < byWireB.RowStart[i + 1]; k++)
                acc += CeremonyMath.MultiplyPublic(tauG2[byWireB.Signals[k]].ToProjective(), byWireB.Values[k], CeremonyMath.G2Ops);
            b2[i] = acc;
            tracker.Add(G2Weight);
        });
        var b2Points = new G2Affine[nVars];
        G2Projective.BatchToAffine(b2, b2Points);

        var k1 = new G1Projective[nVars];
        ParallelChunks.ForEach(nVars, 64, i =>
        {
            var acc = G1Projective.Infinity;
            for (int k = byWireA.RowStart[i]; k < byWireA.RowStart[i + 1]; k++)
                acc += CeremonyMath.MultiplyPublic(betaTauG1[byWireA.Signals[k]].ToProjective(), byWireA.Values[k], CeremonyMath.G1Ops);
            for (int k = byWireB.RowStart[i]; k < byWireB.RowStart[i + 1]; k++)
                acc += CeremonyMath.MultiplyPublic(alphaTauG1[byWireB.Signals[k]].ToProjective(), byWireB.Values[k], CeremonyMath.G1Ops);
            for (int k = byWireC.RowStart[i]; k < byWireC.RowStart[i + 1]; k++)
                acc += CeremonyMath.MultiplyPublic(tauG1[byWireC.Signals[k]].ToProjective(), byWireC.Values[k], CeremonyMath.G1Ops);
            k1[i] = acc;
            tracker.Add(2);
        });

        var k1Affine = new G1Affine[nVars];
        G1Projective.BatchToAffine(k1, k1Affine);
        var ic = k1Affine[..(nPub + 1)];
        // The circuit hash of the δ = 1 key `snarkjs zkey new` would write, so `snarkjs zkey verify` can attest ours.
        var circuitHash = ZkeyCircuitHash.Compute(ptau, n, ptau.Alpha1, ptau.Beta1, ptau.Beta2, ic, k1Affine[(nPub + 1)..], aPoints, b1Points, b2Points);
        tracker.Add(3L * nVars);

        if (!randomDelta && circuitHash is null)
            throw new SnarkFormatException($"{ptauPath}: section 2 lacks the powers up to tau^{2 * n - 2} the circuit hash of a new key needs");
        var delta = randomDelta ? Groth16Prover.RandomNonZeroScalar() : Bn254Fr.One;
        var deltaInv = Bn254Fr.Inverse(delta);
        var cProj = new G1Projective[nVars - nPub - 1];
        ParallelChunks.ForEach(cProj.Length, 64, i => { cProj[i] = k1[nPub + 1 + i].MultiplyConstantTime(deltaInv); tracker.Add(1); });
        var cPoints = new G1Affine[cProj.Length];
        G1Projective.BatchToAffine(cProj, cPoints);
        var hProj = new G1Projective[n];
        ParallelChunks.ForEach(n, 64, i => { hProj[i] = tau2n[2 * i + 1].ToProjective().MultiplyConstantTime(deltaInv); tracker.Add(1); });
        var hPoints = new G1Affine[n];
        G1Projective.BatchToAffine(hProj, hPoints);
        var delta1 = G1Affine.Generator.ToProjective().MultiplyConstantTime(delta).ToAffine();
        var delta2 = G2Affine.Generator.ToProjective().MultiplyConstantTime(delta).ToAffine();
        var contributions = circuitHash is null ? null
            : randomDelta ? ZkeyContributions.SingleContribution(circuitHash, delta) : ZkeyContributions.Initial(circuitHash);
        delta = deltaInv = default;

        return new Groth16ProvingKey(nVars, nPub, n, ptau.Alpha1, ptau.Beta1, ptau.Beta2, G2Affine.Generator, delta1, delta2,
            ic, SparseRows.FromTriples(n, aTriples), SparseRows.FromTriples(n, qap.B),
            aPoints, b1Points, b2Points, cPoints, hPoints) { Contributions = contributions };
    }

    private static (int, int, Bn254Fr)[] Swap((int Row, int Wire, Bn254Fr Value)[] triples)
    {
        var r = new (int, int, Bn254Fr)[triples.Length];
        for (int i = 0; i < triples.Length; i++) r[i] = (triples[i].Wire, triples[i].Row, triples[i].Value);
        return r;
    }

    private const int G2Weight = 3;

    private static G1Affine[] Combine(SparseRows byWire, G1Affine[] basis, ProgressTracker tracker)
    {
        var proj = new G1Projective[byWire.RowCount];
        ParallelChunks.ForEach(byWire.RowCount, 64, i =>
        {
            var acc = G1Projective.Infinity;
            for (int k = byWire.RowStart[i]; k < byWire.RowStart[i + 1]; k++)
                acc += CeremonyMath.MultiplyPublic(basis[byWire.Signals[k]].ToProjective(), byWire.Values[k], CeremonyMath.G1Ops);
            proj[i] = acc;
            tracker.Add(1);
        });
        var result = new G1Affine[proj.Length];
        G1Projective.BatchToAffine(proj, result);
        return result;
    }

    /// <summary>
    /// Lagrange basis of the size-<paramref name="n"/> domain at x: L_j(x) = ωʲ(xⁿ − 1) / (n(x − ωʲ)); null if x is in the domain.
    /// </summary>
    internal static Bn254Fr[]? LagrangeAt(Bn254Fr x, int n)
    {
        var omega = Bn254Fr.RootOfUnity(Groth16Prover.Log2(n));
        var result = new Bn254Fr[n];
        var powers = new Bn254Fr[n];
        var w = Bn254Fr.One;
        for (int j = 0; j < n; j++)
        {
            powers[j] = w;
            result[j] = x - w;
            if (result[j].IsZero) return null;
            w *= omega;
        }
        FieldMath.BatchInverse<Bn254Fr>(result);
        var xn = Bn254Fr.Pow(x, (ulong)n);
        var factor = (xn - Bn254Fr.One) * Bn254Fr.Inverse(Bn254Fr.FromUInt64((ulong)n));
        for (int j = 0; j < n; j++) result[j] = result[j] * powers[j] * factor;
        return result;
    }
}
