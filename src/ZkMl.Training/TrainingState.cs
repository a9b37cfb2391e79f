using ZkMl.Models;

namespace ZkMl.Training;

/// <summary>The network after <see cref="Step"/> SGD steps and the backend's commitment to its parameters.</summary>
public sealed class TrainingState
{
    internal TrainingState(int step, QuantizedNetwork network, byte[] salt, byte[] commitment)
    {
        Step = step;
        Network = network;
        Salt = salt;
        Commitment = commitment;
    }

    /// <summary>Number of steps applied so far.</summary>
    public int Step { get; }

    /// <summary>The weights and biases (a private copy; the prover never mutates it, and neither may callers).</summary>
    public QuantizedNetwork Network { get; }

    /// <summary>The weights in the two-layer form (a fresh copy on each call).</summary>
    /// <exception cref="NotSupportedException">The network is not two layers without biases (use <see cref="Network"/>).</exception>
    public QuantizedMlp Model => Network.ToMlp();

    /// <summary>The secret salt that makes <see cref="Commitment"/> hiding (published only for the initial and final weights).</summary>
    public ReadOnlyMemory<byte> Salt { get; }

    /// <summary>The backend's commitment to <see cref="Network"/>'s parameters.</summary>
    public ReadOnlyMemory<byte> Commitment { get; }
}
