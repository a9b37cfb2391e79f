using ZkMl.Stark;

namespace ZkMl.Training.Contract;

/// <summary>Parameters and claimed security of each <see cref="StarkPreset"/>.</summary>
internal static class StarkPresets
{
    internal static bool IsDefined(StarkPreset preset) => preset is StarkPreset.Secure100 or StarkPreset.Secure100Transparent or StarkPreset.InsecureTestOnly;

    /// <summary>The security bits a contract must state for the preset.</summary>
    internal static int SecurityBits(StarkPreset preset) => preset == StarkPreset.InsecureTestOnly ? 0 : 100;

    internal static StarkParameters Parameters(StarkPreset preset) => preset switch
    {
        StarkPreset.Secure100 => StarkParameters.Secure100,
        StarkPreset.Secure100Transparent => StarkParameters.Secure100Transparent,
        StarkPreset.InsecureTestOnly => StarkParameters.InsecureTestOnly,
        _ => throw new ArgumentOutOfRangeException(nameof(preset), preset, "Not a STARK preset."),
    };
}
