namespace ZkMl.Common;

/// <summary>Integer logarithms.</summary>
public static class BitMath
{
    /// <summary>ceil(log2(<paramref name="n"/>)): the least d with 2^d &gt;= n; 0 for n &lt;= 1.</summary>
    public static int CeilingLog2(int n) => n <= 1 ? 0 : System.Numerics.BitOperations.Log2((uint)(n - 1)) + 1;
}
