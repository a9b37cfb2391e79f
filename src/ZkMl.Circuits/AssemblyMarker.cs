namespace ZkMl.Circuits;
/// <summary>Marker for the ZkMl.Circuits assembly.</summary>
public static class AssemblyMarker { }
