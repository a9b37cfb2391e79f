using System.Security.Cryptography;

namespace ZkMl.Common;

/// <summary>
/// Where the libraries draw their secret randomness (blinding factors, salts, toxic waste, STARK masks). The default,
/// <see cref="Secure"/>, is the operating system's CSPRNG. For reproducible tests and demos, and nothing else,
/// <see cref="UseInsecureSeeded"/> replaces it for the current asynchronous flow with an
/// <see cref="InsecureSeededRandom"/>, so the same seed gives the same commitments and proofs.
/// </summary>
public abstract class RandomSource
{
    private static readonly AsyncLocal<RandomSource?> Override = new();

    /// <summary>The operating system's CSPRNG (<see cref="RandomNumberGenerator"/>).</summary>
    public static RandomSource Secure { get; } = new SystemRandom();

    /// <summary>The source in effect: <see cref="Secure"/> unless a <see cref="UseInsecureSeeded"/> scope is open.</summary>
    public static RandomSource Current => Override.Value ?? Secure;

    /// <summary>True while an insecure seeded source replaces the CSPRNG (libraries may refuse to publish under it).</summary>
    public static bool IsInsecure => Override.Value is not null;

    /// <summary>
    /// INSECURE: until the returned scope is disposed, every draw in this asynchronous flow (and the tasks and
    /// parallel loops it starts) comes from <see cref="InsecureSeededRandom"/>(<paramref name="seed"/>). Anyone who
    /// knows the seed learns every secret drawn under it, so proofs made this way hide nothing: tests and demos only.
    /// </summary>
    public static IDisposable UseInsecureSeeded(ulong seed)
    {
        var previous = Override.Value;
        Override.Value = new InsecureSeededRandom(seed);
        return new Scope(previous);
    }

    /// <summary>Fills <paramref name="output"/> with random bytes.</summary>
    public abstract void Fill(Span<byte> output);

    /// <summary>A new array of <paramref name="count"/> random bytes.</summary>
    public byte[] GetBytes(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var bytes = new byte[count];
        Fill(bytes);
        return bytes;
    }

    private sealed class SystemRandom : RandomSource
    {
        public override void Fill(Span<byte> output) => RandomNumberGenerator.Fill(output);
    }

    private sealed class Scope(RandomSource? previous) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            Override.Value = previous;
        }
    }
}
