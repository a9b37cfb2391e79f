using ZkMl.Field;
using ZkMl.Models;
using ZkMl.Stark;
using ZkMl.Training.Air;
using ZkMl.Training.Circuits;
using ZkMl.Training.Backends.Sumcheck;

namespace ZkMl.Training.Backends;

/// <summary>
/// Refuses, before anything large is allocated, network shapes a backend cannot prove on this machine: it computes the
/// step's size (R1CS constraints, or STARK trace rows) from the shape alone and estimates the memory proving needs.
/// </summary>
internal static class BackendCapacity
{
    /// <summary>Bytes a Groth16 step costs per constraint: the builder's rows and witness, the R1CS, and the proving key's points (A, B1, B2, L, H).</summary>
    internal const long Groth16BytesPerConstraint = 1024;

    /// <summary>BN254's FFT domain holds at most 2^28 constraints.</summary>
    internal const long Groth16MaxConstraints = 1L << 28;

    /// <summary>circomlib's Poseidon takes at most 16 inputs: a sample leaf's packed inputs and its label.</summary>
    internal const long MaxLeafInputs = 16;

    /// <summary>The memory the process may use (the GC's view of the machine or container).</summary>
    internal static long MemoryLimitBytes => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>The check of <paramref name="backend"/>'s setup (<see cref="BackendLimits.Check"/>).</summary>
    internal static void Check(Backend backend, QuantizedNetworkConfig network, int datasetRows)
    {
        switch (backend)
        {
            case Backend.Groth16: CheckGroth16(network); break;
            case Backend.Stark: CheckStark(network, datasetRows); break;
            case Backend.Sumcheck: SumcheckBackend.CheckCapacity(network); break;
            default: throw BackendRegistry.NotAvailable(backend);
        }
    }

    /// <exception cref="NetworkTooLargeException">The SGD-step circuit exceeds the domain or the memory.</exception>
    internal static void CheckGroth16(QuantizedNetworkConfig network)
    {
        network.Validate();
        // A sample's leaf is one circomlib Poseidon over its packed inputs and label: at most 16 inputs.
        long leafInputs = (network.Network.InputSize + FixedPointGadgets<Bn254Fr>.SlotsPerElement(TrainingCommitments.InputBits(network.FractionBits)) - 1)
            / FixedPointGadgets<Bn254Fr>.SlotsPerElement(TrainingCommitments.InputBits(network.FractionBits)) + 1;
        if (leafInputs > MaxLeafInputs)
            throw new NetworkTooLargeException(Backend.Groth16, network, "Poseidon inputs in a sample's leaf", leafInputs, MaxLeafInputs);
        long constraints = SgdStepCircuit<Bn254Fr>.CountConstraints(network);
        if (constraints >= Groth16MaxConstraints)
            throw new NetworkTooLargeException(Backend.Groth16, network, "constraints", constraints, Groth16MaxConstraints);
        long bytes = constraints * Groth16BytesPerConstraint;
        if (bytes > MemoryLimitBytes)
            throw new NetworkTooLargeException(Backend.Groth16, network, "bytes", bytes, MemoryLimitBytes);
    }

    /// <exception cref="NetworkTooLargeException">The training-step trace exceeds 2^24 rows or the memory.</exception>
    internal static void CheckStark(QuantizedNetworkConfig network, int datasetRows)
    {
        network.Validate();
        const long maxRows = 1L << 24;
        long rows = Math.Max(TrainingProgram.RowsNeeded(network), StepBindingAir.RowsNeeded(network, Math.Max(1, datasetRows)));
        if (rows > maxRows) throw new NetworkTooLargeException(Backend.Stark, network, "trace rows", rows, maxRows);
        // The trace and its low-degree extension (blowup) with the committed copies, plus the program's rows.
        long width = TrainingStepAir.Width + StepBindingAir.Width;
        long bytes = rows * width * sizeof(ulong) * (StarkParameters.Secure100.BlowupFactor + 2) + TrainingProgram.MacCount(network) * 48;
        if (bytes > MemoryLimitBytes)
            throw new NetworkTooLargeException(Backend.Stark, network, "bytes", bytes, MemoryLimitBytes);
        // The batch-membership rows share the training step's trace, whose length the network fixes.
        if (!StepBindingStark.Supports(network, datasetRows))
            throw new NotSupportedException($"The Stark backend cannot prove network {network.Network} with batch {network.BatchSize} on {datasetRows} data-set rows: " +
                $"the batch's membership needs {StepBindingAir.RowsNeeded(network, Math.Max(1, datasetRows))} trace rows, " +
                $"the training step's trace has {TrainingProgram.TraceLengthFor(TrainingStepAir.CheckSupported(network))} (a larger network or batch, or fewer rows, fits).");
    }
}
