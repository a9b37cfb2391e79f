namespace ZkMl.Training;
/// <summary>Marker for the ZkMl.Training assembly.</summary>
public static class AssemblyMarker { }
