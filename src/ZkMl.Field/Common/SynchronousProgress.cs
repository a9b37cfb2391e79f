namespace ZkMl.Common;

/// <summary>
/// An <see cref="IProgress{T}"/> that calls its handler at once on the reporting thread; <see cref="Progress{T}"/> posts to a
/// synchronization context or the thread pool, so a bar drawn from it lags and may see reports out of order.
/// </summary>
/// <typeparam name="T">The report type.</typeparam>
/// <param name="handler">Called for every report.</param>
public sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
{
    private readonly Action<T> _handler = handler ?? throw new ArgumentNullException(nameof(handler));

    /// <inheritdoc />
    public void Report(T value) => _handler(value);
}
