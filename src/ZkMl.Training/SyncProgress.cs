namespace ZkMl.Training;

/// <summary>Forwards reports synchronously on the reporting thread (Progress&lt;T&gt; would post them to a context).</summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
