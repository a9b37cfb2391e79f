namespace ZkMl.Stark;

/// <summary>Where a transition constraint is enforced.</summary>
public enum ConstraintDomain
{
    /// <summary>On every pair (row i, row i+1) for i &lt; n-1: the last row has no successor.</summary>
    AllButLastRow,
    /// <summary>On every row, with row n-1's successor being row 0 (cyclic).</summary>
    AllRowsCyclic,
}
