using ZkMl.Field;
using ZkMl.Models;

namespace ZkMl.Training.Circuits;

/// <summary>
/// The inputs of one SGD step: parameters before the step, the batch, and the commitments' salts (private), and the
/// statement it is bound to: the contract digest as two field elements and the step index (public, zero by default).
/// </summary>
/// <typeparam name="T">The field.</typeparam>
/// <param name="Parameters">All weights and biases in <see cref="QuantizedNetwork.Parameters"/> order (W1 row-major, b1, W2, ...; for two layers without biases W1 then W2).</param>
/// <param name="Inputs">BatchSize rows of InputSize quantized inputs (as <see cref="QuantizedNetwork"/> takes them).</param>
/// <param name="Labels">BatchSize labels.</param>
/// <param name="SaltBefore">Salt of the commitment to the parameters before the step.</param>
/// <param name="SaltAfter">Salt of the commitment to the parameters after the step.</param>
/// <param name="BatchSalt">Salt of the batch commitment.</param>
public sealed record SgdStepInputs<T>(long[] Parameters, long[] Inputs, int[] Labels, T SaltBefore, T SaltAfter, T BatchSalt)
    where T : struct, IPrimeField<T>
{
    /// <summary>The inputs of a two-layer step without biases: the parameters are W1 then W2 (row-major).</summary>
    public SgdStepInputs(long[] weights1, long[] weights2, long[] inputs, int[] labels, T saltBefore, T saltAfter, T batchSalt)
        : this([.. weights1, .. weights2], inputs, labels, saltBefore, saltAfter, batchSalt)
    {
    }

    /// <summary>High half of the contract digest (public input 3; see <c>ContractDigest.ToBn254</c>).</summary>
    public T DigestHi { get; init; }

    /// <summary>Low half of the contract digest (public input 4).</summary>
    public T DigestLo { get; init; }

    /// <summary>The step index (public input 5).</summary>
    public T Step { get; init; }
}
