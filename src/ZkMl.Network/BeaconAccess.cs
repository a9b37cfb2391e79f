using ZkMl.Training.Contract;

namespace ZkMl.Network;

/// <summary>
/// A node's own access to the public randomness beacon and publication board a beacon contract names: what the run grain,
/// a verifier and an auditor check the schedule seed's evidence with (each reads the same public beacon and board itself;
/// the trainer's word is never needed). Silos get it with <see cref="NetworkHosting.AddZkMlBeacon"/>.
/// </summary>
/// <param name="beacon">The beacon (its id must be the contract's <see cref="TrainingContract.BeaconId"/>).</param>
/// <param name="board">The board that proves when a statement was published relative to beacon rounds.</param>
public sealed class BeaconAccess(IBeacon beacon, IPublicationBoard board)
{
    /// <summary>The beacon.</summary>
    public IBeacon Beacon { get; } = beacon ?? throw new ArgumentNullException(nameof(beacon));

    /// <summary>The publication board.</summary>
    public IPublicationBoard Board { get; } = board ?? throw new ArgumentNullException(nameof(board));
}
