namespace ZkMl.Stark;
/// <summary>Marker for the ZkMl.Stark assembly.</summary>
public static class AssemblyMarker { }
