using System.Buffers.Binary;
using SkiaSharp;

namespace ZkMl.Samples.Tests;

/// <summary>Checks on PNG files: the header's size, and that the decoded image is more than a blank canvas.</summary>
internal static class Png
{
    public static (int Width, int Height) HeaderSize(string path)
    {
        byte[] head = new byte[24];
        using (var f = File.OpenRead(path)) f.ReadExactly(head);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, head[..8]);
        Assert.Equal("IHDR"u8.ToArray(), head[12..16]);
        return (BinaryPrimitives.ReadInt32BigEndian(head.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(head.AsSpan(20)));
    }

    /// <summary>Decodes with SkiaSharp and asserts the size, a share of non-background pixels, and several colours (lines, text).</summary>
    public static void AssertPlot(string path, int width, int height)
    {
        Assert.Equal((width, height), HeaderSize(path));
        using var bitmap = SKBitmap.Decode(path);
        Assert.NotNull(bitmap);
        Assert.Equal((width, height), (bitmap.Width, bitmap.Height));
        var background = bitmap.GetPixel(1, 1);
        int drawn = 0;
        var colours = new HashSet<SKColor>();
        for (int y = 0; y < height; y += 2)
            for (int x = 0; x < width; x += 2)
            {
                var c = bitmap.GetPixel(x, y);
                if (c != background) drawn++;
                colours.Add(c);
            }
        Assert.True(drawn > width * height / 4 / 100, $"{path}: only {drawn} sampled pixels differ from the background.");
        Assert.True(colours.Count > 8, $"{path}: only {colours.Count} colours.");
    }
}
