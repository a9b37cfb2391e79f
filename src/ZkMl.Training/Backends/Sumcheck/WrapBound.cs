using System.Numerics;
using ZkMl.Common;
using ZkMl.Field;
using ZkMl.Models;

namespace ZkMl.Training.Backends.Sumcheck;

/// <summary>
/// The integer soundness of every <see cref="RescaledProduct"/> of the step (docs/sumcheck-step.md, "Integer soundness"):
/// a product block checks C = 2^k Z + R - 2^(k-1) in Goldilocks, with Z in Bz signed bits and R in [0, 2^k) proven, and
/// that pins Z = Rescale_k(C) only if no C the proven operand ranges allow can wrap modulo p:
/// c x inner x max|A| x max|W| + 2^(k+Bz-1) + 2^(k-1) &lt; p (then C and the right side differ by less than p, so they are
/// equal as integers). With B-bit operands (B = 32) a single product of two entries reaches 2^62, so the step range-checks
/// the activations and errors (every layer output z, hence h = ReLU(z) and e = z - t, and every backward error d) in the
/// <see cref="ActivationBits"/> A &lt;= B signed bits, the largest width that keeps every product of the shape below the
/// bound with the weights at B bits and the inputs in [-2^f, 3 2^f) (every quantization gives |x| &lt;= 2^f; the range
/// X + 2^f in [0, 2^(f+2)) is the step's input lookup, <see cref="ZeroCheck.InputOffset"/>); the weights stay at B bits
/// (their decrements and updates too).
/// An honest step with an activation or error in [2^(A-1), 2^(B-1)) is refused by the prover (<see cref="NotSupportedException"/>),
/// as the STARK backend refuses operands beyond its 24 bits, and one with an input outside the range fails the input
/// lookup: the proof is never of a different result.
/// </summary>
internal static class WrapBound
{
    private static readonly BigInteger P = Goldilocks.Modulus;

    /// <summary>
    /// A: the largest width in [2, B] such that every product of the step is wrap-free with activations and errors in A
    /// signed bits and weights in B (<see cref="Products"/>); 2 when even that wraps (<see cref="Check"/> refuses such a shape).
    /// </summary>
    internal static int ActivationBits(QuantizedNetworkConfig c)
    {
        ArgumentNullException.ThrowIfNull(c);
        for (int a = c.ValueBits; a > 2; a--)
            if (Products(c, a).All(product => product.Bound < P)) return a;
        return 2;
    }

    /// <summary>
    /// Every product block of the step with its worst case c inner max|A| max|W| + 2^(k+Bz-1) + 2^(k-1) at activation width
    /// <paramref name="activationBits"/> (wrap-free when below p), in <see cref="StepTables.ShapesFor(QuantizedNetworkConfig)"/> order.
    /// </summary>
    internal static IEnumerable<(string Product, BigInteger Bound)> Products(QuantizedNetworkConfig c, int activationBits)
    {
        var net = c.Network;
        int layers = net.Layers.Count, f = c.FractionBits, update = f + c.LearningRateShift, b = c.ValueBits, a = activationBits;
        BigInteger weight = BigInteger.One << (b - 1), activation = BigInteger.One << (a - 1), eta = c.LearningRateNumerator;
        BigInteger input = 3 * (BigInteger.One << f); // |x| < 3 2^f (the input lookup)
        BigInteger In(int l) => l == 0 ? input : activation;
        BigInteger Padded(int n) => BigInteger.One << BitMath.CeilingLog2(n);
        BigInteger Window(int k, int bits) => (BigInteger.One << (k + bits - 1)) + (BigInteger.One << (k - 1));
        // e = z - t with t in {0, 2^f}: one 2^f beyond an activation; d_l (l < L - 1) is range-checked itself.
        BigInteger Error(int l) => l == layers - 1 ? activation + (BigInteger.One << f) : activation;
        for (int l = 0; l < layers; l++)
        {
            int quotient = net.Layers[l].HasBias ? StepTables.BiasedQuotientBits(c) : a;
            yield return ($"z{l + 1} = Rescale_f(W{l + 1} h{l})", Padded(net.FanIn(l)) * In(l) * weight + Window(f, quotient));
        }
        for (int l = layers - 1; l >= 1; l--)
            yield return ($"d{l} = Rescale_f(W{l + 1}^T d{l + 1})", Padded(net.Layers[l].Width) * Error(l) * weight + Window(f, a));
        for (int l = layers - 1; l >= 0; l--)
            yield return ($"update of W{l + 1}", eta * Padded(c.BatchSize) * Error(l) * In(l) + Window(update, b));
        for (int l = 0; l < layers; l++)
            if (net.Layers[l].HasBias)
                yield return ($"update of b{l + 1}", eta * Padded(c.BatchSize) * Error(l) * (BigInteger.One << f) + Window(update, b));
    }

    /// <summary>Refuses a shape whose activation width cannot hold 1.0 = 2^f (a target, an activation passing a full input on).</summary>
    /// <exception cref="NetworkTooLargeException">A &lt; f + 2.</exception>
    internal static void Check(QuantizedNetworkConfig c)
    {
        int a = ActivationBits(c), needed = c.FractionBits + 2;
        if (a < needed || Products(c, a).Any(product => product.Bound >= P))
            throw new NetworkTooLargeException(Backend.Sumcheck, c,
                "signed bits of activations and errors (at least f + 2 to hold 1.0; more would let a product reach p = Goldilocks' modulus)", needed, a);
    }

    /// <summary>True when every entry fits <paramref name="bits"/> signed bits.</summary>
    internal static bool Fit(ReadOnlySpan<long> values, int bits)
    {
        long bound = 1L << (bits - 1);
        foreach (long v in values)
            if (v < -bound || v >= bound) return false;
        return true;
    }

    /// <summary>Throws when an honest activation or error fits the reference's B bits but not the step's A bits.</summary>
    /// <exception cref="NotSupportedException">An entry leaves <paramref name="activationBits"/> signed bits.</exception>
    internal static void CheckActivations(ReadOnlySpan<long> values, int activationBits, string name)
    {
        if (Fit(values, activationBits)) return;
        long bound = 1L << (activationBits - 1);
        int i = 0;
        while (values[i] >= -bound && values[i] < bound) i++;
        throw Unsupported($"{name}[{i}]", values[i], activationBits);
    }

    /// <summary>The exception for an honest value beyond the activation width.</summary>
    internal static NotSupportedException Unsupported(string quantity, Int128 value, int activationBits) =>
        new($"{quantity} = {value} is outside the sumcheck backend's {activationBits}-bit activation range " +
            $"[-2^{activationBits - 1}, 2^{activationBits - 1}) that keeps every product below Goldilocks' modulus (docs/sumcheck-step.md, \"Integer soundness\").");
}
