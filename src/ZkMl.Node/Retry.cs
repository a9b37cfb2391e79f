
namespace ZkMl.Node;

/// <summary>Keeps a node working through a silo or store outage: a failed call is logged and retried.</summary>
internal static class Retry
{
    public static async Task<T> Call<T>(Func<Task<T>> call, CancellationToken cancel)
    {
        while (true)
        {
            try { return await call(); }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Console.WriteLine($"  (cluster unavailable: {e.GetType().Name}; retrying)");
                await Task.Delay(1000, cancel);
            }
        }
    }

    /// <summary>Runs <paramref name="step"/> until it returns true.</summary>
    public static async Task Loop(Func<Task<bool>> step, CancellationToken cancel)
    {
        while (!await Call(step, cancel)) { }
    }
}
