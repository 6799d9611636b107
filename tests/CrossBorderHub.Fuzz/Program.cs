using CrossBorderHub.Fuzz;
using SharpFuzz;

// hub-fuzz fuzz TARGET          the AFL forkserver loop (run under afl-fuzz; see ./build.sh fuzz)
// hub-fuzz replay TARGET PATH.. each file (or every file of a folder) once; exit 1 on a crash, naming the file
// hub-fuzz seeds TARGET DIR     writes the seed corpus built from samples/
const string Usage = "usage: hub-fuzz fuzz|replay|seeds TARGET [PATH...]   targets: ";
var names = string.Join(", ", FuzzTargets.All.Select(t => t.Name));
if (args.Length < 2 || FuzzTargets.Find(args[1]) is not { } target)
{
    Console.Error.WriteLine(args.Length >= 2 ? $"hub-fuzz: unknown target '{args[1]}': use one of {names}" : Usage + names);
    return 2;
}
switch (args[0])
{
    case "fuzz":
        // No warm-up call before this: instrumented code writes to AFL's shared memory, which Run sets up.
        Fuzzer.Run(stream =>
        {
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            if (FuzzTargets.RunOnce(target, copy.ToArray()) is { } crash)
            {
                throw crash; // rethrown as is: afl-fuzz records the input as a crash
            }
        });
        return 0;
    case "replay":
        var crashes = 0;
        foreach (var file in args.Skip(2).SelectMany(p => Directory.Exists(p) ? Directory.GetFiles(p, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal) : (IEnumerable<string>)[p]))
        {
            if (FuzzTargets.RunOnce(target, File.ReadAllBytes(file)) is { } crash)
            {
                crashes++;
                Console.Error.WriteLine($"{file}: crash: {crash.GetType().FullName}: {crash.Message}");
                Console.Error.WriteLine(crash.StackTrace);
            }
        }
        return crashes == 0 ? 0 : 1;
    case "seeds" when args.Length == 3:
        Directory.CreateDirectory(args[2]);
        var count = 0;
        foreach (var (name, bytes) in target.Seeds())
        {
            File.WriteAllBytes(Path.Combine(args[2], name), bytes);
            count++;
        }
        Console.WriteLine($"hub-fuzz: {count} seeds for {target.Name} in {args[2]}");
        return 0;
    default:
        Console.Error.WriteLine(Usage + names);
        return 2;
}
