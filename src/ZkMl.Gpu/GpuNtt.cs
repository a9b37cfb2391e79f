using System.Numerics;
using ZkMl.Field;
using ZkMl.Gpu.Ntt;

namespace ZkMl.Gpu;

/// <summary>
/// NTT on the accelerator of a <see cref="GpuContext"/> for <see cref="Goldilocks"/> and <see cref="Bn254Fr"/>:
/// bit reversal plus radix-2 butterfly kernels with twiddles resident in device memory. Results are
/// bit-identical to the CPU transform. Besides the single-column <see cref="INtt{T}"/> methods it transforms
/// batches of columns in one pass (the STARK LDE case); batches larger than the device memory budget are split
/// into chunks of whole columns. Obtain one from <see cref="GpuContext.CreateNtt{T}"/>.
/// </summary>
/// <typeparam name="T"><see cref="Goldilocks"/> or <see cref="Bn254Fr"/>.</typeparam>
public sealed class GpuNtt<T> : INtt<T> where T : struct, ITwoAdicField<T>
{
    private readonly INttEngine<T> engine;

    internal GpuNtt(INttEngine<T> engine) => this.engine = engine;

    /// <summary>True when the device can transform columns of the given length (else callers should use the CPU NTT).</summary>
    public bool Supports(int length) => length > 0 && BitOperations.IsPow2(length) && engine.Fits(BitOperations.Log2((uint)length));

    /// <inheritdoc />
    public void Forward(Span<T> values) => ForwardColumns(values, values.Length);

    /// <inheritdoc />
    public void Inverse(Span<T> values) => InverseColumns(values, values.Length);

    /// <inheritdoc />
    public void CosetForward(Span<T> values, T shift) => CosetForwardColumns(values, values.Length, shift);

    /// <inheritdoc />
    public void CosetInverse(Span<T> values, T shift) => CosetInverseColumns(values, values.Length, shift);

    /// <summary>Forward NTT of each column; <paramref name="values"/> holds columns of <paramref name="columnLength"/> elements back to back.</summary>
    public void ForwardColumns(Span<T> values, int columnLength) => Run(values, columnLength, inverse: false, shift: null);

    /// <summary>Inverse NTT of each column (see <see cref="ForwardColumns"/> for the layout).</summary>
    public void InverseColumns(Span<T> values, int columnLength) => Run(values, columnLength, inverse: true, shift: null);

    /// <summary>Evaluates each column's coefficients over the coset <paramref name="shift"/>·&lt;ω&gt;.</summary>
    public void CosetForwardColumns(Span<T> values, int columnLength, T shift)
    {
        if (shift.IsZero) throw new ArgumentException("The coset shift must be nonzero.", nameof(shift));
        Run(values, columnLength, inverse: false, shift);
    }

    /// <summary>Interpolates each column's evaluations over the coset <paramref name="shift"/>·&lt;ω&gt; back to coefficients.</summary>
    public void CosetInverseColumns(Span<T> values, int columnLength, T shift)
    {
        if (shift.IsZero) throw new ArgumentException("The coset shift must be nonzero.", nameof(shift));
        Run(values, columnLength, inverse: true, shift);
    }

    private void Run(Span<T> values, int columnLength, bool inverse, T? shift)
    {
        if (columnLength <= 0 || !BitOperations.IsPow2(columnLength))
            throw new ArgumentException($"NTT length must be a power of two, got {columnLength}.", nameof(values));
        if (values.Length % columnLength != 0)
            throw new ArgumentException($"The batch length {values.Length} is not a multiple of the column length {columnLength}.", nameof(values));
        int logN = BitOperations.Log2((uint)columnLength);
        if (logN > T.TwoAdicity)
            throw new ArgumentException($"NTT length 2^{logN} exceeds the two-adicity 2^{T.TwoAdicity} of {typeof(T).Name}.", nameof(values));
        if (values.Length == 0) return;
        engine.Transform(values, logN, inverse, shift);
    }
}
