using ZkMl.Field;

namespace ZkMl.Sumcheck.Tests;

/// <summary>Brute-force references, written from the definitions and sharing no code with the library.</summary>
internal static class Naive
{
    public static Goldilocks[] RandomTable(Random rng, int variables) =>
        Enumerable.Range(0, 1 << variables).Select(_ => Goldilocks.Random(rng)).ToArray();

    public static GoldilocksExt2[] RandomPoint(Random rng, int variables) =>
        Enumerable.Range(0, variables).Select(_ => GoldilocksExt2.Random(rng)).ToArray();

    /// <summary>Bit i of the hypercube index for variable i (variable 0 is the most significant bit).</summary>
    public static int Bit(int index, int variable, int variables) => (index >> (variables - 1 - variable)) & 1;

    /// <summary>f~(r) = sum_b f(b) prod_i (b_i ? r_i : 1 - r_i), from the definition.</summary>
    public static GoldilocksExt2 Evaluate(IReadOnlyList<Goldilocks> table, IReadOnlyList<GoldilocksExt2> point)
    {
        int n = point.Count;
        GoldilocksExt2 sum = GoldilocksExt2.Zero;
        for (int b = 0; b < table.Count; b++)
        {
            GoldilocksExt2 weight = GoldilocksExt2.One;
            for (int i = 0; i < n; i++) weight *= Bit(b, i, n) == 1 ? point[i] : GoldilocksExt2.One - point[i];
            sum += weight * table[b];
        }
        return sum;
    }

    /// <summary>As <see cref="Evaluate(IReadOnlyList{Goldilocks}, IReadOnlyList{GoldilocksExt2})"/> for an extension-field table.</summary>
    public static GoldilocksExt2 Evaluate(IReadOnlyList<GoldilocksExt2> table, IReadOnlyList<GoldilocksExt2> point)
    {
        var weights = EqTable([.. point]);
        GoldilocksExt2 sum = GoldilocksExt2.Zero;
        for (int b = 0; b < table.Count; b++) sum += weights[b] * table[b];
        return sum;
    }

    /// <summary>eq(b, point) for every b in {0,1}^n, from the definition (variable 0 is the most significant bit).</summary>
    public static GoldilocksExt2[] EqTable(GoldilocksExt2[] point)
    {
        int n = point.Length;
        var table = new GoldilocksExt2[1 << n];
        for (int b = 0; b < table.Length; b++)
        {
            GoldilocksExt2 weight = GoldilocksExt2.One;
            for (int i = 0; i < n; i++) weight *= Bit(b, i, n) == 1 ? point[i] : GoldilocksExt2.One - point[i];
            table[b] = weight;
        }
        return table;
    }

    /// <summary>sum over the hypercube of the product of the tables.</summary>
    public static Goldilocks SumOfProducts(IReadOnlyList<Goldilocks[]> tables)
    {
        Goldilocks sum = Goldilocks.Zero;
        for (int b = 0; b < tables[0].Length; b++)
        {
            Goldilocks product = Goldilocks.One;
            foreach (var t in tables) product *= t[b];
            sum += product;
        }
        return sum;
    }

    /// <summary>C = A B, row-major.</summary>
    public static Goldilocks[] MatrixProduct(Goldilocks[] a, Goldilocks[] b, int rows, int inner, int columns)
    {
        var c = new Goldilocks[rows * columns];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++)
            {
                Goldilocks sum = Goldilocks.Zero;
                for (int k = 0; k < inner; k++) sum += a[i * inner + k] * b[k * columns + j];
                c[i * columns + j] = sum;
            }
        return c;
    }

    /// <summary>The matrix copied into a zero matrix of power-of-two dimensions, row-major.</summary>
    public static Goldilocks[] Pad(Goldilocks[] m, int rows, int columns)
    {
        int paddedRows = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)rows);
        int paddedColumns = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)columns);
        var padded = new Goldilocks[paddedRows * paddedColumns];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++) padded[i * paddedColumns + j] = m[i * columns + j];
        return padded;
    }

    public static byte[] Digest(string statement) => System.Text.Encoding.UTF8.GetBytes(statement);
}
