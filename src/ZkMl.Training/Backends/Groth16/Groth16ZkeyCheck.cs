using System.Buffers.Binary;
using ZkMl.Circuits;
using ZkMl.Field;
using ZkMl.Snark.Formats;
using ZkMl.Snark.Groth16;

namespace ZkMl.Training.Backends.Groth16;

/// <summary>
/// Checks that a snarkjs .zkey was made for a given circuit: its sizes (wires, public inputs, domain) and its coefficient
/// section (section 4: the A and B matrices, snarkjs's public-input rows included) equal what `snarkjs groth16 setup`
/// derives from the circuit's exported .r1cs. The C matrix lives only in the key's points, which `snarkjs zkey verify`
/// checks against the r1cs and the powers of tau.
/// </summary>
internal static class Groth16ZkeyCheck
{
    private const int CoefficientSection = 4;
    private const int EntryBytes = 12 + 32;

    /// <exception cref="SnarkFormatException">The key is for another circuit; the message names <paramref name="which"/> and what differs.</exception>
    internal static void Check(string path, Groth16ProvingKey key, R1cs<Bn254Fr> circuit, string which)
    {
        int rows = circuit.ConstraintCount + circuit.PublicCount + 1, domain = 1;
        while (domain < rows) domain <<= 1;
        Same(path, which, "wires", key.VariableCount, circuit.WireCount);
        Same(path, which, "public inputs", key.PublicCount, circuit.PublicCount);
        Same(path, which, "domain size", key.DomainSize, domain);

        var expected = Expected(circuit);
        var actual = ReadCoefficients(path, which, expected.Count);
        expected.Sort(Order);
        actual.Sort(Order);
        for (int i = 0; i < expected.Count; i++)
            if (Order(expected[i], actual[i]) != 0 || expected[i].Value != actual[i].Value)
                throw new SnarkFormatException(
                    $"{path}: this is not a key for the {which} circuit: its coefficient (matrix {"AB"[actual[i].Matrix]}, row {actual[i].Row}, wire {actual[i].Wire}) differs from the exported circuit's");
    }

    private static List<(int Matrix, int Row, int Wire, Bn254Fr Value)> Expected(R1cs<Bn254Fr> circuit)
    {
        var list = new List<(int, int, int, Bn254Fr)>();
        var constraints = circuit.Constraints;
        for (int row = 0; row < constraints.Count; row++)
        {
            foreach (var t in constraints[row].A.Terms) list.Add((0, row, t.Wire, t.Coefficient));
            foreach (var t in constraints[row].B.Terms) list.Add((1, row, t.Wire, t.Coefficient));
        }
        // snarkjs's extra row per public wire (and the constant): A = wire, B = C = 0.
        for (int s = 0; s <= circuit.PublicCount; s++) list.Add((0, constraints.Count + s, s, Bn254Fr.One));
        return list;
    }

    private static List<(int Matrix, int Row, int Wire, Bn254Fr Value)> ReadCoefficients(string path, string which, int expectedCount)
    {
        using var file = File.OpenRead(path);
        var head = new byte[12];
        file.ReadExactly(head);
        int sections = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(8)), 64);
        for (int i = 0; i < sections; i++)
        {
            file.ReadExactly(head);
            uint type = BinaryPrimitives.ReadUInt32LittleEndian(head);
            long size = (long)BinaryPrimitives.ReadUInt64LittleEndian(head.AsSpan(4));
            if (type != CoefficientSection) { file.Seek(size, SeekOrigin.Current); continue; }
            // Bounded by the exported circuit, not by the file: a key for a larger circuit is rejected before allocating.
            if (size != 4 + (long)expectedCount * EntryBytes)
                throw new SnarkFormatException($"{path}: this is not a key for the {which} circuit: it has {(size - 4) / EntryBytes} A/B coefficients, the exported circuit {expectedCount}");
            var data = new byte[size];
            file.ReadExactly(data);
            var unR = Bn254Fr.FromMontgomeryLimbs(1, 0, 0, 0);
            var list = new List<(int, int, int, Bn254Fr)>(expectedCount);
            for (int k = 0; k < expectedCount; k++)
            {
                var e = data.AsSpan(4 + k * EntryBytes, EntryBytes);
                // Stored as v·R² in Montgomery limbs (the Montgomery form of v·R): one product with 1/R gives v.
                var raw = Bn254Fr.FromMontgomeryLimbs(BinaryPrimitives.ReadUInt64LittleEndian(e[12..]), BinaryPrimitives.ReadUInt64LittleEndian(e[20..]),
                    BinaryPrimitives.ReadUInt64LittleEndian(e[28..]), BinaryPrimitives.ReadUInt64LittleEndian(e[36..]));
                list.Add(((int)BinaryPrimitives.ReadUInt32LittleEndian(e), (int)BinaryPrimitives.ReadUInt32LittleEndian(e[4..]),
                    (int)BinaryPrimitives.ReadUInt32LittleEndian(e[8..]), raw * unR));
            }
            return list;
        }
        throw new SnarkFormatException($"{path}: no coefficient section");
    }

    private static int Order((int Matrix, int Row, int Wire, Bn254Fr Value) a, (int Matrix, int Row, int Wire, Bn254Fr Value) b) =>
        a.Matrix != b.Matrix ? a.Matrix.CompareTo(b.Matrix) : a.Row != b.Row ? a.Row.CompareTo(b.Row) : a.Wire.CompareTo(b.Wire);

    private static void Same(string path, string which, string what, int actual, int expected)
    {
        if (actual != expected)
            throw new SnarkFormatException($"{path}: this is not a key for the {which} circuit: {actual} {what}, the exported circuit has {expected}");
    }
}
