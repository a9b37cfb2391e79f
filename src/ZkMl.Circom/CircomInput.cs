using System.Globalization;
using System.Numerics;
using System.Text.Json;

namespace ZkMl.Circom;

/// <summary>
/// circom's input JSON as snarkjs reads it: an object from signal name to a value or (nested) array of values, flattened
/// in order. A value is an integer number, a decimal string (optionally signed), a 0x/0o/0b string or a boolean, as
/// JavaScript's <c>BigInt(...)</c> takes it; negative values and values above the prime are reduced modulo the prime.
/// </summary>
internal static class CircomInput
{
    // Far above any field element (77 decimal digits) and small enough to parse without quadratic cost.
    private const int MaxDigits = 1000;

    /// <summary>Parses the JSON into (signal, flattened values) pairs in the order the file lists them.</summary>
    public static List<(string Name, BigInteger[] Values)> Parse(string json)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new WitnessCalculatorException($"input is not valid JSON: {e.Message}", e);
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new WitnessCalculatorException($"input must be a JSON object from signal names to values, not {Kind(doc.RootElement)}");
            var result = new List<(string, BigInteger[])>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (!seen.Add(p.Name)) throw new WitnessCalculatorException($"input signal '{p.Name}' is given twice");
                var values = new List<BigInteger>();
                Flatten(p.Name, p.Value, values);
                result.Add((p.Name, values.ToArray()));
            }
            return result;
        }
    }

    private static void Flatten(string name, JsonElement e, List<BigInteger> values)
    {
        if (e.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in e.EnumerateArray()) Flatten(name, item, values);
            return;
        }
        values.Add(e.ValueKind switch
        {
            JsonValueKind.Number => FromNumber(name, values.Count, e.GetRawText()),
            JsonValueKind.String => FromString(name, values.Count, e.GetString()!),
            JsonValueKind.True => BigInteger.One,
            JsonValueKind.False => BigInteger.Zero,
            _ => throw new WitnessCalculatorException($"input signal '{name}': value {values.Count} is {Kind(e)}, not an integer"),
        });
    }

    private static BigInteger FromNumber(string name, int index, string raw)
    {
        if (raw.Length > MaxDigits)
            throw new WitnessCalculatorException($"input signal '{name}': value {index} is a number of {raw.Length} characters, longer than any field element");
        if (BigInteger.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exact)) return exact;
        // 1e3 or 2.0: JavaScript reads a double and BigInt takes it only when it is a whole number.
        var d = double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (double.IsFinite(d) && Math.Floor(d) == d) return new BigInteger(d);
        throw new WitnessCalculatorException($"input signal '{name}': value {index} ({raw}) is not an integer");
    }

    private static BigInteger FromString(string name, int index, string s)
    {
        var t = s.Trim();
        if (t.Length > MaxDigits)
            throw new WitnessCalculatorException($"input signal '{name}': value {index} is a string of {t.Length} characters, longer than any field element");
        if (t.Length > 2 && t[0] == '0' && (t[1] | 0x20) is 'x' or 'o' or 'b'
            && TryRadix(t[2..], (t[1] | 0x20) switch { 'x' => 16, 'o' => 8, _ => 2 }, out var r))
            return r;
        var digits = t.Length > 0 && t[0] is '-' or '+' ? t[1..] : t;
        if (digits.Length > 0 && !digits.AsSpan().ContainsAnyExceptInRange('0', '9'))
            return BigInteger.Parse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        throw new WitnessCalculatorException($"input signal '{name}': value {index} (\"{Shorten(s)}\") is not an integer");
    }

    private static bool TryRadix(string digits, int radix, out BigInteger value)
    {
        value = BigInteger.Zero;
        foreach (var c in digits)
        {
            int d = c is >= '0' and <= '9' ? c - '0' : (c | 0x20) is >= 'a' and <= 'f' ? (c | 0x20) - 'a' + 10 : 99;
            if (d >= radix) return false;
            value = value * radix + d;
        }
        return true;
    }

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "...";

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.Null => "null",
        JsonValueKind.String => "a string",
        _ => e.ValueKind.ToString().ToLowerInvariant(),
    };
}
