using System.Globalization;

namespace ZkMl.Reporting;

/// <summary>A one-line description of the machine for plot footnotes: CPU model, core count and load.</summary>
public static class MachineInfo
{
    /// <summary>E.g. "AMD EPYC 7B13, 2 cores, load 3.1 (1-min avg)"; parts that cannot be read are left out.</summary>
    public static string Describe()
    {
        var parts = new List<string> { CpuModel() ?? "unknown CPU", $"{Environment.ProcessorCount} cores" };
        if (LoadAverage() is { } load) parts.Add($"load {load.ToString("F1", CultureInfo.InvariantCulture)} (1-min avg)");
        return string.Join(", ", parts);
    }

    /// <summary>The "model name" of the first processor in /proc/cpuinfo, or null off Linux.</summary>
    public static string? CpuModel()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/cpuinfo"))
                if (line.StartsWith("model name", StringComparison.Ordinal) && line.IndexOf(':') is int colon and >= 0)
                    return string.Join(' ', line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }

    /// <summary>The 1-minute load average from /proc/loadavg, or null off Linux.</summary>
    public static double? LoadAverage()
    {
        try
        {
            string first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out double load) ? load : null;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
