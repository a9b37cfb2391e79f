using ScottPlot;
using SkiaSharp;

namespace ZkMl.Reporting;

/// <summary>
/// Serves the embedded DejaVu Sans for every font ScottPlot asks for, so plots render the same text on a machine
/// without installed fonts (SkiaSharp's NoDependencies native asset finds none there and would draw no glyphs).
/// </summary>
internal sealed class EmbeddedFont : IFontResolver
{
    public const string Family = "DejaVu Sans (embedded)";
    private static readonly Lazy<SKTypeface> Typeface = new(Load);
    private static readonly Lock Gate = new();
    private static bool _installed;

    /// <summary>Installs the resolver first in ScottPlot's list and makes the embedded family the default (idempotent).</summary>
    public static void Install()
    {
        lock (Gate)
        {
            if (_installed) return;
            Fonts.FontResolvers.Insert(0, new EmbeddedFont());
            Fonts.Default = Family;
            Fonts.Sans = Family;
            Fonts.Serif = Family;
            Fonts.Monospace = Family;
            _installed = true;
        }
    }

    public SKTypeface CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing width) => Typeface.Value;

    public SKTypeface CreateTypeface(string fontName, bool bold, bool italic) => Typeface.Value;

    private static SKTypeface Load()
    {
        using var stream = typeof(EmbeddedFont).Assembly.GetManifestResourceStream("ZkMl.Reporting.DejaVuSans.ttf")
                           ?? throw new InvalidOperationException("The embedded font resource is missing.");
        return SKTypeface.FromStream(stream) ?? throw new InvalidOperationException("The embedded font does not load.");
    }
}
