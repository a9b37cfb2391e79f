using ZkMl.Common;
using ZkMl.Training.Contract;

namespace ZkMl.Training;

/// <summary>A training contract on disk: exactly its canonical encoding (docs/contract.md), written atomically.</summary>
public static class ContractFile
{
    /// <summary>Writes the canonical encoding of <paramref name="contract"/> to <paramref name="path"/> (temporary name, then rename).</summary>
    public static void Write(string path, TrainingContract contract)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(contract);
        AtomicFile.WriteAllBytes(path, contract.Encode());
    }

    /// <summary>Reads a contract file, refusing one larger than <see cref="ContractLimits.MaxEncodedBytes"/> before reading it.</summary>
    /// <exception cref="ContractFormatException">The file is too large or not a canonical contract (the message names the file and field).</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static TrainingContract Read(string path, ContractLimits? limits = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        limits ??= ContractLimits.Default;
        long length = new FileInfo(path).Length;
        if (length > limits.MaxEncodedBytes)
            throw new ContractFormatException("Encoding", $"{path}: {length} bytes exceed the limit of {limits.MaxEncodedBytes} (ContractLimits.MaxEncodedBytes).");
        try { return TrainingContract.Decode(File.ReadAllBytes(path), limits); }
        catch (ContractFormatException e) { throw new ContractFormatException(e.Field, $"{path}: {e.Message}"); }
    }
}
