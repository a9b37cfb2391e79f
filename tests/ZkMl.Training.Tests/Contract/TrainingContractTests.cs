using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ZkMl.Training.Contract;

namespace ZkMl.Training.Tests.Contract;

public class TrainingContractTests
{
    [Fact]
    public void VectorsRecompute()
    {
        var stored = ContractVectors.Load();
        var recomputed = ContractVectors.Compute(stored);
        Assert.Equal(JsonSerializer.Serialize(stored, ContractSamples.Json), JsonSerializer.Serialize(recomputed, ContractSamples.Json));
        // The committed inputs are the built-in samples, and every encoding decodes back to its fields.
        Assert.Equal(ContractVectors.SampleContracts().Select(s => s.Contract), stored.Contracts.Select(c => c.Fields));
        foreach (var c in stored.Contracts)
            Assert.Equal(c.Fields, TrainingContract.Decode(Convert.FromHexString(c.Encoding)));
    }

    [Fact]
    public void HandBuiltEncodingMatchesTheFirstVector()
    {
        // Written field by field from docs/contract.md with BinaryWriter, not with the encoder.
        var ms = new MemoryStream();
        var w = new BinaryWriter(ms);
        w.Write("ZKTC"u8); w.Write((ushort)1);
        w.Write((byte)2); w.Write((ushort)1); w.Write((ushort)100);            // STARK, Secure100, 100 bits
        w.Write(64u); w.Write((byte)2); w.Write(32u); w.Write((byte)0); w.Write(10u); w.Write((byte)0);
        w.Write((byte)10); w.Write((byte)32); w.Write((byte)1); w.Write(13u); w.Write((byte)11); w.Write(16u);
        w.Write((byte)2); w.Write(32u); w.Write(Enumerable.Repeat((byte)0x11, 32).ToArray()); w.Write(1000u);
        w.Write((byte)2); w.Write(0u);                                          // derived initial weights, no commitment
        w.Write(500u); w.Write((byte)1); w.Write((byte)1); w.Write(0u);        // steps, Feistel, all steps
        var worker = Convert.FromHexString(ContractSamples.WorkerSpki);
        var auditor = Convert.FromHexString(ContractSamples.AuditorSpki);
        w.Write((uint)worker.Length); w.Write(worker);
        w.Write((byte)1); w.Write((uint)auditor.Length); w.Write(auditor); w.Write(3600u); w.Write(0u);
        byte[] expected = ms.ToArray();

        var vector = ContractVectors.Load().Contracts[0];
        Assert.Equal(Convert.ToHexStringLower(expected), vector.Encoding);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData([.. "ZkMl.TrainingContract.v1"u8, .. expected])), vector.Digest);
        var d = Convert.FromHexString(vector.Digest);
        Assert.Equal(new System.Numerics.BigInteger(d.AsSpan(0, 16), isUnsigned: true, isBigEndian: true).ToString(), vector.Bn254[0]);
        Assert.Equal((ulong)d[28] << 24 | (ulong)d[29] << 16 | (ulong)d[30] << 8 | d[31], vector.Goldilocks[7]);
    }

    [Property(MaxTest = 40)]
    public void EncodeDecodeRoundTrips(bool stark, PositiveInt input, NonEmptyArray<PositiveInt> widths, bool bias, byte f, PositiveInt rows, PositiveInt steps, byte[] root, bool sample)
    {
        int layers = Math.Min(widths.Get.Length, TrainingContract.MaxLayers);
        int fraction = 4 + f % 21;
        var c = (stark ? ContractSamples.Stark() : ContractSamples.Groth16()) with
        {
            InputSize = 1 + input.Get % 1000,
            Layers = [.. widths.Get.Take(layers).Select((w, i) => new ContractLayer(1 + w.Get % 300, bias && i % 2 == 0))],
            FractionBits = fraction,
            ValueBits = fraction + 2 + f % 3,
            DatasetRows = ContractSamples.Stark().BatchSize + rows.Get,
            BatchSize = ContractSamples.Stark().BatchSize,
            DatasetRoot = [.. SHA256.HashData(root)],
            StepCount = steps.Get,
            Audit = sample ? AuditPolicy.SampleSteps : AuditPolicy.AllSteps,
            AuditSampleCount = sample ? 1 + rows.Get % steps.Get : 0,
        };
        byte[] bytes = c.Encode();
        var decoded = TrainingContract.Decode(bytes);
        Assert.Equal(c, decoded);
        Assert.Equal(bytes, decoded.Encode());
        Assert.Equal(c.Digest(), decoded.Digest());
    }

    [Property(MaxTest = 300)]
    public void AnyOneByteChangeIsRejectedOrStaysCanonical(NonNegativeInt position, byte delta)
    {
        byte[] bytes = ContractSamples.Groth16().Encode();
        int i = position.Get % bytes.Length;
        bytes[i] += (byte)(delta | 1);
        try
        {
            Assert.Equal(bytes, TrainingContract.Decode(bytes).Encode());
        }
        catch (ContractFormatException)
        {
            // rejected, with the typed exception and nothing else
        }
    }

    public static TheoryData<string> Fields() => [.. typeof(TrainingContract).GetProperties().Where(p => p.CanWrite && p.Name != "EqualityContract").Select(p => p.Name)];

    [Theory]
    [MemberData(nameof(Fields))]
    public void ChangingAnyFieldChangesTheDigest(string field)
    {
        var stark = ContractSamples.Stark();
        var groth = ContractSamples.Groth16();
        using var other = WorkerKey.Create();
        // A valid variant differing in exactly the named field (plus what that field requires).
        var (baseline, changed) = field switch
        {
            nameof(TrainingContract.Backend) => (stark, groth with { StepCount = stark.StepCount }),
            nameof(TrainingContract.StarkPreset) => (stark, stark with { StarkPreset = StarkPreset.Secure100Transparent }),
            nameof(TrainingContract.StarkSecurityBits) => (stark, stark with { StarkPreset = StarkPreset.InsecureTestOnly, StarkSecurityBits = 0 }),
            nameof(TrainingContract.StepVerifyingKeySha256) => (groth, groth with { StepVerifyingKeySha256 = ContractSamples.Filled(0xA0) }),
            nameof(TrainingContract.MembershipVerifyingKeySha256) => (groth, groth with { MembershipVerifyingKeySha256 = ContractSamples.Filled(0xB0) }),
            nameof(TrainingContract.InputSize) => (stark, stark with { InputSize = 63 }),
            nameof(TrainingContract.Layers) => (stark, stark with { Layers = [new ContractLayer(32, true), new ContractLayer(10, false)] }),
            nameof(TrainingContract.FractionBits) => (stark, stark with { FractionBits = 9 }),
            nameof(TrainingContract.ValueBits) => (stark, stark with { ValueBits = 31 }),
            nameof(TrainingContract.InputQuantization) => (stark, stark), // one value defined so far; checked by the decoder test
            nameof(TrainingContract.LearningRateNumerator) => (stark, stark with { LearningRateNumerator = 12 }),
            nameof(TrainingContract.LearningRateShift) => (stark, stark with { LearningRateShift = 10 }),
            nameof(TrainingContract.BatchSize) => (stark, stark with { BatchSize = 8 }),
            nameof(TrainingContract.DatasetFormat) => (stark, groth with { Backend = Backend.Stark, StarkPreset = StarkPreset.Secure100, StarkSecurityBits = 100, StepVerifyingKeySha256 = [], MembershipVerifyingKeySha256 = [], DatasetFormat = DatasetCommitmentFormat.PoseidonGoldilocksMerkle }),
            nameof(TrainingContract.DatasetRoot) => (stark, stark with { DatasetRoot = ContractSamples.Filled(0x12) }),
            nameof(TrainingContract.DatasetRows) => (stark, stark with { DatasetRows = 999 }),
            nameof(TrainingContract.InitialWeights) => (stark, stark with { InitialWeights = InitialWeightsRule.ExplicitCommitment, InitialWeightsCommitment = ContractSamples.Filled(1) }),
            nameof(TrainingContract.InitialWeightsCommitment) => (groth, groth with { InitialWeightsCommitment = ContractSamples.Filled(0x34) }),
            nameof(TrainingContract.StepCount) => (stark, stark with { StepCount = 501 }),
            nameof(TrainingContract.BatchSchedule) => (stark, stark), // one rule defined so far
            nameof(TrainingContract.Audit) => (stark, stark with { Audit = AuditPolicy.SampleSteps, AuditSampleCount = 1 }),
            nameof(TrainingContract.AuditSampleCount) => (groth, groth with { AuditSampleCount = 6 }),
            nameof(TrainingContract.WorkerPublicKey) => (stark, stark with { WorkerPublicKey = [.. other.PublicKey] }),
            nameof(TrainingContract.ChallengeSource) => (stark, ContractSamples.DeepFiatShamir() with { StarkPreset = StarkPreset.Secure100, StarkSecurityBits = 100, InputSize = 64, Layers = stark.Layers, BatchSize = 16, DatasetRows = 1000, StepCount = 500, Audit = AuditPolicy.AllSteps, AuditSampleCount = 0 }),
            nameof(TrainingContract.AuditorPublicKey) => (stark, stark with { AuditorPublicKey = [.. other.PublicKey] }),
            nameof(TrainingContract.AnswerWindowSeconds) => (stark, stark with { AnswerWindowSeconds = 3599 }),
            nameof(TrainingContract.BeaconId) => (groth, groth with { BeaconId = [.. "other"u8] }),
            _ => throw new InvalidOperationException($"No variant for new field {field}: add one."),
        };
        if (field is nameof(TrainingContract.InputQuantization) or nameof(TrainingContract.BatchSchedule)) return;
        Assert.NotEqual(baseline.Digest(), changed.Digest());
        Assert.NotEqual(baseline, changed);
    }

    [Fact]
    public void DecodeRejectsTruncationAtEveryLength()
    {
        byte[] bytes = ContractSamples.Groth16().Encode();
        for (int n = 0; n < bytes.Length; n++)
            Assert.Throws<ContractFormatException>(() => TrainingContract.Decode(bytes.AsSpan(0, n)));
    }

    [Fact]
    public void DecodeRejectsTrailingBytesWrongMagicAndVersion()
    {
        byte[] bytes = ContractSamples.Stark().Encode();
        Assert.Equal("End", Assert.Throws<ContractFormatException>(() => TrainingContract.Decode([.. bytes, 0])).Field);
        var magic = bytes.ToArray(); magic[0] = (byte)'X';
        Assert.Equal("Magic", Assert.Throws<ContractFormatException>(() => TrainingContract.Decode(magic)).Field);
        var version = bytes.ToArray(); version[4] = 2;
        Assert.Equal("Version", Assert.Throws<ContractFormatException>(() => TrainingContract.Decode(version)).Field);
    }

    [Fact]
    public void DecodeRejectsUnknownIdsAndFlagsNamingTheField()
    {
        var c = ContractSamples.Stark();
        byte[] bytes = c.Encode();
        // Offsets from the layout: 4 magic, 2 version, 1 backend, 2+2 preset/bits, 4 input, 1 count, then 5 per layer.
        int layers = 4 + 2 + 1 + 4 + 4 + 1;
        Assert.Equal("Backend", Reject(bytes, 6, 9));
        Assert.Equal("StarkPreset", Reject(bytes, 7, 9));
        Assert.Equal("Layers[0].HasBias", Reject(bytes, layers + 4, 2));
        Assert.Equal("InputQuantization", Reject(bytes, layers + 10 + 2, 3)); // 1 = Pixel16, 2 = Pixel255
        Assert.Equal("Layers", Reject(bytes, layers - 1, 9));

        static string Reject(byte[] bytes, int offset, byte value)
        {
            var copy = bytes.ToArray();
            copy[offset] = value;
            return Assert.Throws<ContractFormatException>(() => TrainingContract.Decode(copy)).Field;
        }
    }

    [Fact]
    public void GigabyteLengthsAreRejectedBeforeAllocation()
    {
        byte[] bytes = ContractSamples.Stark().Encode();
        // The dataset root's length prefix sits right after the dataset format byte; claim 2^31 - 1 and 4 GiB - 1 bytes.
        int rootPrefix = bytes.AsSpan().IndexOf(Enumerable.Repeat((byte)0x11, 32).ToArray()) - 4;
        foreach (uint claim in new[] { 0x7FFF_FFFFu, 0xFFFF_FFFFu, 5000u })
        {
            var copy = bytes.ToArray();
            BitConverter.TryWriteBytes(copy.AsSpan(rootPrefix), claim);
            long before = GC.GetAllocatedBytesForCurrentThread();
            var e = Record.Exception(() => TrainingContract.Decode(copy));
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.IsType<ContractFormatException>(e);
            Assert.Equal("DatasetRoot", ((ContractFormatException)e).Field);
            Assert.True(allocated < 1 << 20, $"decoding allocated {allocated} bytes");
        }
        var huge = new byte[ContractLimits.Default.MaxEncodedBytes + 1];
        Assert.Equal("Encoding", Assert.Throws<ContractFormatException>(() => TrainingContract.Decode(huge)).Field);
        // A tighter limit applies to every byte string.
        Assert.Equal("WorkerPublicKey", Assert.Throws<ContractFormatException>(() => TrainingContract.Decode(bytes, new ContractLimits { MaxByteString = 64 })).Field);
    }

    [Fact]
    public void InvalidContractsAreRejectedNamingTheField()
    {
        var stark = ContractSamples.Stark();
        Assert.Equal("DatasetFormat", Assert.Throws<ContractFormatException>(() => (stark with { DatasetFormat = DatasetCommitmentFormat.PoseidonBn254Merkle }).Encode()).Field);
        Assert.Equal("StarkSecurityBits", Assert.Throws<ContractFormatException>(() => (stark with { StarkSecurityBits = 128 }).Encode()).Field);
        Assert.Equal("WorkerPublicKey", Assert.Throws<ContractFormatException>(() => (stark with { WorkerPublicKey = [1, 2, 3] }).Encode()).Field);
        Assert.Equal("AuditSampleCount", Assert.Throws<ContractFormatException>(() => (stark with { Audit = AuditPolicy.SampleSteps, AuditSampleCount = 501 }).Encode()).Field);
        Assert.Equal("DatasetRows", Assert.Throws<ContractFormatException>(() => (stark with { DatasetRows = 15 }).Encode()).Field);
        Assert.Equal("Layers", Assert.Throws<ContractFormatException>(() => (stark with { Layers = [.. Enumerable.Repeat(new ContractLayer(4, false), 9)] }).Encode()).Field);
        Assert.Equal("BeaconId", Assert.Throws<ContractFormatException>(() => (stark with { BeaconId = [1] }).Encode()).Field);
    }

    [Fact]
    public void TodaysNetworkRoundTripsThroughTheConfig()
    {
        var c = ContractSamples.Groth16();
        Assert.Equal(new ZkMl.Models.QuantizedMlpConfig { InputSize = 64, HiddenSize = 4, OutputSize = 10, BatchSize = 2 }, c.ToQuantizedMlpConfig());
        Assert.Throws<NotSupportedException>(() => ContractSamples.DeepFiatShamir().ToQuantizedMlpConfig());
    }

    [Fact]
    public void DigestMappingsAreTheDocumentedLimbs()
    {
        byte[] d = [.. Enumerable.Range(0, 32).Select(i => (byte)(0xFF - i))];
        var (hi, lo) = ContractDigest.ToBn254(d);
        Assert.Equal(new System.Numerics.BigInteger(d.AsSpan(0, 16), true, true), hi.ToBigInteger());
        Assert.Equal(new System.Numerics.BigInteger(d.AsSpan(16), true, true), lo.ToBigInteger());
        Assert.Equal([0xFFFEFDFCUL, 0xFBFAF9F8UL], ContractDigest.ToGoldilocks(d).Take(2).Select(g => g.Value));
        Assert.Throws<ArgumentException>(() => ContractDigest.ToGoldilocks(new byte[31]));
    }
}
