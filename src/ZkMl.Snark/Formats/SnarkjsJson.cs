using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using ZkMl.Circuits.Circom;
using ZkMl.Field;
using ZkMl.Snark.Curves;
using ZkMl.Snark.Groth16;
using ZkMl.Common;

namespace ZkMl.Snark.Formats;

/// <summary>
/// snarkjs's JSON files for Groth16 over BN254 ("bn128"): verification_key.json, proof.json and public.json.
/// Output matches snarkjs byte for byte in shape: one-space indentation, decimal strings, projective points with z = "1"
/// (G2 z = ["1", "0"]), and the protocol/curve fields. Input is validated: sizes within <see cref="DecoderLimits"/> before
/// parsing, coordinates in range, points on the curve (G2 points in the r-order subgroup) and never at infinity (Groth16
/// forbids it for every key and proof point), public signals below r; anything else is a <see cref="SnarkFormatException"/>.
/// </summary>
public static class SnarkjsJson
{
    private const string Protocol = "groth16", Curve = "bn128";

    private static readonly JsonWriterOptions WriterOptions = new() { Indented = true, IndentSize = 1, NewLine = "\n" };

    // ---------- writing ----------

    /// <summary>proof.json text for <paramref name="proof"/>.</summary>
    public static string ProofToJson(Groth16Proof proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        return Write(w =>
        {
            w.WriteStartObject();
            w.WritePropertyName("pi_a"); WriteG1(w, proof.A);
            w.WritePropertyName("pi_b"); WriteG2(w, proof.B);
            w.WritePropertyName("pi_c"); WriteG1(w, proof.C);
            w.WriteString("protocol", Protocol);
            w.WriteString("curve", Curve);
            w.WriteEndObject();
        });
    }

    /// <summary>public.json text: the public signals as decimal strings.</summary>
    public static string PublicSignalsToJson(ReadOnlySpan<Bn254Fr> signals)
    {
        var copy = signals.ToArray();
        return Write(w =>
        {
            w.WriteStartArray();
            foreach (var s in copy) w.WriteStringValue(Decimal(s.ToBigInteger()));
            w.WriteEndArray();
        });
    }

    /// <summary>verification_key.json text, including vk_alphabeta_12 = e(α, β) as snarkjs exports it.</summary>
    public static string VerifyingKeyToJson(Groth16VerifyingKey vk)
    {
        ArgumentNullException.ThrowIfNull(vk);
        var alphaBeta = Pairing.Pair(vk.Alpha1, vk.Beta2);
        return Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("protocol", Protocol);
            w.WriteString("curve", Curve);
            w.WriteNumber("nPublic", vk.PublicCount);
            w.WritePropertyName("vk_alpha_1"); WriteG1(w, vk.Alpha1);
            w.WritePropertyName("vk_beta_2"); WriteG2(w, vk.Beta2);
            w.WritePropertyName("vk_gamma_2"); WriteG2(w, vk.Gamma2);
            w.WritePropertyName("vk_delta_2"); WriteG2(w, vk.Delta2);
            w.WritePropertyName("vk_alphabeta_12");
            w.WriteStartArray();
            foreach (var half in new[] { alphaBeta.C0, alphaBeta.C1 })
            {
                w.WriteStartArray();
                foreach (var c in new[] { half.C0, half.C1, half.C2 }) WriteFq2(w, c);
                w.WriteEndArray();
            }
            w.WriteEndArray();
            w.WritePropertyName("IC");
            w.WriteStartArray();
            foreach (var p in vk.IC) WriteG1(w, p);
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    /// <summary>
    /// Writes proof.json atomically (a temporary file renamed over it), without forcing it to the disk first, as snarkjs
    /// and rapidsnark write theirs: a proof is cheap to make again, and the fsync cost 10-30 ms on a busy disk, more than a
    /// whole 2^11 proof.
    /// </summary>
    public static void WriteProof(string path, Groth16Proof proof) =>
        AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(ProofToJson(proof)), durable: false);

    /// <summary>Writes public.json atomically, not forced to the disk (as <see cref="WriteProof"/>).</summary>
    public static void WritePublicSignals(string path, ReadOnlySpan<Bn254Fr> signals) =>
        AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(PublicSignalsToJson(signals)), durable: false);

    /// <summary>Writes verification_key.json atomically.</summary>
    public static void WriteVerifyingKey(string path, Groth16VerifyingKey vk) => AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(VerifyingKeyToJson(vk)));

    private static string Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions)) body(w);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Decimal(BigInteger v) => v.ToString(CultureInfo.InvariantCulture);

    private static void WriteG1(Utf8JsonWriter w, in G1Affine p)
    {
        w.WriteStartArray();
        if (p.IsInfinity) { w.WriteStringValue("0"); w.WriteStringValue("1"); w.WriteStringValue("0"); }
        else { w.WriteStringValue(Decimal(p.X.ToBigInteger())); w.WriteStringValue(Decimal(p.Y.ToBigInteger())); w.WriteStringValue("1"); }
        w.WriteEndArray();
    }

    private static void WriteFq2(Utf8JsonWriter w, in Fq2 v)
    {
        w.WriteStartArray();
        w.WriteStringValue(Decimal(v.C0.ToBigInteger()));
        w.WriteStringValue(Decimal(v.C1.ToBigInteger()));
        w.WriteEndArray();
    }

    private static void WriteG2(Utf8JsonWriter w, in G2Affine p)
    {
        w.WriteStartArray();
        if (p.IsInfinity) { WriteFq2(w, Fq2.Zero); WriteFq2(w, Fq2.One); WriteFq2(w, Fq2.Zero); }
        else { WriteFq2(w, p.X); WriteFq2(w, p.Y); WriteFq2(w, Fq2.One); }
        w.WriteEndArray();
    }

    // ---------- reading ----------

    /// <summary>Parses proof.json text (<paramref name="source"/> names it in errors).</summary>
    public static Groth16Proof ParseProof(string json, string source = "proof.json", DecoderLimits? limits = null)
    {
        using var doc = Parse(json, source, limits ?? DecoderLimits.Default);
        var root = Object(doc.RootElement, source);
        CheckProtocol(root, source);
        var a = G1(Property(root, "pi_a", source), $"{source}: pi_a");
        var b = G2(Property(root, "pi_b", source), $"{source}: pi_b");
        var c = G1(Property(root, "pi_c", source), $"{source}: pi_c");
        return new Groth16Proof(a, b, c);
    }

    /// <summary>Parses public.json text: an array of decimal strings (or integers), each below r.</summary>
    public static Bn254Fr[] ParsePublicSignals(string json, string source = "public.json", DecoderLimits? limits = null)
    {
        limits ??= DecoderLimits.Default;
        using var doc = Parse(json, source, limits);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Array) throw new SnarkFormatException($"{source}: expected a JSON array of public signals");
        SnarkLimitExceededException.Check(source, "public signal count", nameof(DecoderLimits.MaxPublicSignals), (ulong)root.GetArrayLength(), limits.MaxPublicSignals);
        var result = new Bn254Fr[root.GetArrayLength()];
        int i = 0;
        foreach (var e in root.EnumerateArray())
        {
            var v = Number(e, $"{source}: signal {i}");
            if (v >= Bn254Fr.Modulus) throw new SnarkFormatException($"{source}: signal {i} is not below the scalar field modulus r");
            result[i++] = Bn254Fr.FromBigInteger(v);
        }
        return result;
    }

    /// <summary>Parses verification_key.json text (vk_alphabeta_12 is ignored: it is derived, not trusted).</summary>
    public static Groth16VerifyingKey ParseVerifyingKey(string json, string source = "verification_key.json", DecoderLimits? limits = null)
    {
        limits ??= DecoderLimits.Default;
        using var doc = Parse(json, source, limits);
        var root = Object(doc.RootElement, source);
        CheckProtocol(root, source);
        var alpha = G1(Property(root, "vk_alpha_1", source), $"{source}: vk_alpha_1");
        var beta = G2(Property(root, "vk_beta_2", source), $"{source}: vk_beta_2");
        var gamma = G2(Property(root, "vk_gamma_2", source), $"{source}: vk_gamma_2");
        var delta = G2(Property(root, "vk_delta_2", source), $"{source}: vk_delta_2");
        var icElement = Property(root, "IC", source);
        if (icElement.ValueKind != JsonValueKind.Array || icElement.GetArrayLength() == 0)
            throw new SnarkFormatException($"{source}: IC must be a non-empty array of G1 points");
        SnarkLimitExceededException.Check(source, "public signal count (IC points - 1)", nameof(DecoderLimits.MaxPublicSignals), (ulong)icElement.GetArrayLength() - 1, limits.MaxPublicSignals);
        var ic = new G1Affine[icElement.GetArrayLength()];
        int i = 0;
        foreach (var e in icElement.EnumerateArray()) { ic[i] = G1(e, $"{source}: IC[{i}]"); i++; }
        if (root.TryGetProperty("nPublic", out var np))
        {
            if (np.ValueKind != JsonValueKind.Number || !np.TryGetInt32(out int n) || n != ic.Length - 1)
                throw new SnarkFormatException($"{source}: nPublic does not match the {ic.Length} IC points (expected {ic.Length - 1})");
        }
        return new Groth16VerifyingKey(alpha, beta, gamma, delta, ic);
    }

    /// <summary>Reads and parses proof.json (refusing, before reading, a file over <see cref="DecoderLimits.MaxJsonBytes"/>).</summary>
    public static Groth16Proof ReadProof(string path, DecoderLimits? limits = null) => ParseProof(ReadText(path, limits), path, limits);
    /// <summary>Reads and parses public.json (refusing, before reading, a file over <see cref="DecoderLimits.MaxJsonBytes"/>).</summary>
    public static Bn254Fr[] ReadPublicSignals(string path, DecoderLimits? limits = null) => ParsePublicSignals(ReadText(path, limits), path, limits);
    /// <summary>Reads and parses verification_key.json (refusing, before reading, a file over <see cref="DecoderLimits.MaxJsonBytes"/>).</summary>
    public static Groth16VerifyingKey ReadVerifyingKey(string path, DecoderLimits? limits = null) => ParseVerifyingKey(ReadText(path, limits), path, limits);

    private static string ReadText(string path, DecoderLimits? limits)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            SnarkLimitExceededException.Check(path, "file size", nameof(DecoderLimits.MaxJsonBytes), (ulong)stream.Length, (limits ?? DecoderLimits.Default).MaxJsonBytes);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return reader.ReadToEnd();
        }
        catch (FileNotFoundException) { throw new SnarkFormatException($"{path}: file not found"); }
        catch (DirectoryNotFoundException) { throw new SnarkFormatException($"{path}: file not found"); }
        catch (UnauthorizedAccessException e) { throw new SnarkFormatException($"{path}: cannot read ({e.Message})"); }
    }

    private static JsonDocument Parse(string json, string source, DecoderLimits limits)
    {
        ArgumentNullException.ThrowIfNull(json);
        // UTF-16 length bounds the UTF-8 size from below; checking it first keeps the count itself cheap.
        if (json.Length > limits.MaxJsonBytes || Encoding.UTF8.GetByteCount(json) > limits.MaxJsonBytes)
            throw new SnarkLimitExceededException(source, "JSON text size", nameof(DecoderLimits.MaxJsonBytes), (ulong)Math.Max(json.Length, 0), limits.MaxJsonBytes);
        try { return JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 }); }
        catch (JsonException e)
        {
            throw new SnarkFormatException($"{source}: invalid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {FirstSentence(e.Message)}", e);
        }
    }

    private static string FirstSentence(string m)
    {
        int i = m.IndexOf(" LineNumber", StringComparison.Ordinal);
        return (i > 0 ? m[..i] : m).TrimEnd(' ', '.');
    }

    private static JsonElement Object(JsonElement e, string source) =>
        e.ValueKind == JsonValueKind.Object ? e : throw new SnarkFormatException($"{source}: expected a JSON object");

    private static JsonElement Property(JsonElement obj, string name, string source) =>
        obj.TryGetProperty(name, out var v) ? v : throw new SnarkFormatException($"{source}: missing \"{name}\"");

    private static void CheckProtocol(JsonElement root, string source)
    {
        if (root.TryGetProperty("protocol", out var p) && (p.ValueKind != JsonValueKind.String || p.GetString() != Protocol))
            throw new SnarkFormatException($"{source}: protocol is {p}, expected \"{Protocol}\"");
        if (root.TryGetProperty("curve", out var c) && (c.ValueKind != JsonValueKind.String || c.GetString() is not (Curve or "bn254")))
            throw new SnarkFormatException($"{source}: curve is {c}, expected \"{Curve}\"");
    }

    private static BigInteger Number(JsonElement e, string what)
    {
        string? text = e.ValueKind switch
        {
            JsonValueKind.String => e.GetString(),
            JsonValueKind.Number => e.GetRawText(),
            _ => null,
        };
        if (string.IsNullOrEmpty(text) || text.Length > 100 || !text.All(char.IsAsciiDigit))
            throw new SnarkFormatException($"{what}: expected a non-negative decimal integer");
        return BigInteger.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
    }

    private static BigInteger[] Numbers(JsonElement e, int count, string what)
    {
        if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() != count)
            throw new SnarkFormatException($"{what}: expected an array of {count} decimal strings");
        var r = new BigInteger[count];
        int i = 0;
        foreach (var x in e.EnumerateArray()) r[i++] = Number(x, what);
        return r;
    }

    private static G1Affine G1(JsonElement e, string what)
    {
        if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() is not (2 or 3))
            throw new SnarkFormatException($"{what}: expected a G1 point [x, y, z]");
        var c = Numbers(e, e.GetArrayLength(), what);
        var p = LemCodec.G1FromDecimal(c[0], c[1], c.Length == 3 ? c[2] : BigInteger.One, what);
        return p.IsInfinity ? throw new SnarkFormatException($"{what}: the point at infinity is not allowed here") : p;
    }

    private static G2Affine G2(JsonElement e, string what)
    {
        if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() is not (2 or 3))
            throw new SnarkFormatException($"{what}: expected a G2 point [[x0, x1], [y0, y1], [z0, z1]]");
        var parts = e.EnumerateArray().ToArray();
        var x = Numbers(parts[0], 2, what);
        var y = Numbers(parts[1], 2, what);
        var z = parts.Length == 3 ? Numbers(parts[2], 2, what) : [BigInteger.One, BigInteger.Zero];
        var p = LemCodec.G2FromDecimal(x[0], x[1], y[0], y[1], z[0], z[1], what);
        return p.IsInfinity ? throw new SnarkFormatException($"{what}: the point at infinity is not allowed here") : p;
    }
}
