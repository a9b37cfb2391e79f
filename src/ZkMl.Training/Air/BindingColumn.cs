using ZkMl.Hashing;

namespace ZkMl.Training.Air;

/// <summary>
/// The main-trace layout of <see cref="StepBindingAir"/>: the three columns it shares with the training-step AIR (one segment
/// each), then the Poseidon trace. Groups of lanes are named by their first column (<see cref="BindingRow{TF}"/> reads a lane).
/// </summary>
internal enum BindingColumn
{
    /// <summary>Weights before (shared segment 0).</summary>
    WeightsBefore,
    /// <summary>Batch (shared segment 1).</summary>
    Batch,
    /// <summary>Weights after (shared segment 2).</summary>
    WeightsAfter,
    /// <summary>First of <see cref="GoldilocksPoseidon.Width"/> state lanes (the round's input).</summary>
    State,
    /// <summary>First of the lanes holding (state + round constant)^3.</summary>
    Cube = State + GoldilocksPoseidon.Width,
    /// <summary>First of the lanes holding (state + round constant)^7.</summary>
    Seventh = Cube + GoldilocksPoseidon.Width,
    /// <summary>First of <see cref="GoldilocksPoseidon.Rate"/> absorbed lanes (salt or values; on Merkle link rows lanes 0..3 hold the sibling).</summary>
    Absorb = Seventh + GoldilocksPoseidon.Width,
    /// <summary>On Merkle link rows: the path bit (absorbed lane 4).</summary>
    Bit = Absorb + 4,
    /// <summary>Number of columns.</summary>
    Width = Absorb + GoldilocksPoseidon.Rate,
}
