using System.Reflection;
using System.Runtime.CompilerServices;

namespace CrossBorderHub.Edifact.Validation;

/// <summary>
/// Compiles the engine's hot methods (those marked <see cref="MethodImplOptions.AggressiveOptimization"/>, which the
/// JIT compiles fully optimized on first call and ReadyToRun never precompiles) on a background thread, once per
/// process, as soon as the first validator exists. A cold `hub validate` otherwise spends about 60 ms compiling
/// them on the threads that validate, after the directory has loaded; started early, the compilation runs on the
/// other core while the interchange header is read and the directory loads. Purely an optimisation: a method the
/// warm-up has not reached yet is compiled on first call as usual, and any failure here is ignored.
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

    private static void CompileHotMethods()
    {
        const BindingFlags all = BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        try
        {
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
