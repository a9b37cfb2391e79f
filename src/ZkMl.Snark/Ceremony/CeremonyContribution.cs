namespace ZkMl.Snark.Ceremony;

/// <summary>One recorded contribution of a powers-of-tau or phase-2 ceremony, as its verify reports it.</summary>
/// <param name="Index">1-based position in the ceremony.</param>
/// <param name="Name">The participant's name (<c>--name</c>), or null.</param>
/// <param name="Hash">
/// BLAKE2b-512 a participant publishes to show its contribution is included: the response hash for powers of tau, the
/// contribution hash (of its public key) for phase 2, as snarkjs prints them.
/// </param>
/// <param name="BeaconHash">For a beacon, the beacon value; null for a random contribution.</param>
/// <param name="BeaconIterationsExp">For a beacon, log2 of its SHA-256 iterations; 0 otherwise.</param>
public sealed record CeremonyContribution(int Index, string? Name, byte[] Hash, byte[]? BeaconHash, int BeaconIterationsExp)
{
    /// <summary>The hash as lowercase hex.</summary>
    public string HashHex => Convert.ToHexStringLower(Hash);
}
