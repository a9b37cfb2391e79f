using ZkMl.Models;

namespace ZkMl.Training;

/// <summary>The network after <see cref="Step"/> SGD steps and the backend's commitment to its weights.</summary>
public sealed class TrainingState
{
    internal TrainingState(int step, QuantizedMlp model, byte[] salt, byte[] commitment)
    {
        Step = step;
        Model = model;
        Salt = salt;
        Commitment = commitment;
    }

    /// <summary>Number of steps applied so far.</summary>
    public int Step { get; }

    /// <summary>The weights (a private copy; never mutated).</summary>
    public QuantizedMlp Model { get; }

    /// <summary>The secret salt that makes <see cref="Commitment"/> hiding (published only for the initial and final weights).</summary>
    public ReadOnlyMemory<byte> Salt { get; }

    /// <summary>The backend's commitment to <see cref="Model"/>'s weights.</summary>
    public ReadOnlyMemory<byte> Commitment { get; }
}
