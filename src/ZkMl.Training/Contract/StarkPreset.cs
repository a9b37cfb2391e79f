namespace ZkMl.Training.Contract;

/// <summary>A named STARK parameter set (see <see cref="ZkMl.Stark.StarkParameters"/>); the id is its encoded value.</summary>
public enum StarkPreset : ushort
{
    /// <summary>No preset (the Groth16 backend).</summary>
    None = 0,
    /// <summary><see cref="ZkMl.Stark.StarkParameters.Secure100"/>: 100 conjectured bits, zero knowledge.</summary>
    Secure100 = 1,
    /// <summary><see cref="ZkMl.Stark.StarkParameters.Secure100Transparent"/>: 100 conjectured bits, no zero knowledge.</summary>
    Secure100Transparent = 2,
    /// <summary><see cref="ZkMl.Stark.StarkParameters.InsecureTestOnly"/>: 0 claimed bits, tests only.</summary>
    InsecureTestOnly = 3,
}
