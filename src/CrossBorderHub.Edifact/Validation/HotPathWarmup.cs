using System.Reflection;
using System.Runtime.CompilerServices;
using CrossBorderHub.Edifact.Directory;

namespace CrossBorderHub.Edifact.Validation;

/// <summary>
/// Compiles the engine's hot methods (those marked <see cref="MethodImplOptions.AggressiveOptimization"/>, which the
/// JIT compiles fully optimized on first call and ReadyToRun never precompiles) on a background thread, once per
/// process, as soon as the first validator exists or a command calls <see cref="EdifactValidator.WarmUp"/>. A cold
/// `hub validate` otherwise spends about 60 ms compiling them on the threads that validate, after the directory has
/// loaded; started early, the compilation runs on the other core while the interchange header is read and the
/// directory loads. The ISO 9735 service definitions are loaded first, and <see cref="Prefetch"/> loads a message's
/// directory as soon as the first UNH is seen (in the file's head, <see cref="EdifactValidator.Prepare"/>). Purely an
/// optimisation: whatever the warm-up has not reached yet is done on first use as usual (the loads are lazy and
/// shared, so nothing is done twice), and any failure here is ignored.
/// </summary>
internal static class HotPathWarmup
{
    private static int _started;

    public static void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0 || Environment.ProcessorCount < 2)
        {
            return;
        }
        var thread = new Thread(CompileHotMethods) { IsBackground = true, Name = "EDIFACT JIT warm-up" };
        thread.Start();
    }

    /// <summary>What <see cref="Prefetch"/> needs, from a UNH: nothing below the directory level or for a CONTRL.</summary>
    public static void PrefetchFor(DirectoryRegistry? directories, RawSegment unh, ValidationLevel level, string? directoryOverride)
    {
        var type = unh.GetString(2, 0);
        if (level >= ValidationLevel.Directory && type != "CONTRL")
        {
            Prefetch(directories, directoryOverride ?? unh.GetString(2, 1) + unh.GetString(2, 2), type, level >= ValidationLevel.Codes);
        }
    }

    /// <summary>Loads the directory, its code lists and the message structure a UNH names, in the background.</summary>
    public static void Prefetch(DirectoryRegistry? directories, string name, string type, bool codes)
    {
        if (directories is null || Environment.ProcessorCount < 2)
        {
            return;
        }
        ThreadPool.UnsafeQueueUserWorkItem(_ =>
        {
            try
            {
                if (directories.Find(name) is { } directory)
                {
                    if (codes)
                    {
                        directory.AttachCodeLists();
                    }
                    _ = directory.GetMessage(type);
                }
            }
            catch (Exception)
            {
                // The run reports a directory that cannot be read, with its own message.
            }
        }, null);
    }

    private static void CompileHotMethods()
    {
        const BindingFlags all = BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        try
        {
            // First what every interchange needs at UNB (parsed from XML: about 25 ms in a cold process).
            _ = ServiceDefinitions.For(4);
            _ = ServiceDefinitions.For(3);
            foreach (var type in typeof(HotPathWarmup).Assembly.GetTypes())
            {
                if (type.ContainsGenericParameters)
                {
                    continue;
                }
                foreach (var method in type.GetMethods(all))
                {
                    if ((method.MethodImplementationFlags & MethodImplAttributes.AggressiveOptimization) != 0 && !method.ContainsGenericParameters)
                    {
                        RuntimeHelpers.PrepareMethod(method.MethodHandle);
                    }
                }
            }
        }
        catch (Exception)
        {
            // Warming up is best effort; the methods compile on first call regardless.
        }
    }
}
