namespace ZkMl.Network;

/// <summary>The run grain's answer to a message: accepted, or a typed rejection with a readable reason.</summary>
[GenerateSerializer, Immutable]
public sealed class Outcome
{
    /// <summary>Why the message was refused; <see cref="Rejection.None"/> when accepted.</summary>
    [Id(0)] public Rejection Rejection { get; init; }
    /// <summary>What happened, for people.</summary>
    [Id(1)] public string Message { get; init; } = "";

    /// <summary>True when the message was accepted.</summary>
    public bool Accepted => Rejection == Rejection.None;

    /// <summary>An acceptance.</summary>
    public static Outcome Ok(string message = "accepted") => new() { Message = message };

    /// <summary>A rejection.</summary>
    public static Outcome Reject(Rejection why, string message) => new() { Rejection = why, Message = message };

    /// <inheritdoc />
    public override string ToString() => Accepted ? Message : $"{Rejection}: {Message}";
}
