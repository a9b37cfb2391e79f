using SharpFuzz;
using ZkMl.Fuzz;

// zkml-fuzz <target>                 run under afl-fuzz (SharpFuzz's in-process fork server; once when not under AFL)
// zkml-fuzz <target> --replay <path>... run every file (or every file in a folder) once, printing each outcome
// zkml-fuzz list | seeds <corpus> <fixtures>
if (args.Length == 1 && args[0] == "list")
{
    foreach (var t in Targets.All) Console.WriteLine(t.Name);
    return 0;
}
if (args.Length == 3 && args[0] == "seeds")
{
    Seeds.Write(args[1], args[2]);
    return 0;
}
var target = args.Length >= 1 ? Targets.Find(args[0]) : null;
if (target is null)
{
    Console.Error.WriteLine("usage: zkml-fuzz list | seeds <corpus> <fixtures> | <target> [--replay <file-or-folder>...]");
    return 2;
}
// Instrumented code writes its edge counts to Trace.SharedMem, which only Fuzzer.Run points at AFL's map: give it a
// scratch map first, so fixtures can load (and --replay can run) in an instrumented build outside afl-fuzz.
unsafe { SharpFuzz.Common.Trace.SharedMem = (byte*)System.Runtime.InteropServices.NativeMemory.AllocZeroed(1 << 16); }
Fixtures.Warm();
if (args.Length >= 2 && args[1] == "--replay")
{
    int failures = 0;
    foreach (var file in args.Skip(2).SelectMany<string, string>(p => Directory.Exists(p) ? Directory.GetFiles(p).Order() : [p]))
    {
        try { Console.WriteLine($"{file}: {target.Execute(File.ReadAllBytes(file))}"); }
        catch (Exception e) { failures++; Console.WriteLine($"{file}: FINDING {e}"); }
    }
    return failures == 0 ? 0 : 1;
}
Fuzzer.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    target.Execute(buffer.ToArray());
});
return 0;
