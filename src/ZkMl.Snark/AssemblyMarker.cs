namespace ZkMl.Snark;
/// <summary>Marker for the ZkMl.Snark assembly.</summary>
public static class AssemblyMarker { }
