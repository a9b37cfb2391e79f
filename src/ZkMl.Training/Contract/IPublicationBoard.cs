namespace ZkMl.Training.Contract;

/// <summary>
/// A place where a statement is provably published at a known time relative to beacon rounds (e.g. a transaction on a
/// chain). A beacon challenge is sound only when the commitment was final before the beacon round's output existed.
/// </summary>
public interface IPublicationBoard
{
    /// <summary>
    /// Publishes <paramref name="statement"/> and returns the evidence and the first beacon round whose output was not
    /// known when the publication became final.
    /// </summary>
    (ulong Round, byte[] Evidence) Publish(ReadOnlySpan<byte> statement);

    /// <summary>True when <paramref name="evidence"/> proves <paramref name="statement"/> was final before beacon round <paramref name="round"/>'s output existed.</summary>
    bool PublishedBefore(ReadOnlySpan<byte> statement, ReadOnlySpan<byte> evidence, ulong round);
}
