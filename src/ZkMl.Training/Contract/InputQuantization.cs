namespace ZkMl.Training.Contract;

/// <summary>How raw inputs become fixed-point values (docs/fixed-point.md, "Input quantization").</summary>
public enum InputQuantization : byte
{
    /// <summary>A pixel p in 0..16 becomes p * 2^f / 16 = p &lt;&lt; (f - 4), exact (f &gt;= 4).</summary>
    Pixel16 = 1,

    /// <summary>An 8-bit pixel p in 0..255 (MNIST) becomes round(p * 2^f / 255), ties up: floor((2 p 2^f + 255) / 510).</summary>
    Pixel255 = 2,
}
