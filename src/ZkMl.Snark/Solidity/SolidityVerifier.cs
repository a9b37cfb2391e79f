using System.Text;
using ZkMl.Snark.Groth16;

namespace ZkMl.Snark.Solidity;

/// <summary>
/// Generates a Solidity contract <c>Groth16Verifier</c> that checks Groth16 proofs for one verifying key on any EVM chain
/// with the BN254 precompiles (0x06-0x08). Its <c>verifyProof</c> has snarkjs's signature and calldata layout (see
/// <see cref="SolidityCalldata"/>), returns false rather than reverting on a bad proof, and rejects public signals >= r.
/// </summary>
public static class SolidityVerifier
{
    private const string TemplateName = "ZkMl.Snark.Solidity.Groth16Verifier.sol.template";

    private static readonly Lazy<string> Template = new(LoadTemplate);

    /// <summary>The Solidity source of the verifier contract for <paramref name="vk"/>.</summary>
    /// <exception cref="ArgumentException">The key has no public signals (Solidity has no zero-length arrays).</exception>
    public static string Generate(Groth16VerifyingKey vk)
    {
        ArgumentNullException.ThrowIfNull(vk);
        if (vk.PublicCount == 0)
            throw new ArgumentException("The verifying key has no public signals; verifyProof needs at least one.", nameof(vk));

        var alpha = SolidityCalldata.Words(vk.Alpha1.ToUncompressed());
        var values = new Dictionary<string, string>
        {
            ["ALPHA_X"] = alpha[0],
            ["ALPHA_Y"] = alpha[1],
            ["PUBLIC_COUNT"] = vk.PublicCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["IC_CONSTANTS"] = IcConstants(vk),
            ["LINEAR_COMBINATION"] = LinearCombination(vk.PublicCount),
        };
        // The G2 points are negated here once, so the contract never negates anything.
        foreach (var (name, point) in new[] { ("BETA", vk.Beta2), ("GAMMA", vk.Gamma2), ("DELTA", vk.Delta2) })
        {
            var w = SolidityCalldata.Words(point.Negate().ToUncompressed());
            values[$"NEG_{name}_X1"] = w[0];
            values[$"NEG_{name}_X0"] = w[1];
            values[$"NEG_{name}_Y1"] = w[2];
            values[$"NEG_{name}_Y0"] = w[3];
        }

        var source = Template.Value;
        foreach (var (name, value) in values) source = source.Replace("{{" + name + "}}", value, StringComparison.Ordinal);
        return source;
    }

    private static string IcConstants(Groth16VerifyingKey vk)
    {
        var text = new StringBuilder();
        for (var i = 0; i < vk.IC.Count; i++)
        {
            var w = SolidityCalldata.Words(vk.IC[i].ToUncompressed());
            if (i > 0) text.Append('\n');
            text.Append($"    uint256 internal constant IC{i}_X = {w[0]};\n");
            text.Append($"    uint256 internal constant IC{i}_Y = {w[1]};");
        }
        return text.ToString();
    }

    // One ecMul and one ecAdd per public signal, unrolled: the IC points are constants in the code.
    private static string LinearCombination(int publicCount)
    {
        var text = new StringBuilder();
        for (var i = 0; i < publicCount; i++)
        {
            var load = i == 0 ? "calldataload(pubSignals)" : $"calldataload(add(pubSignals, 0x{32 * i:x}))";
            text.Append($"            s := {load}\n");
            text.Append("            ok := and(ok, lt(s, R))\n");
            text.Append($"            mstore(0x280, IC{i + 1}_X)\n");
            text.Append($"            mstore(0x2a0, IC{i + 1}_Y)\n");
            text.Append("            mstore(0x2c0, s)\n");
            text.Append("            ok := and(ok, staticcall(gas(), 0x07, 0x280, 0x60, 0x280, 0x40))\n");
            text.Append("            ok := and(ok, staticcall(gas(), 0x06, 0x240, 0x80, 0x240, 0x40))\n");
        }
        return text.ToString();
    }

    private static string LoadTemplate()
    {
        using var stream = typeof(SolidityVerifier).Assembly.GetManifestResourceStream(TemplateName)
            ?? throw new InvalidOperationException($"Embedded resource {TemplateName} is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
