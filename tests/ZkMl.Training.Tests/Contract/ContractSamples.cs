using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using ZkMl.Models;
using ZkMl.Training.Contract;

namespace ZkMl.Training.Tests.Contract;

/// <summary>Fixed keys and contracts shared by the contract tests (the keys are test-only, generated with openssl).</summary>
internal static class ContractSamples
{
    internal const string WorkerPkcs8 = "308187020100301306072a8648ce3d020106082a8648ce3d030107046d306b0201010420aa8a35eed69fea94dbe88bc9c3bb0e2df731ef97c0715ec7b7dabf713f279931a144034200046b2c325bd55625c3deba158ee3378fcca39317debf076730d9fd3ce96d61021f63309dd9f7c0577342bbfd74000d1c895c71678f6d12d3a7c1317f1841b86cb9";
    internal const string WorkerSpki = "3059301306072a8648ce3d020106082a8648ce3d030107034200046b2c325bd55625c3deba158ee3378fcca39317debf076730d9fd3ce96d61021f63309dd9f7c0577342bbfd74000d1c895c71678f6d12d3a7c1317f1841b86cb9";
    internal const string AuditorPkcs8 = "308187020100301306072a8648ce3d020106082a8648ce3d030107046d306b0201010420aad4ad2399d93e1359b02c811efbf559cd01e53a60b767cf7e8bf5c8af22fd8fa144034200046af03e94b67a73541a1b5ef3ae0d5ab8371428d90ce8563e2965e70a14f1076cbcfa872b396587c5a56fa3094a17f9327fad5e97d77854aca5efcb2be638e8ef";
    internal const string AuditorSpki = "3059301306072a8648ce3d020106082a8648ce3d030107034200046af03e94b67a73541a1b5ef3ae0d5ab8371428d90ce8563e2965e70a14f1076cbcfa872b396587c5a56fa3094a17f9327fad5e97d77854aca5efcb2be638e8ef";

    internal static ImmutableArray<byte> Hex(string hex) => [.. Convert.FromHexString(hex)];
    internal static ImmutableArray<byte> Filled(byte value, int length = 32) => [.. Enumerable.Repeat(value, length)];

    internal static ECDsa Auditor()
    {
        var key = ECDsa.Create();
        key.ImportPkcs8PrivateKey(Convert.FromHexString(AuditorPkcs8), out _);
        return key;
    }

    /// <summary>STARK, today's default network, interactive auditor, all steps.</summary>
    internal static TrainingContract Stark() => new TrainingContract
    {
        Backend = Backend.Stark,
        StarkPreset = StarkPreset.Secure100,
        StarkSecurityBits = 100,
        DatasetFormat = DatasetCommitmentFormat.PoseidonGoldilocksMerkle,
        DatasetRoot = Filled(0x11),
        DatasetRows = 1000,
        InitialWeights = InitialWeightsRule.DerivedFromScheduleSeed,
        StepCount = 500,
        Audit = AuditPolicy.AllSteps,
        WorkerPublicKey = Hex(WorkerSpki),
        ChallengeSource = ChallengeSourceKind.Interactive,
        AuditorPublicKey = Hex(AuditorSpki),
        AnswerWindowSeconds = 3600,
    }.WithNetwork(new QuantizedMlpConfig());

    /// <summary>Groth16, a small network, explicit initial weights, sampled audit, beacon.</summary>
    internal static TrainingContract Groth16() => new TrainingContract
    {
        Backend = Backend.Groth16,
        StepVerifyingKeySha256 = Filled(0xA1),
        MembershipVerifyingKeySha256 = Filled(0xB2),
        DatasetFormat = DatasetCommitmentFormat.PoseidonBn254Merkle,
        DatasetRoot = Filled(0x22),
        DatasetRows = 64,
        InitialWeights = InitialWeightsRule.ExplicitCommitment,
        InitialWeightsCommitment = Filled(0x33),
        StepCount = 40,
        Audit = AuditPolicy.SampleSteps,
        AuditSampleCount = 5,
        WorkerPublicKey = Hex(WorkerSpki),
        ChallengeSource = ChallengeSourceKind.Beacon,
        BeaconId = [.. "test-beacon"u8],
    }.WithNetwork(new QuantizedMlpConfig { InputSize = 64, HiddenSize = 4, OutputSize = 10, BatchSize = 2 });

    /// <summary>STARK test preset, three layers with biases (encodable today, not yet trainable), Fiat-Shamir.</summary>
    internal static TrainingContract DeepFiatShamir() => Stark() with
    {
        StarkPreset = StarkPreset.InsecureTestOnly,
        StarkSecurityBits = 0,
        InputSize = 16,
        Layers = [new ContractLayer(8, true), new ContractLayer(8, false), new ContractLayer(3, true)],
        BatchSize = 4,
        DatasetRows = 20,
        StepCount = 7,
        Audit = AuditPolicy.SampleSteps,
        AuditSampleCount = 3,
        ChallengeSource = ChallengeSourceKind.FiatShamir,
        AuditorPublicKey = [],
        AnswerWindowSeconds = 0,
    };

    /// <summary>STARK, MNIST's 8-bit pixels (Pixel255), 784-128b-10b, Fiat-Shamir.</summary>
    internal static TrainingContract MnistPixel255() => Stark() with
    {
        InputSize = 784,
        Layers = [new ContractLayer(128, true), new ContractLayer(10, true)],
        InputQuantization = ZkMl.Training.Contract.InputQuantization.Pixel255,
        BatchSize = 64,
        DatasetRows = 8000,
        StepCount = 2500,
        ChallengeSource = ChallengeSourceKind.FiatShamir,
        AuditorPublicKey = [],
        AnswerWindowSeconds = 0,
    };

    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(), new HexConverter() },
    };

    private sealed class HexConverter : JsonConverter<ImmutableArray<byte>>
    {
        public override ImmutableArray<byte> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Hex(reader.GetString()!);
        public override void Write(Utf8JsonWriter writer, ImmutableArray<byte> value, JsonSerializerOptions options) =>
            writer.WriteStringValue(Convert.ToHexStringLower(value.AsSpan()));
    }
}
