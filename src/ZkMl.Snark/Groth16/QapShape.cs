using ZkMl.Circuits;
using ZkMl.Field;
using ZkMl.Snark.Curves;
using ZkMl.Snark.Formats;
using ZkMl.Common;

namespace ZkMl.Snark.Groth16;

/// <summary>
/// The QAP shape of an R1CS as snarkjs lays it out: constraint rows 0..m-1 and, for each public wire s ∈ [0, nPublic],
/// an extra row m+s with A = wire s and B = C = 0 ("wire·0 = 0"), which makes the IC points linearly independent
/// (without them a prover could shift public inputs). Domain n = the smallest power of two above m + nPublic.
/// </summary>
internal sealed class QapShape
{
    public required int VariableCount { get; init; }
    public required int PublicCount { get; init; }
    public required int ConstraintCount { get; init; }
    /// <summary>(row, wire, coefficient) for A, B, C of the circuit's constraints (without the public rows).</summary>
    public required (int Row, int Wire, Bn254Fr Value)[] A { get; init; }
    public required (int Row, int Wire, Bn254Fr Value)[] B { get; init; }
    public required (int Row, int Wire, Bn254Fr Value)[] C { get; init; }

    public static QapShape FromR1cs(R1cs<Bn254Fr> r1cs)
    {
        ArgumentNullException.ThrowIfNull(r1cs);
        var a = new List<(int, int, Bn254Fr)>();
        var b = new List<(int, int, Bn254Fr)>();
        var c = new List<(int, int, Bn254Fr)>();
        var constraints = r1cs.Constraints;
        for (int row = 0; row < constraints.Count; row++)
        {
            foreach (var t in constraints[row].A.Terms) a.Add((row, t.Wire, t.Coefficient));
            foreach (var t in constraints[row].B.Terms) b.Add((row, t.Wire, t.Coefficient));
            foreach (var t in constraints[row].C.Terms) c.Add((row, t.Wire, t.Coefficient));
        }
        return new QapShape
        {
            VariableCount = r1cs.WireCount, PublicCount = r1cs.PublicCount, ConstraintCount = constraints.Count,
            A = a.ToArray(), B = b.ToArray(), C = c.ToArray(),
        };
    }

    public int DomainSize
    {
        get
        {
            int rows = ConstraintCount + PublicCount + 1;
            int n = 1;
            while (n < rows) n <<= 1;
            return n;
        }
    }

    /// <summary>A's triples including the public rows.</summary>
    public (int Row, int Wire, Bn254Fr Value)[] AWithPublicRows()
    {
        var all = new (int, int, Bn254Fr)[A.Length + PublicCount + 1];
        A.CopyTo(all, 0);
        for (int s = 0; s <= PublicCount; s++) all[A.Length + s] = (ConstraintCount + s, s, Bn254Fr.One);
        return all;
    }

    public void Validate()
    {
        if (VariableCount < 1) throw new ArgumentException("an R1CS needs at least the constant wire");
        if (PublicCount < 0 || PublicCount >= VariableCount) throw new ArgumentException($"{PublicCount} public signals do not fit {VariableCount} wires");
        if (DomainSize > (1 << 27)) throw new ArgumentException($"circuit needs a domain of {DomainSize} > 2^27 rows");
        foreach (var set in new[] { A, B, C })
            foreach (var (row, wire, _) in set)
                if ((uint)row >= (uint)ConstraintCount || (uint)wire >= (uint)VariableCount)
                    throw new ArgumentException($"constraint entry (row {row}, wire {wire}) is out of range");
    }
}
