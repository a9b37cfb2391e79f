namespace ZkMl.Gpu;
/// <summary>Marker for the ZkMl.Gpu assembly.</summary>
public static class AssemblyMarker { }
