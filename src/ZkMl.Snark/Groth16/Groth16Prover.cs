using System.Security.Cryptography;
using ZkMl.Field;
using ZkMl.Snark.Curves;
using ZkMl.Snark.Msm;
using ZkMl.Common;

namespace ZkMl.Snark.Groth16;

/// <summary>
/// Groth16 prover compatible with snarkjs/rapidsnark proving keys. The quotient is computed in snarkjs's convention:
/// A·w and B·w are evaluated on the n rows, C = A∘B, all three are interpolated and re-evaluated on the odd coset
/// ω₂ₙ·⟨ωₙ⟩ of the 2n-domain, and the H query (which holds [L_{2i+1}(τ)/δ]₁) is combined with A∘B − C there.
/// Fresh uniformly random r, s from <see cref="RandomNumberGenerator"/> make every proof zero-knowledge.
/// </summary>
public sealed class Groth16Prover
{
    private readonly INtt<Bn254Fr> _ntt;
    private readonly IMsm<G1Affine, G1Projective> _msmG1;
    private readonly IMsm<G2Affine, G2Projective> _msmG2;

    /// <summary>A prover using the given NTT and MSM engines (e.g. GPU ones from ZkMl.Gpu).</summary>
    public Groth16Prover(INtt<Bn254Fr> ntt, IMsm<G1Affine, G1Projective> msmG1, IMsm<G2Affine, G2Projective> msmG2)
    {
        _ntt = ntt ?? throw new ArgumentNullException(nameof(ntt));
        _msmG1 = msmG1 ?? throw new ArgumentNullException(nameof(msmG1));
        _msmG2 = msmG2 ?? throw new ArgumentNullException(nameof(msmG2));
    }

    /// <summary>A prover on the CPU: the field library's NTT and the Pippenger MSM, parallel over all cores.</summary>
    public Groth16Prover() : this(Engines.DefaultNtt, Engines.DefaultMsmG1, Engines.DefaultMsmG2) { }

    /// <summary>
    /// Proves knowledge of <paramref name="witness"/> (wire 0 = 1, then the public signals, then private wires).
    /// Returns the proof and the public signals (wires 1..nPublic) to publish with it.
    /// </summary>
    public (Groth16Proof Proof, Bn254Fr[] PublicSignals) Prove(Groth16ProvingKey key, ReadOnlySpan<Bn254Fr> witness) => Prove(key, witness, null);

    /// <summary>
    /// <see cref="Prove(Groth16ProvingKey, ReadOnlySpan{Bn254Fr})"/>, reporting the fraction of the proof done (0 to 1,
    /// monotone) to <paramref name="progress"/>: after the witness is evaluated on the rows, after the quotient's NTTs, and
    /// after each multi-scalar multiplication (weighted by its number of points).
    /// </summary>
    /// <param name="key">The proving key.</param>
    /// <param name="witness">The full witness.</param>
    /// <param name="progress">Receives fractions done, possibly on worker threads; null for none.</param>
    public (Groth16Proof Proof, Bn254Fr[] PublicSignals) Prove(Groth16ProvingKey key, ReadOnlySpan<Bn254Fr> witness, IProgress<double>? progress)
    {
        var r = RandomScalar();
        var s = RandomScalar();
        try { return Prove(key, witness, r, s, progress); }
        finally { r = s = default; }
    }

    /// <summary>Proves with the given blinding r, s (tests only: reusing or revealing them breaks zero knowledge).</summary>
    internal (Groth16Proof Proof, Bn254Fr[] PublicSignals) Prove(Groth16ProvingKey key, ReadOnlySpan<Bn254Fr> witness, Bn254Fr r, Bn254Fr s,
        IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (witness.Length != key.VariableCount)
            throw new WitnessException($"witness has {witness.Length} values, the proving key expects {key.VariableCount}");
        if (!witness[0].IsOne)
            throw new WitnessException("witness[0] must be 1 (the constant wire)");
        var w = witness.ToArray();

        // Progress in points of the MSMs (a G2 point weighs three) and, for the quotient, half a unit per row.
        int n = key.DomainSize;
        var tracker = new ProgressTracker(progress, n / 2 + key.APoints.Length + key.B1Points.Length + key.CPoints.Length
            + key.HPoints.Length + 3L * key.B2Points.Length);
        G1Projective msmA = default, msmB1 = default, msmC = default, msmH = default;
        G2Projective msmB2 = default;
        // The blinding products that need no MSM (r·δ₁, s·δ₁, rs·δ₁, s·δ₂; constant time, r and s are secret) run as a
        // strand of their own beside the MSMs instead of on one core after them (~1 ms of CPU: ~3% of a 2^11 proof).
        G1Projective rDelta1 = default, sDelta1 = default, rsDelta1 = default;
        G2Projective sDelta2 = default;
        var privateWitness = w.AsMemory(key.PublicCount + 1);
        // Three strands side by side: the quotient then its H MSM, the G2 MSM (the single most expensive one), and the
        // A, B1, C MSMs, which need only the witness. Each is parallel inside; running them together fills the cores
        // through each one's serial stretches (warm, in process: less wall time at 2^15 and 2^17 than the quotient
        // first, CPU within noise). Five strands (A, B1, C apart) measured no better.
        using (Groth16Telemetry.Telemetry.Phase("msm"))
        {
            Parallelism.Invoke(
                () =>
                {
                    Bn254Fr[] h;
                    using (Groth16Telemetry.Telemetry.Phase("quotient")) h = ComputeQuotientEvaluations(key, w, tracker);
                    using (Groth16Telemetry.Telemetry.Phase("msm.h")) msmH = _msmG1.Compute(key.HPoints, h);
                    tracker.Add(key.HPoints.Length);
                },
                () =>
                {
                    using (Groth16Telemetry.Telemetry.Phase("msm.b2")) msmB2 = _msmG2.Compute(key.B2Points, w);
                    tracker.Add(3L * key.B2Points.Length);
                },
                () =>
                {
                    using (Groth16Telemetry.Telemetry.Phase("msm.a")) msmA = _msmG1.Compute(key.APoints, w);
                    tracker.Add(key.APoints.Length);
                    using (Groth16Telemetry.Telemetry.Phase("msm.b1")) msmB1 = _msmG1.Compute(key.B1Points, w);
                    tracker.Add(key.B1Points.Length);
                    using (Groth16Telemetry.Telemetry.Phase("msm.c")) msmC = _msmG1.Compute(key.CPoints, privateWitness.Span);
                    tracker.Add(key.CPoints.Length);
                },
                () =>
                {
                    using var _ = Groth16Telemetry.Telemetry.Phase("blinding.fixed");
                    var delta1 = key.Delta1.ToProjective();
                    rDelta1 = delta1.MultiplyConstantTime(r);
                    sDelta1 = delta1.MultiplyConstantTime(s);
                    rsDelta1 = delta1.MultiplyConstantTime(r * s);
                    sDelta2 = key.Delta2.ToProjective().MultiplyConstantTime(s);
                });
        }

        var blinding = Groth16Telemetry.Telemetry.Phase("blinding");
        var piA = msmA + key.Alpha1 + rDelta1;
        var piB = msmB2 + key.Beta2 + sDelta2;
        var piB1 = msmB1 + key.Beta1 + sDelta1;
        // The two products that need the MSMs and the check of B below, side by side.
        G1Projective sPiA = default, rPiB1 = default;
        G2Affine b = default;
        bool bInSubgroup = false;
        Parallelism.Invoke(
            () => sPiA = piA.MultiplyConstantTime(s),
            () => rPiB1 = piB1.MultiplyConstantTime(r),
            () =>
            {
                b = piB.ToAffine();
                bInSubgroup = b.IsInSubgroup;
            });
        var piC = msmC + msmH + sPiA + rPiB1 - rsDelta1;

        // A key read without the B2 subgroup checks (Zkey.ReadProvingKey's checkB2Subgroup) is checked here instead: β₂ and
        // δ₂ are in the subgroup, so B is exactly when the witness's combination of B2 points is, and otherwise B would
        // carry that combination's component outside the subgroup: refuse to release it.
        if (!bInSubgroup)
            throw new Formats.SnarkFormatException("the proving key's B2 points are not all in the G2 subgroup of order r: the proof's B is not");
        blinding.Dispose();
        var publicSignals = w.AsSpan(1, key.PublicCount).ToArray();
        tracker.Complete();
        return (new Groth16Proof(piA.ToAffine(), b, piC.ToAffine()), publicSignals);
    }

    /// <summary>
    /// (A·w)(x)·(B·w)(x) − (C·w)(x) evaluated on the odd coset of the 2n-domain, with C·w taken as (A·w)∘(B·w) on the rows,
    /// exactly as snarkjs's groth16_prove.js (the zkey's H points are Lagrange points of those odd coset positions).
    /// </summary>
    internal Bn254Fr[] ComputeQuotientEvaluations(Groth16ProvingKey key, Bn254Fr[] witness, ProgressTracker? tracker = null)
    {
        int n = key.DomainSize;
        var a = new Bn254Fr[n];
        var b = new Bn254Fr[n];
        var c = new Bn254Fr[n];
        using (Groth16Telemetry.Telemetry.Phase("quotient.rows"))
        {
            Parallelism.Invoke(
                () => key.MatrixA.EvaluateParallel(witness, a),
                () => key.MatrixB.EvaluateParallel(witness, b));
            ParallelChunks.ForEach(n, 4096, i => c[i] = a[i] * b[i]);
        }
        tracker?.Add(n / 8);

        int log = Log2(n);
        var shift = Bn254Fr.RootOfUnity(log + 1);
        // The CPU NTT goes from the rows to the coset without bit-reversal passes; other engines take the two transforms.
        Action<Bn254Fr[]> toCoset = _ntt is Ntt<Bn254Fr> cpu
            ? v => cpu.CosetReevaluate(v, shift)
            : v => { _ntt.Inverse(v); _ntt.CosetForward(v, shift); };
        Parallelism.Invoke(
            () => { toCoset(a); tracker?.Add(n / 8); },
            () => { toCoset(b); tracker?.Add(n / 8); },
            () => { toCoset(c); tracker?.Add(n / 8); });
        ParallelChunks.ForEach(n, 4096, i => a[i] = a[i] * b[i] - c[i]);
        return a;
    }

    internal static int Log2(int n)
    {
        if (n <= 0 || (n & (n - 1)) != 0) throw new ArgumentException($"domain size {n} is not a power of two");
        return System.Numerics.BitOperations.Log2((uint)n);
    }

    /// <summary>A uniformly random scalar from the OS CSPRNG.</summary>
    internal static Bn254Fr RandomScalar() => FieldMath.RandomSecure<Bn254Fr>();

    /// <summary>A uniformly random non-zero scalar.</summary>
    internal static Bn254Fr RandomNonZeroScalar()
    {
        while (true)
        {
            var v = RandomScalar();
            if (!v.IsZero) return v;
        }
    }
}
