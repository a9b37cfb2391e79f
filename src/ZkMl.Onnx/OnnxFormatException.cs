namespace ZkMl.Onnx;

/// <summary>An ONNX file is not a dense MLP that ZkMl can import: malformed, an unsupported operator, or a shape that does not fit.</summary>
public sealed class OnnxFormatException : FormatException
{
    /// <summary>Creates the exception; <paramref name="nodeName"/> names the graph node or tensor at fault, if any.</summary>
    public OnnxFormatException(string message, string? nodeName = null, Exception? inner = null)
        : base(nodeName is null ? message : $"Node '{nodeName}': {message}", inner)
    {
        NodeName = nodeName;
    }

    /// <summary>The graph node or tensor at fault, if any.</summary>
    public string? NodeName { get; }
}
