using ZkMl.Models;

namespace ZkMl.Training;

/// <summary>
/// A backend cannot prove a network of this size: its setup estimated what the step proof needs (memory, constraints or
/// trace rows) before allocating it, and the estimate exceeds the limit. A <see cref="NotSupportedException"/>, so callers
/// that already treat unsupported shapes keep working.
/// </summary>
public sealed class NetworkTooLargeException : NotSupportedException
{
    /// <summary>Creates the exception; the message names the backend, the shape, the need and the limit.</summary>
    public NetworkTooLargeException(Backend backend, QuantizedNetworkConfig network, string quantity, long required, long limit)
        : base($"The {backend} backend cannot prove network {network?.Network} with batch {network?.BatchSize}: one step needs about {Format(required, quantity)}, " +
               $"more than the limit of {Format(limit, quantity)}.")
    {
        ArgumentNullException.ThrowIfNull(network);
        Backend = backend;
        Network = network;
        Quantity = quantity;
        Required = required;
        Limit = limit;
    }

    /// <summary>The backend that refused.</summary>
    public Backend Backend { get; }

    /// <summary>The network and step configuration asked for.</summary>
    public QuantizedNetworkConfig Network { get; }

    /// <summary>What was measured: "bytes", "constraints" or "trace rows".</summary>
    public string Quantity { get; }

    /// <summary>The estimated need.</summary>
    public long Required { get; }

    /// <summary>The limit it exceeds.</summary>
    public long Limit { get; }

    private static string Format(long value, string quantity) =>
        quantity == "bytes" ? $"{value / (double)(1L << 30):0.##} GiB ({value} bytes)" : $"{value} {quantity}";
}
