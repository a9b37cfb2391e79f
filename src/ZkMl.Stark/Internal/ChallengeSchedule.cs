using ZkMl.Field;

namespace ZkMl.Stark.Internal;

/// <summary>
/// The protocol's Fiat-Shamir schedule: every commitment absorbed and every challenge drawn, in protocol order. The prover
/// and the verifier both drive it, so they derive the same challenges from the same messages by construction.
/// Order: main roots; [LogUp beta, gamma; aux root]; composition coefficients; composition root; z; out-of-domain values;
/// DEEP coefficients; per FRI layer (root, folding challenge); remainder; proof-of-work nonce; query positions.
/// </summary>
internal sealed class ChallengeSchedule
{
    private readonly StarkLayout _layout;
    private readonly Transcript _transcript;

    /// <summary>Starts the transcript: protocol, parameters and the full AIR definition including public inputs.</summary>
    public ChallengeSchedule(StarkLayout layout)
    {
        _layout = layout;
        _transcript = new Transcript("ZkMl.Stark/FRI-STARK/Goldilocks/Blake3/v1");
        _transcript.Absorb(layout.Parameters.Encode());
        _transcript.Absorb(layout.Air.EncodeDefinition());
    }

    public void AbsorbMainRoot(byte[] root) => _transcript.Absorb(root);

    /// <summary>The LogUp challenges (only for AIRs with lookups), drawn before the auxiliary trace exists.</summary>
    public (GoldilocksExt2 Beta, GoldilocksExt2 Gamma) DrawLookupChallenges()
    {
        var beta = _transcript.ChallengeExt();
        var gamma = _transcript.ChallengeExt();
        return (beta, gamma);
    }

    public void AbsorbAuxRoot(byte[] root) => _transcript.Absorb(root);

    /// <summary>One random coefficient per constraint (transitions, boundaries, lookup terms, running sum).</summary>
    public GoldilocksExt2[] DrawCompositionCoefficients() => Draw(_layout.ConstraintCount);

    public void AbsorbCompositionRoot(byte[] root) => _transcript.Absorb(root);

    /// <summary>The out-of-domain point z, off the trace domain and the LDE coset.</summary>
    public GoldilocksExt2 DrawOodPoint()
    {
        while (true)
        {
            var z = _transcript.ChallengeExt();
            // z must avoid the trace domain (Z_H(z) = 0) and the LDE coset (division by x - z).
            if (Ext.Im(z).IsZero) continue;
            if (!(FieldMath.Pow(z, (ulong)_layout.N) - GoldilocksExt2.One).IsZero) return z;
        }
    }

    public void AbsorbOod(OutOfDomainValues ood)
    {
        _transcript.Absorb(ood.MainZ);
        _transcript.Absorb(ood.MainZg);
        _transcript.Absorb(ood.AuxZ);
        _transcript.Absorb(ood.AuxZg);
        _transcript.Absorb(ood.Comp);
    }

    public DeepCoefficients DrawDeepCoefficients()
    {
        int w = _layout.Air.TraceWidth;
        var mainZ = Draw(w);
        var mainZg = Draw(w);
        var auxZ = Draw(_layout.AuxBaseWidth);
        var auxZg = Draw(_layout.AuxBaseWidth);
        return new DeepCoefficients(mainZ, mainZg, auxZ, auxZg, Draw(2 * _layout.ChunkCount));
    }

    /// <summary>Absorbs a FRI layer's root and draws its folding challenge.</summary>
    public GoldilocksExt2 AbsorbFriLayer(byte[] root)
    {
        _transcript.Absorb(root);
        return _transcript.ChallengeExt();
    }

    public void AbsorbRemainder(GoldilocksExt2[] remainder) => _transcript.Absorb(remainder);

    /// <summary>The state the proof-of-work nonce is ground against.</summary>
    public byte[] ProofOfWorkState => _transcript.State;

    /// <summary>Absorbs the proof-of-work nonce and draws the distinct, sorted query positions on the LDE domain.</summary>
    public int[] DrawQueries(ulong nonce)
    {
        _transcript.Absorb(nonce);
        var set = new SortedSet<int>();
        for (int q = 0; q < _layout.Parameters.NumQueries; q++) set.Add((int)_transcript.ChallengeBits(_layout.LogLde));
        return set.ToArray();
    }

    private GoldilocksExt2[] Draw(int count)
    {
        var a = new GoldilocksExt2[count];
        for (int i = 0; i < count; i++) a[i] = _transcript.ChallengeExt();
        return a;
    }
}
