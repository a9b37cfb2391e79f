using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using ZkMl.Training.Contract;

namespace ZkMl.Training.Tests.Contract;

/// <summary>The shape of contract-vectors.json, and how each entry is computed from its inputs.</summary>
internal sealed record ContractVectors(
    string Description,
    IReadOnlyList<ContractVectors.ContractVector> Contracts,
    IReadOnlyList<ContractVectors.ScheduleVector> Schedules,
    IReadOnlyList<ContractVectors.WeightsVector> InitialWeights,
    IReadOnlyList<ContractVectors.AuditVector> Audits,
    IReadOnlyList<ContractVectors.FiatShamirVector> FiatShamir)
{
    internal const string FileName = "contract-vectors.json";

    internal sealed record ContractVector(string Name, TrainingContract Fields, string Encoding, string Digest, string[] Bn254, ulong[] Goldilocks)
    {
        internal static ContractVector Of(string name, TrainingContract c)
        {
            var digest = c.Digest();
            var (hi, lo) = ContractDigest.ToBn254(digest);
            return new(name, c, Convert.ToHexStringLower(c.Encode()), Convert.ToHexStringLower(digest),
                [hi.ToString(), lo.ToString()], [.. ContractDigest.ToGoldilocks(digest).Select(g => g.Value)]);
        }
    }

    internal sealed record ScheduleVector(string Seed, int Rows, int Batch, int Step, int[] RowIndices)
    {
        internal static ScheduleVector Of(string seed, int rows, int batch, int step) =>
            new(seed, rows, batch, step, SeededBatchSchedule.Rows(Convert.FromHexString(seed), rows, batch, step));
    }

    internal sealed record WeightsVector(string Seed, int InputSize, ImmutableArray<ContractLayer> Layers, int FractionBits, long[] Scales, long[][] FirstEight, string Sha256)
    {
        internal static WeightsVector Of(string seed, int inputSize, ImmutableArray<ContractLayer> layers, int f)
        {
            var w = SeededInitialWeights.Weights(Convert.FromHexString(seed), inputSize, layers, f);
            var scales = new long[layers.Length];
            for (int l = 0, fanIn = inputSize; l < layers.Length; fanIn = layers[l].Width, l++) scales[l] = SeededInitialWeights.Scale(fanIn, layers[l].Width, f);
            var all = w.SelectMany(x => x).ToArray();
            var bytes = new byte[8 * all.Length];
            for (int i = 0; i < all.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8 * i), all[i]);
            return new(seed, inputSize, layers, f, scales, [.. w.Select(x => x.Take(8).ToArray())], Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }
    }

    internal sealed record AuditVector(string Value, int Steps, int Count, int[] Drawn)
    {
        internal static AuditVector Of(string value, int steps, int count) =>
            new(value, steps, count, AuditSample.Draw(Convert.FromHexString(value), steps, count));
    }

    internal sealed record FiatShamirVector(string Contract, ChallengePurpose Purpose, string Commitment, string Value);

    /// <summary>The committed file, found next to this source file (no copy into the build output needed).</summary>
    internal static string Path => System.IO.Path.Combine(SourceDirectory(), FileName);

    private static string SourceDirectory([CallerFilePath] string file = "") => System.IO.Path.GetDirectoryName(file)!;

    internal static ContractVectors Load() => JsonSerializer.Deserialize<ContractVectors>(File.ReadAllBytes(Path), ContractSamples.Json)!;

    internal static (string Name, TrainingContract Contract)[] SampleContracts() =>
        [("stark-default-interactive", ContractSamples.Stark()), ("groth16-small-beacon", ContractSamples.Groth16()), ("stark-deep-fiatshamir", ContractSamples.DeepFiatShamir()),
         ("stark-mnist-pixel255", ContractSamples.MnistPixel255())];

    /// <summary>Recomputes every vector from the inputs of <paramref name="v"/> (or of the built-in samples when null).</summary>
    internal static ContractVectors Compute(ContractVectors? v = null)
    {
        var contracts = v is null ? SampleContracts().Select(s => ContractVector.Of(s.Name, s.Contract)).ToList()
            : [.. v.Contracts.Select(c => ContractVector.Of(c.Name, c.Fields))];
        string seedA = Convert.ToHexStringLower(SHA256.HashData("schedule seed A"u8));
        string seedB = Convert.ToHexStringLower(SHA256.HashData("schedule seed B"u8));
        var schedules = v?.Schedules.Select(s => ScheduleVector.Of(s.Seed, s.Rows, s.Batch, s.Step)).ToList()
            ?? [ScheduleVector.Of(seedA, 10, 3, 0), ScheduleVector.Of(seedA, 10, 3, 4), ScheduleVector.Of(seedA, 1000, 16, 62), ScheduleVector.Of(seedB, 1437, 16, 12345), ScheduleVector.Of(seedB, 1, 1, 5)];
        var weights = v?.InitialWeights.Select(w => WeightsVector.Of(w.Seed, w.InputSize, w.Layers, w.FractionBits)).ToList()
            ?? [WeightsVector.Of(seedA, 64, [new ContractLayer(32, false), new ContractLayer(10, false)], 10), WeightsVector.Of(seedB, 16, [new ContractLayer(8, true), new ContractLayer(3, true)], 6)];
        var audits = v?.Audits.Select(a => AuditVector.Of(a.Value, a.Steps, a.Count)).ToList()
            ?? [AuditVector.Of(seedA, 1000, 10), AuditVector.Of(seedB, 7, 7), AuditVector.Of(seedB, 3, 1)];
        var byName = contracts.ToDictionary(c => c.Name, c => c.Fields);
        var fiatShamir = (v?.FiatShamir ?? [new FiatShamirVector("stark-deep-fiatshamir", ChallengePurpose.ScheduleSeed, "2222222222222222222222222222222222222222222222222222222222222222", ""),
                                             new FiatShamirVector("stark-deep-fiatshamir", ChallengePurpose.AuditSample, "abcdef", "")])
            .Select(f => f with { Value = Convert.ToHexStringLower(new FiatShamirChallenge(byName[f.Contract]).Draw(f.Purpose, Convert.FromHexString(f.Commitment)).Value.AsSpan()) })
            .ToList();
        return new ContractVectors(v?.Description ?? "Test vectors of the training contract, the batch schedule, the initial weights, the audit draw and the Fiat-Shamir challenge; layouts in docs/contract.md. Byte strings are lowercase hex.",
            contracts, schedules, weights, audits, fiatShamir);
    }
}
