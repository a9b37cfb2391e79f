using System.Collections.Immutable;
using ZkMl.Models;
using ZkMl.Training.Backends.Groth16;
using ZkMl.Training.Contract;

namespace ZkMl.Training;

/// <summary>Builds training contracts from a setup, a dataset commitment and negotiated terms, and compares contracts field by field.</summary>
public static class TrainingContracts
{
    /// <summary>
    /// The contract for training with <paramref name="keys"/> on <paramref name="dataset"/> under <paramref name="terms"/>:
    /// backend, network, dataset root and rows, and (Groth16) the SHA-256 pins of the verifying keys come from the setup and the
    /// dataset; everything else from the terms.
    /// </summary>
    /// <exception cref="ArgumentException">The keys and the dataset disagree (backend or row count).</exception>
    /// <exception cref="ContractFormatException">A term is invalid.</exception>
    public static TrainingContract Create(TrainingKeys keys, DatasetCommitment dataset, ContractTerms terms)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(terms);
        if (keys.Backend != dataset.Backend) throw new ArgumentException($"Keys are for {keys.Backend}, the data set is committed for {dataset.Backend}.", nameof(keys));
        if (keys.DatasetRows != dataset.RowCount) throw new ArgumentException($"Keys are for {keys.DatasetRows} rows, the data set has {dataset.RowCount}.", nameof(keys));
        var pins = keys.Groth16VerifyingKeys;
        if (keys.Backend == Backend.Groth16 && pins is null) throw new ArgumentException("Groth16 keys without verifying keys.", nameof(keys));
        var contract = new TrainingContract
        {
            Backend = keys.Backend,
            StepVerifyingKeySha256 = pins?.StepSha256 ?? [],
            MembershipVerifyingKeySha256 = pins?.MembershipSha256 ?? [],
            StarkPreset = keys.Backend == Backend.Stark ? terms.StarkPreset : StarkPreset.None,
            StarkSecurityBits = keys.Backend == Backend.Stark ? StarkPresets.SecurityBits(terms.StarkPreset) : 0,
            DatasetFormat = keys.Backend switch
            {
                Backend.Groth16 => DatasetCommitmentFormat.PoseidonBn254Merkle,
                Backend.Sumcheck => DatasetCommitmentFormat.Blake3PoseidonRowMerkle,
                _ => DatasetCommitmentFormat.PoseidonGoldilocksMerkle,
            },
            DatasetRoot = [.. dataset.Root.Span],
            DatasetRows = dataset.RowCount,
            InitialWeights = terms.InitialWeights,
            InitialWeightsCommitment = terms.InitialWeightsCommitment,
            StepCount = terms.StepCount,
            Audit = terms.Audit,
            AuditSampleCount = terms.AuditSampleCount,
            WorkerPublicKey = terms.WorkerPublicKey,
            ChallengeSource = terms.ChallengeSource,
            AuditorPublicKey = terms.AuditorPublicKey,
            AnswerWindowSeconds = terms.AnswerWindowSeconds,
            BeaconId = terms.BeaconId,
        }.WithNetwork(keys.Network) with { InputQuantization = terms.InputQuantization };
        contract.Validate();
        return contract;
    }

    /// <summary>The contract's network as a <see cref="NetworkDescription"/>: its input size and layers (widths and biases).</summary>
    /// <exception cref="ContractFormatException">The contract's network fields are invalid.</exception>
    public static NetworkDescription NetworkOf(TrainingContract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        if (contract.Layers.IsDefault || contract.Layers.IsEmpty) throw new ContractFormatException(nameof(contract.Layers), "the contract names no layers.");
        try
        {
            return new NetworkDescription(contract.InputSize, contract.Layers.Select(l => new DenseLayer(l.Width, l.HasBias)));
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new ContractFormatException(nameof(contract.Layers), e.Message);
        }
    }

    /// <summary>The contract layers of <paramref name="network"/>, in order.</summary>
    public static ImmutableArray<ContractLayer> LayersOf(NetworkDescription network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return [.. network.Layers.Select(l => new ContractLayer(l.Width, l.HasBias))];
    }

    /// <summary>The quantization rule a contract's <see cref="Contract.InputQuantization"/> code names (docs/fixed-point.md).</summary>
    /// <exception cref="ContractFormatException">The code is unknown.</exception>
    public static Models.InputQuantization QuantizationOf(Contract.InputQuantization code) => code switch
    {
        Contract.InputQuantization.Pixel16 => Models.InputQuantization.Pixel16,
        Contract.InputQuantization.Pixel255 => Models.InputQuantization.Pixel255,
        _ => throw new ContractFormatException(nameof(TrainingContract.InputQuantization), $"unknown id {(byte)code}."),
    };

    /// <summary>The contract code of <paramref name="quantization"/>; only the ranges 16 and 255 have one.</summary>
    /// <exception cref="ArgumentException">No contract code names this range.</exception>
    public static Contract.InputQuantization CodeOf(Models.InputQuantization quantization)
    {
        ArgumentNullException.ThrowIfNull(quantization);
        return quantization.Range switch
        {
            16 => Contract.InputQuantization.Pixel16,
            255 => Contract.InputQuantization.Pixel255,
            var r => throw new ArgumentException($"The contract names input ranges 16 (Pixel16) and 255 (Pixel255), not {r}.", nameof(quantization)),
        };
    }

    /// <summary>The name of the first field in which <paramref name="a"/> and <paramref name="b"/> differ, or null when they are equal.</summary>
    public static string? FirstDifference(TrainingContract a, TrainingContract b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        static bool Same(ImmutableArray<byte> x, ImmutableArray<byte> y) => x.AsSpan().SequenceEqual(y.AsSpan());
        if (a.Backend != b.Backend) return nameof(a.Backend);
        if (!Same(a.StepVerifyingKeySha256, b.StepVerifyingKeySha256)) return nameof(a.StepVerifyingKeySha256);
        if (!Same(a.MembershipVerifyingKeySha256, b.MembershipVerifyingKeySha256)) return nameof(a.MembershipVerifyingKeySha256);
        if (a.StarkPreset != b.StarkPreset) return nameof(a.StarkPreset);
        if (a.StarkSecurityBits != b.StarkSecurityBits) return nameof(a.StarkSecurityBits);
        if (a.InputSize != b.InputSize) return nameof(a.InputSize);
        if (!a.Layers.SequenceEqual(b.Layers)) return nameof(a.Layers);
        if (a.FractionBits != b.FractionBits) return nameof(a.FractionBits);
        if (a.ValueBits != b.ValueBits) return nameof(a.ValueBits);
        if (a.InputQuantization != b.InputQuantization) return nameof(a.InputQuantization);
        if (a.LearningRateNumerator != b.LearningRateNumerator) return nameof(a.LearningRateNumerator);
        if (a.LearningRateShift != b.LearningRateShift) return nameof(a.LearningRateShift);
        if (a.BatchSize != b.BatchSize) return nameof(a.BatchSize);
        if (a.DatasetFormat != b.DatasetFormat) return nameof(a.DatasetFormat);
        if (!Same(a.DatasetRoot, b.DatasetRoot)) return nameof(a.DatasetRoot);
        if (a.DatasetRows != b.DatasetRows) return nameof(a.DatasetRows);
        if (a.InitialWeights != b.InitialWeights) return nameof(a.InitialWeights);
        if (!Same(a.InitialWeightsCommitment, b.InitialWeightsCommitment)) return nameof(a.InitialWeightsCommitment);
        if (a.StepCount != b.StepCount) return nameof(a.StepCount);
        if (a.BatchSchedule != b.BatchSchedule) return nameof(a.BatchSchedule);
        if (a.Audit != b.Audit) return nameof(a.Audit);
        if (a.AuditSampleCount != b.AuditSampleCount) return nameof(a.AuditSampleCount);
        if (!Same(a.WorkerPublicKey, b.WorkerPublicKey)) return nameof(a.WorkerPublicKey);
        if (a.ChallengeSource != b.ChallengeSource) return nameof(a.ChallengeSource);
        if (!Same(a.AuditorPublicKey, b.AuditorPublicKey)) return nameof(a.AuditorPublicKey);
        if (a.AnswerWindowSeconds != b.AnswerWindowSeconds) return nameof(a.AnswerWindowSeconds);
        if (!Same(a.BeaconId, b.BeaconId)) return nameof(a.BeaconId);
        return null;
    }

    /// <summary>True for a commit-only contract: <see cref="AuditPolicy.SampleSteps"/> with no step drawn, so its run publishes the chain and proves nothing.</summary>
    public static bool ProvesNoStep(TrainingContract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        return contract.Audit == AuditPolicy.SampleSteps && contract.AuditSampleCount == 0;
    }
}
