namespace ZkMl.Circuits.Circom;

/// <summary>
/// An .r1cs or .wtns file declares a size beyond a <see cref="DecoderLimits"/> bound; thrown before anything of that size
/// is allocated. A <see cref="CircomFormatException"/>, so existing handlers still catch it.
/// </summary>
public sealed class CircomLimitExceededException : CircomFormatException
{
    /// <summary>Creates the exception for <paramref name="source"/> asking for <paramref name="requested"/> where <paramref name="limitName"/> allows <paramref name="limit"/>.</summary>
    public CircomLimitExceededException(string source, string what, string limitName, ulong requested, long limit)
        : base($"{source}: {what} of {requested} exceeds the decoder limit {limitName} = {limit}")
    {
        LimitName = limitName; Requested = requested; Limit = limit;
    }

    /// <summary>The <see cref="DecoderLimits"/> property that was exceeded.</summary>
    public string LimitName { get; }
    /// <summary>The size the input asked for.</summary>
    public ulong Requested { get; }
    /// <summary>The limit in force.</summary>
    public long Limit { get; }

    internal static void Check(string source, string what, string limitName, ulong requested, long limit)
    {
        if (requested > (ulong)Math.Max(0, limit)) throw new CircomLimitExceededException(source, what, limitName, requested, limit);
    }
}
