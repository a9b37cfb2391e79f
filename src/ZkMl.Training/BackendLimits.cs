using ZkMl.Models;
using ZkMl.Training.Backends;

namespace ZkMl.Training;

/// <summary>
/// Whether a backend can prove a network on this machine, decided from the shape alone (no setup, nothing large
/// allocated): the same check <see cref="TrainingSetup"/> makes before it builds keys.
/// </summary>
public static class BackendLimits
{
    /// <summary>Throws when <paramref name="backend"/> cannot prove <paramref name="network"/> with a data set of <paramref name="datasetRows"/> rows.</summary>
    /// <exception cref="NetworkTooLargeException">The step exceeds a limit of the backend or this machine's memory (the message names it and the size asked for).</exception>
    /// <exception cref="NotSupportedException">The backend is not available in this build.</exception>
    public static void Check(Backend backend, QuantizedNetworkConfig network, int datasetRows)
    {
        ArgumentNullException.ThrowIfNull(network);
        network.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(datasetRows, network.BatchSize);
        BackendCapacity.Check(backend, network, datasetRows);
    }

    /// <summary>Null when <paramref name="backend"/> can prove <paramref name="network"/>, otherwise why not (<see cref="Check"/>'s message).</summary>
    public static string? Refusal(Backend backend, QuantizedNetworkConfig network, int datasetRows)
    {
        try
        {
            Check(backend, network, datasetRows);
            return null;
        }
        catch (NotSupportedException e)
        {
            return e.Message;
        }
    }
}
