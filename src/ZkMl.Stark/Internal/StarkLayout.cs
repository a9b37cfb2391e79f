using System.Numerics;
using ZkMl.Field;

namespace ZkMl.Stark.Internal;

/// <summary>Everything about a proof's shape that prover and verifier derive from the AIR and the parameters.</summary>
internal sealed class StarkLayout
{
    public Air Air { get; }
    public StarkParameters Parameters { get; }
    public int N { get; }                 // trace length
    public int LogN { get; }
    public int Blinding { get; }          // h: random coefficients added to each blinded polynomial (0 without ZK)
    public int TraceDegreeBound { get; }  // D_T = n + h
    public int ChunkCount { get; }        // m
    public int CompositionDegreeBound { get; } // strict bound of the quotient before splitting
    public int ChunkDegreeBound { get; }  // D_T + h with ZK
    public int FriDegreeBound { get; }    // D_FRI
    public int LdeSize { get; }           // |LDE domain|
    public int LogLde { get; }
    public int LdeStep => LdeSize / N;    // index offset of "next row" on the LDE domain
    public int CompositionDomainSize { get; }
    public Goldilocks Shift { get; } = Goldilocks.MultiplicativeGenerator;
    public Goldilocks TraceGenerator { get; }
    public int AuxExtColumns { get; }     // one per lookup term plus the running sum (0 without lookups)
    public int AuxBaseWidth => 2 * AuxExtColumns;
    public int CompBaseWidth => 2 * ChunkCount + (Parameters.ZeroKnowledge ? 2 : 0);
    public int[] FriLayerSizes { get; }   // domain size of each committed FRI layer
    public int RemainderDegreeBound { get; }
    public int RemainderDomainSize { get; }
    public int ConstraintCount { get; }   // transitions + boundaries + lookup terms + running sum
    public int[] BoundaryRows { get; }    // distinct rows with boundary constraints
    public bool HasLookups => AuxExtColumns > 0;
    public int[] SegmentStarts => Air.MainSegmentWidths.Select((w, i) => Air.MainSegmentWidths.Take(i).Sum()).ToArray();

    public StarkLayout(Air air, StarkParameters parameters)
    {
        parameters.Validate();
        air.ValidateShape();
        Air = air;
        Parameters = parameters;
        N = air.TraceLength;
        LogN = BitOperations.Log2((uint)N);
        TraceGenerator = Goldilocks.RootOfUnity(LogN);
        // Each proof reveals a blinded column at up to 2 * queries LDE points (x and g*x through the composition) and two
        // extension points (4 base values); a committed segment may be shared by two proofs, hence twice that.
        Blinding = parameters.ZeroKnowledge ? 4 * parameters.NumQueries + 16 : 0;
        TraceDegreeBound = N + Blinding;
        int dt = TraceDegreeBound;
        long maxDeg = dt - 2; // boundary quotients
        foreach (var t in air.TransitionConstraints)
            maxDeg = Math.Max(maxDeg, (long)t.Degree * (dt - 1) + (t.Domain == ConstraintDomain.AllButLastRow ? 1 : 0) - N);
        AuxExtColumns = air.Lookups.Count == 0 ? 0 : air.Lookups.Count + 1;
        if (AuxExtColumns > 0) maxDeg = Math.Max(maxDeg, 2L * (dt - 1) - N);
        CompositionDegreeBound = (int)Math.Max(1, maxDeg + 1);
        ChunkCount = Math.Max(1, (CompositionDegreeBound + dt - 1) / dt);
        ChunkDegreeBound = dt + Blinding;
        FriDegreeBound = Math.Max(dt, ChunkDegreeBound);
        // The LDE domain is blowup * n when that keeps the rate within 1/(0.9375 * blowup) despite the blinding
        // (large traces); otherwise it doubles until it does. Reported security uses the actual rate.
        long lde = (long)parameters.BlowupFactor * N;
        while (lde * 16 < 15L * parameters.BlowupFactor * FriDegreeBound || lde < (long)ChunkCount * dt) lde *= 2;
        if (lde > (1L << 30)) throw new ArgumentException("The LDE domain would exceed 2^30 points.");
        LdeSize = (int)lde;
        LogLde = BitOperations.Log2((uint)LdeSize);
        // Constraints are evaluated on a sub-coset just large enough for the quotient's degree (every stride-th LDE point).
        CompositionDomainSize = (int)Math.Min(LdeSize, BitOperations.RoundUpToPowerOf2((uint)Math.Max(CompositionDegreeBound, N)));
        if (LogLde > Goldilocks.TwoAdicity) throw new ArgumentException("Trace too long for the field's two-adicity.");

        int k = parameters.FriFoldingFactor;
        var sizes = new List<int>();
        int size = LdeSize, deg = FriDegreeBound;
        while (deg > parameters.FriMaxRemainderDegree && size / k >= 2 * k)
        {
            sizes.Add(size);
            size /= k;
            deg = (deg + k - 1) / k;
        }
        FriLayerSizes = sizes.ToArray();
        RemainderDomainSize = size;
        RemainderDegreeBound = deg;
        ConstraintCount = air.TransitionConstraints.Count + air.BoundaryConstraints.Count + AuxExtColumns;
        BoundaryRows = air.BoundaryConstraints.Select(b => b.Row).Distinct().Order().ToArray();
    }

    public double SecurityBits => Parameters.ConjecturedSecurityBits(LdeSize, FriDegreeBound);

    /// <summary>Domain point shift * omega_size^index.</summary>
    public static Goldilocks DomainPoint(Goldilocks shift, int logSize, long index) =>
        shift * FieldMath.Pow(Goldilocks.RootOfUnity(logSize), (ulong)index);
}
