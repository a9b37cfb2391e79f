using System.Buffers.Binary;
using System.Security.Cryptography;

namespace ZkMl.Common;

/// <summary>
/// INSECURE deterministic randomness for reproducible tests and demos: block i of the stream is
/// SHA-256("ZkMl.InsecureSeededRandom" ‖ seed ‖ i). The seed is a small public number, so nothing drawn from it is
/// secret. Draws are serialized, so a single-threaded caller sees the same stream for the same seed.
/// </summary>
public sealed class InsecureSeededRandom : RandomSource
{
    private readonly ulong _seed;
    private readonly Lock _lock = new();
    private readonly byte[] _block = new byte[32];
    private ulong _counter;
    private int _used = 32;

    /// <summary>A stream determined by <paramref name="seed"/>.</summary>
    public InsecureSeededRandom(ulong seed) => _seed = seed;

    /// <inheritdoc/>
    public override void Fill(Span<byte> output)
    {
        lock (_lock)
        {
            while (!output.IsEmpty)
            {
                if (_used == _block.Length) Refill();
                int n = Math.Min(output.Length, _block.Length - _used);
                _block.AsSpan(_used, n).CopyTo(output);
                _used += n;
                output = output[n..];
            }
        }
    }

    private void Refill()
    {
        Span<byte> input = stackalloc byte[25 + 16];
        "ZkMl.InsecureSeededRandom"u8.CopyTo(input);
        BinaryPrimitives.WriteUInt64LittleEndian(input[25..], _seed);
        BinaryPrimitives.WriteUInt64LittleEndian(input[33..], _counter++);
        SHA256.HashData(input, _block);
        _used = 0;
    }
}
