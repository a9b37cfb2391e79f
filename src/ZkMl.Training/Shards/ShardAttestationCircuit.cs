using System.Numerics;
using ZkMl.Circuits;
using ZkMl.Circuits.Gadgets;
using ZkMl.Field;
using ZkMl.Models;
using ZkMl.Training.Circuits;

namespace ZkMl.Training.Shards;

/// <summary>
/// The shard attestation circuit over BN254. Public: shard root, row count n, maximum feature value m, then the label
/// histogram h[0..classes). Private, per leaf slot i of the capacity: an active bit, the row's features, label (one-hot)
/// and salt. Constrains: active bits are 1 exactly on the first n slots (monotone, summing to n); every feature of every
/// slot lies in [0, 2^(f+1)) and m - feature in the same range, so 0 &lt;= feature &lt;= m; each active slot has exactly one
/// class and an inactive none, so labels lie in [0, classes) and h[c] counts the active slots of class c; the leaf of an
/// active slot is the dataset tree's leaf Poseidon(salt, Poseidon(packed features, label)) (the same as
/// <see cref="Backends.Groth16.Groth16Committer"/>), of an inactive one the tree's zero padding; the Poseidon tree over
/// the leaves has the public root. Row values never leave the witness.
/// </summary>
internal static class ShardAttestationCircuit
{
    internal static int PublicInputCount(ShardParameters p) => 3 + p.Classes;

    internal static R1cs<Bn254Fr> BuildShape(ShardParameters p)
    {
        var b = new R1csBuilder<Bn254Fr>(strict: false);
        Constrain(b, p, Bn254Fr.Zero, 0, 0, new int[p.Classes], _ => (new long[p.InputSize], 0, Bn254Fr.Zero));
        return b.Build().System;
    }

    /// <summary>The circuit and witness for <paramref name="data"/> with its row salts, claiming maximum <paramref name="maxFeature"/>.</summary>
    /// <remarks>Non-strict builds keep an unsatisfied witness (for tests of a lying contributor, whose proof must fail).</remarks>
    /// <exception cref="InvalidOperationException">Strict, and the rows do not satisfy the claims (a feature above the maximum, a label out of range).</exception>
    internal static BuiltCircuit<Bn254Fr> Build(ShardParameters p, QuantizedDataset data, Bn254Fr[] salts, Bn254Fr root, long maxFeature, int[] histogram,
        bool strict = true)
    {
        var b = new R1csBuilder<Bn254Fr>(strict: false);
        Constrain(b, p, root, data.Count, maxFeature, histogram, i => (data.Row(i).ToArray(), data.Labels[i], salts[i]));
        if (strict && b.FirstFailure is { } failure) throw new InvalidOperationException("The shard does not satisfy its attested claims: " + failure);
        return b.Build();
    }

    private static void Constrain(R1csBuilder<Bn254Fr> b, ShardParameters p, Bn254Fr rootValue, int rows, long maxFeature, int[] histogram,
        Func<int, (long[] Features, int Label, Bn254Fr Salt)> row)
    {
        var root = b.PublicInput(rootValue);
        var count = b.PublicInput(Bn254Fr.FromUInt64((ulong)rows));
        var max = b.PublicInput(Bn254Fr.FromUInt64((ulong)maxFeature));
        var hist = histogram.Select(h => b.PublicInput(Bn254Fr.FromUInt64((ulong)h))).ToArray();
        int bits = p.FractionBits + 1;
        var classCounts = Enumerable.Range(0, p.Classes).Select(_ => new List<LinearCombination<Bn254Fr>>()).ToArray();
        var leaves = new LinearCombination<Bn254Fr>[p.Capacity];
        var actives = new LinearCombination<Bn254Fr>[p.Capacity];
        for (int i = 0; i < p.Capacity; i++)
        {
            bool isActive = i < rows;
            var (featureValues, labelValue, saltValue) = isActive ? row(i) : (new long[p.InputSize], -1, Bn254Fr.Zero);
            var active = b.PrivateInput(isActive ? Bn254Fr.One : Bn254Fr.Zero);
            b.AssertBoolean(active);
            // Active slots come first: slot i may be active only when slot i - 1 is.
            if (i > 0) b.AssertProduct(active, b.One - actives[i - 1], LinearCombination<Bn254Fr>.Zero);
            actives[i] = active;

            var features = new SignedWire<Bn254Fr>[p.InputSize];
            for (int j = 0; j < p.InputSize; j++)
            {
                var low = b.NewBoundedBits(new BigInteger(featureValues[j]), bits);
                var x = b.Pack(low);
                b.AssertEqual(b.Pack(b.NewBoundedBits(new BigInteger(maxFeature - featureValues[j]), bits)), max - x);
                // Non-negative in the packing's signed view: its top (sign) bit is the constant 1.
                features[j] = new SignedWire<Bn254Fr>(x, [.. low, b.One]);
            }

            var onehot = new LinearCombination<Bn254Fr>[p.Classes];
            for (int c = 0; c < p.Classes; c++)
            {
                onehot[c] = b.PrivateInput(c == labelValue ? Bn254Fr.One : Bn254Fr.Zero);
                b.AssertBoolean(onehot[c]);
                classCounts[c].Add(onehot[c]);
            }
            b.AssertEqual(LinearCombination<Bn254Fr>.Sum(onehot), active);
            var label = LinearCombination<Bn254Fr>.Sum(onehot.Select((e, c) => e * Bn254Fr.FromUInt64((ulong)c)));

            var sample = PoseidonGadget.Hash(b, [.. FixedPointGadgets<Bn254Fr>.PackSigned(features), label]);
            var salted = PoseidonGadget.Hash(b, b.PrivateInput(saltValue), sample);
            leaves[i] = b.Mul(active, salted);
        }
        b.AssertEqual(LinearCombination<Bn254Fr>.Sum(actives), count);
        for (int c = 0; c < p.Classes; c++) b.AssertEqual(LinearCombination<Bn254Fr>.Sum(classCounts[c]), hist[c]);
        for (int width = p.Capacity; width > 1; width /= 2)
        {
            var level = new LinearCombination<Bn254Fr>[width / 2];
            for (int i = 0; i < level.Length; i++) level[i] = PoseidonGadget.Hash(b, leaves[2 * i], leaves[2 * i + 1]);
            leaves = level;
        }
        b.AssertEqual(leaves[0], root);
    }
}
