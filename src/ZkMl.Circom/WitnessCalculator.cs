using System.Numerics;
using System.Text;
using Wasmtime;
using ZkMl.Field;

namespace ZkMl.Circom;

/// <summary>
/// circom's generated witness calculator (<c>circuit_js/circuit.wasm</c>, circom 2, BN254) run in-process through
/// Wasmtime: a port of circom_runtime's <c>witness_calculator.js</c>, so <see cref="Calculate(string)"/> gives the
/// witness snarkjs's <c>wtns calculate</c> gives, and <c>CircomWitness.WriteFile</c> writes the same <c>.wtns</c> bytes.
/// </summary>
/// <remarks>
/// One instance runs one calculation at a time (it holds the module's memory); load one per thread for parallel use.
/// </remarks>
public sealed class WitnessCalculator : IDisposable
{
    // Exception codes of runtime.exceptionHandler, worded as witness_calculator.js words them.
    private static readonly string[] ExceptionTexts =
    [
        "Unknown error.", "Signal not found.", "Too many signals set.", "Signal already set.", "Assert Failed.",
        "Not enough memory.", "Input signal array access exceeds the size.",
    ];

    private static readonly Lazy<Engine> SharedEngine = new(() => new Engine(), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly Module _module;
    private readonly WitnessCalculatorOptions _options;
    private CircuitInstance? _runtime;
    private bool _disposed;

    private WitnessCalculator(Module module, WitnessCalculatorOptions options)
    {
        _module = module;
        _options = options;
        var rt = Runtime;
        var version = rt.Int("getVersion")();
        if (version != 2) throw new WitnessCalculatorException($"not a circom 2 witness calculator (version {version}); only circom 2 is supported");
        CircomVersion = $"{version}.{rt.OptionalInt("getMinorVersion")?.Invoke() ?? 0}.{rt.OptionalInt("getPatchVersion")?.Invoke() ?? 0}";
        rt.GetRawPrime();
        var prime = rt.ReadSharedBigInteger();
        if (prime != Bn254Fr.Modulus)
            throw new WitnessCalculatorException($"the circuit was compiled for the prime {prime}; only BN254's scalar field (circom's default, bn128) is supported");
        WitnessSize = rt.Int("getWitnessSize")();
        InputSize = rt.Int("getInputSize")();
    }

    /// <summary>The circom version that generated the calculator, e.g. 2.2.2.</summary>
    public string CircomVersion { get; }

    /// <summary>Number of witness values (the .r1cs's wire count), the first being the constant 1.</summary>
    public int WitnessSize { get; }

    /// <summary>Number of input values the circuit takes, all arrays flattened.</summary>
    public int InputSize { get; }

    /// <summary>
    /// Loads a witness calculator, from the compiled-module cache when this WebAssembly was compiled before (see
    /// <see cref="WitnessCalculatorOptions.CacheDirectory"/>). Throws <see cref="WitnessCalculatorException"/> when the
    /// file is not a circom 2 witness calculator over BN254, and <see cref="IOException"/> when it cannot be read.
    /// </summary>
    public static WitnessCalculator Load(string wasmPath, WitnessCalculatorOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(wasmPath);
        options ??= new WitnessCalculatorOptions();
        var wasm = File.ReadAllBytes(wasmPath);
        Module module;
        try
        {
            module = ModuleCache.Load(SharedEngine.Value, Path.GetFileName(wasmPath), wasm,
                options.DisableCache ? null : options.CacheDirectory ?? WitnessCalculatorOptions.DefaultCacheDirectory);
        }
        catch (WasmtimeException e)
        {
            throw new WitnessCalculatorException($"not a WebAssembly module: {OneLine(e.Message)}", e);
        }
        try
        {
            return new WitnessCalculator(module, options);
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Computes the witness for circom's input JSON: an object from signal names to integers, decimal or 0x strings, or
    /// nested arrays of them (flattened row-major), as snarkjs reads it. Throws <see cref="WitnessCalculatorException"/>
    /// naming the signal for an unknown name or a wrong number of values, and with circom's message when the circuit
    /// rejects the inputs.
    /// </summary>
    public Bn254Fr[] Calculate(string inputJson)
    {
        ArgumentNullException.ThrowIfNull(inputJson);
        return Calculate(CircomInput.Parse(inputJson));
    }

    /// <summary>Computes the witness for inputs already flattened: each signal name with its values in circom's (row-major) order.</summary>
    public Bn254Fr[] Calculate(IEnumerable<KeyValuePair<string, BigInteger[]>> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return Calculate(inputs.Select(kv => (kv.Key, kv.Value)).ToList());
    }

    private Bn254Fr[] Calculate(List<(string Name, BigInteger[] Values)> inputs)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var rt = Runtime;
        try
        {
            return rt.Calculate(inputs, _options.SanityCheck, WitnessSize, InputSize);
        }
        catch (Exception e) when (e is WasmtimeException or WitnessCalculatorException)
        {
            // A trap leaves the module's memory mid-computation: the next calculation starts from a fresh instance.
            _runtime?.Dispose();
            _runtime = null;
            if (e is WitnessCalculatorException) throw;
            throw new WitnessCalculatorException(rt.PendingError ?? $"the witness calculator trapped: {OneLine(e.Message)}", e);
        }
    }

    private CircuitInstance Runtime => _runtime ??= new CircuitInstance(_module, _options.Log);

    /// <summary>Releases the module and its instance.</summary>
    public void Dispose()
    {
        _runtime?.Dispose();
        _runtime = null;
        _module.Dispose();
        _disposed = true;
    }

    private static string OneLine(string s) => string.Join(' ', s.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>One instance of the module with circom's <c>runtime.*</c> imports and its exports bound.</summary>
    private sealed class CircuitInstance : IDisposable
    {
        private readonly Store _store;
        private readonly Instance _instance;
        private readonly Action<string>? _log;
        private readonly StringBuilder _errors = new();
        private readonly StringBuilder _message = new();
        private readonly Func<int, int> _readShared;
        private readonly Action<int, int> _writeShared;
        private readonly Func<int> _getMessageChar;
        private readonly int _n32;

        public CircuitInstance(Module module, Action<string>? log)
        {
            _log = log;
            _store = new Store(SharedEngine.Value);
            using var linker = new Linker(SharedEngine.Value);
            linker.DefineFunction("runtime", "exceptionHandler", (int code) =>
            {
                var text = code >= 1 && code < ExceptionTexts.Length ? ExceptionTexts[code] : ExceptionTexts[0];
                PendingError = OneLine($"{text} {_errors}");
                throw new InvalidOperationException(PendingError);
            });
            linker.DefineFunction("runtime", "printErrorMessage", () => { _errors.Append(ReadMessage()).Append('\n'); });
            linker.DefineFunction("runtime", "writeBufferMessage", () =>
            {
                var msg = ReadMessage();
                if (msg == "\n") Flush();
                else Append(msg);
            });
            linker.DefineFunction("runtime", "showSharedRWMemory", () => Append(ReadSharedBigInteger().ToString(System.Globalization.CultureInfo.InvariantCulture)));
            try
            {
                _instance = linker.Instantiate(_store, module);
            }
            catch (WasmtimeException e)
            {
                _store.Dispose();
                throw new WitnessCalculatorException($"not a circom witness calculator: {OneLine(e.Message)}", e);
            }
            _readShared = Export(_instance.GetFunction<int, int>("readSharedRWMemory"), "readSharedRWMemory");
            _writeShared = Export(_instance.GetAction<int, int>("writeSharedRWMemory"), "writeSharedRWMemory");
            _getMessageChar = Int("getMessageChar");
            _n32 = Int("getFieldNumLen32")();
            GetRawPrime = Export(_instance.GetAction("getRawPrime"), "getRawPrime");
        }

        public Action GetRawPrime { get; }

        /// <summary>The error circom reported before it stopped, if any.</summary>
        public string? PendingError { get; private set; }

        public Func<int> Int(string name) => Export(_instance.GetFunction<int>(name), name);

        public Func<int>? OptionalInt(string name) => _instance.GetFunction<int>(name);

        public Bn254Fr[] Calculate(List<(string Name, BigInteger[] Values)> inputs, bool sanityCheck, int witnessSize, int inputSize)
        {
            var signalSize = _instance.GetFunction<int, int, int>("getInputSignalSize");
            var setInput = Export(_instance.GetAction<int, int, int>("setInputSignal"), "setInputSignal");
            var getWitness = Export(_instance.GetAction<int>("getWitness"), "getWitness");
            var hashes = new (int Msb, int Lsb)[inputs.Count];
            // Check every signal before setting any, so a wrong name is reported rather than a half-fed circuit's assert.
            for (int k = 0; k < inputs.Count; k++)
            {
                var (name, values) = inputs[k];
                hashes[k] = SignalHash(name);
                if (signalSize == null) continue;
                int size = signalSize(hashes[k].Msb, hashes[k].Lsb);
                // circom answers 0 (older versions -1) for a name that is not an input.
                if (size <= 0) throw new WitnessCalculatorException($"'{name}' is not an input signal of the circuit");
                if (values.Length != size)
                    throw new WitnessCalculatorException($"input signal '{name}' takes {size} value{(size == 1 ? "" : "s")}, got {values.Length}");
            }
            Export(_instance.GetAction<int>("init"), "init")(sanityCheck ? 1 : 0);
            long count = 0;
            for (int k = 0; k < inputs.Count; k++)
            {
                var values = inputs[k].Values;
                for (int i = 0; i < values.Length; i++)
                {
                    WriteShared(values[i]);
                    setInput(hashes[k].Msb, hashes[k].Lsb, i);
                    count++;
                }
            }
            if (count < inputSize) throw new WitnessCalculatorException($"not all inputs are set: {count} of the circuit's {inputSize} input values given");
            var witness = new Bn254Fr[witnessSize];
            Span<uint> limbs = stackalloc uint[8];
            for (int i = 0; i < witnessSize; i++)
            {
                getWitness(i);
                for (int j = 0; j < 8; j++) limbs[j] = (uint)_readShared(j);
                if (!Bn254Fr.TryFromCanonicalLimbs(limbs[0] | (ulong)limbs[1] << 32, limbs[2] | (ulong)limbs[3] << 32,
                        limbs[4] | (ulong)limbs[5] << 32, limbs[6] | (ulong)limbs[7] << 32, out witness[i]))
                    throw new WitnessCalculatorException($"the witness calculator returned witness value {i} outside the field");
            }
            return witness;
        }

        /// <summary>The number in the shared read/write memory, 32-bit limbs least significant first.</summary>
        public BigInteger ReadSharedBigInteger()
        {
            var bytes = new byte[_n32 * 4];
            for (int j = 0; j < _n32; j++)
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4 * j), (uint)_readShared(j));
            return new BigInteger(bytes, isUnsigned: true);
        }

        private void WriteShared(BigInteger value)
        {
            var v = BigInteger.Remainder(value, Bn254Fr.Modulus);
            if (v.Sign < 0) v += Bn254Fr.Modulus;
            Span<byte> bytes = stackalloc byte[_n32 * 4];
            bytes.Clear();
            v.TryWriteBytes(bytes, out _, isUnsigned: true);
            for (int j = 0; j < _n32; j++)
                _writeShared(j, (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes[(4 * j)..]));
        }

        private string ReadMessage()
        {
            var sb = new StringBuilder();
            for (int c = _getMessageChar(); c != 0; c = _getMessageChar()) sb.Append((char)c);
            return sb.ToString();
        }

        // log(...) items arrive one by one, separated by spaces, and a lone "\n" ends the line.
        private void Append(string item)
        {
            if (_message.Length > 0) _message.Append(' ');
            _message.Append(item);
        }

        private void Flush()
        {
            _log?.Invoke(_message.ToString());
            _message.Clear();
        }

        private static T Export<T>(T? export, string name) where T : class =>
            export ?? throw new WitnessCalculatorException($"not a circom witness calculator: export '{name}' is missing or has another signature");

        public void Dispose() => _store.Dispose();
    }

    /// <summary>circom's signal hash: 64-bit FNV-1a over the name's UTF-16 code units, split into high and low 32 bits.</summary>
    internal static (int Msb, int Lsb) SignalHash(string name)
    {
        ulong h = 0xCBF29CE484222325;
        foreach (char c in name)
        {
            h ^= c;
            h *= 0x100000001B3;
        }
        return ((int)(h >> 32), (int)h);
    }
}
