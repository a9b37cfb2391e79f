namespace ZkMl.Training.Contract;

/// <summary>A public randomness beacon (e.g. drand, or a chain's future block hash): numbered rounds with unpredictable outputs.</summary>
public interface IBeacon
{
    /// <summary>The beacon's identifier; must equal the contract's <see cref="TrainingContract.BeaconId"/>.</summary>
    ReadOnlyMemory<byte> Id { get; }

    /// <summary>The verified output of <paramref name="round"/>, or null when the round has not happened yet.</summary>
    byte[]? Output(ulong round);
}
