namespace ZkMl.Common;

/// <summary>
/// Parallel loops that surface the first failure itself (a typed exception a caller documents) rather than the
/// <see cref="AggregateException"/> the task library wraps it in.
/// </summary>
public static class Parallelism
{
    /// <summary>As <see cref="Parallel.Invoke(Action[])"/>, rethrowing the first inner exception.</summary>
    public static void Invoke(params Action[] actions) => Unwrapped(() => Parallel.Invoke(actions));

    /// <summary>As <see cref="Parallel.For(int, int, Action{int})"/>, rethrowing the first inner exception.</summary>
    public static void For(int fromInclusive, int toExclusive, Action<int> body) => Unwrapped(() => Parallel.For(fromInclusive, toExclusive, body));

    /// <summary>
    /// As <see cref="For"/>, but when bodies fail the one with the lowest index is rethrown: the exception a serial
    /// loop would meet first, whatever the threads' timing (each failed body stops only itself).
    /// </summary>
    public static void ForInOrder(int fromInclusive, int toExclusive, Action<int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (toExclusive <= fromInclusive) return;
        var failures = new Exception?[toExclusive - fromInclusive];
        Parallel.For(fromInclusive, toExclusive, i =>
        {
            try { body(i); }
            catch (Exception failure) { failures[i - fromInclusive] = failure; }
        });
        foreach (var failure in failures)
            if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
    }

    private static void Unwrapped(Action run)
    {
        try { run(); }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.Flatten().InnerExceptions[0]).Throw();
        }
    }
}
