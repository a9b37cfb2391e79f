using ZkMl.Field;
using ZkMl.Models;

namespace ZkMl.Training.Circuits;

/// <summary>
/// The inputs of one SGD step: weights before the step, the batch, and the commitments' salts (private), and the
/// statement it is bound to: the contract digest as two field elements and the step index (public, zero by default).
/// </summary>
/// <typeparam name="T">The field.</typeparam>
/// <param name="Weights1">W1 [Hidden x Input], row-major.</param>
/// <param name="Weights2">W2 [Output x Hidden], row-major.</param>
/// <param name="Inputs">BatchSize rows of InputSize quantized inputs (as <see cref="QuantizedMlp"/> takes them).</param>
/// <param name="Labels">BatchSize labels.</param>
/// <param name="SaltBefore">Salt of the commitment to the weights before the step.</param>
/// <param name="SaltAfter">Salt of the commitment to the weights after the step.</param>
/// <param name="BatchSalt">Salt of the batch commitment.</param>
public sealed record SgdStepInputs<T>(long[] Weights1, long[] Weights2, long[] Inputs, int[] Labels, T SaltBefore, T SaltAfter, T BatchSalt)
    where T : struct, IPrimeField<T>
{
    /// <summary>High half of the contract digest (public input 3; see <c>ContractDigest.ToBn254</c>).</summary>
    public T DigestHi { get; init; }

    /// <summary>Low half of the contract digest (public input 4).</summary>
    public T DigestLo { get; init; }

    /// <summary>The step index (public input 5).</summary>
    public T Step { get; init; }
}
