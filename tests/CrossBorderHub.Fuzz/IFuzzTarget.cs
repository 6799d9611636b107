namespace CrossBorderHub.Fuzz;

/// <summary>
/// One thing the hub parses from untrusted bytes. <see cref="Run"/> does with the input what the hub does; an
/// exception <see cref="IsExpected"/> accepts is the documented "invalid input" answer, any other is a crash.
/// </summary>
public interface IFuzzTarget
{
    string Name { get; }

    /// <summary>The exceptions that mean "this input is invalid", as the hub's callers catch them (docs/reliability.md).</summary>
    string ExpectedExceptions { get; }

    void Run(byte[] input);

    bool IsExpected(Exception exception);

    /// <summary>The starting corpus, built from samples/ (so it follows the samples as they change).</summary>
    IEnumerable<(string Name, byte[] Bytes)> Seeds();
}

/// <summary>Thrown by a harness when a property the hub promises does not hold (a crash for afl-fuzz, like any bug).</summary>
public sealed class FuzzPropertyException(string message) : Exception(message);

public static class FuzzTargets
{
    public static IReadOnlyList<IFuzzTarget> All { get; } =
    [
        new Targets.EdifactTarget(),
        new Targets.XmlIntakeTarget(),
        new Targets.As2MimeTarget(),
        new Targets.ConfigurationTarget(),
    ];

    public static IEnumerable<string> Names() => All.Select(t => t.Name);

    public static IFuzzTarget? Find(string name) => All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Runs one input: null when the hub handled it (accepted or rejected as invalid), else the crash.</summary>
    public static Exception? RunOnce(IFuzzTarget target, byte[] input)
    {
        try
        {
            target.Run(input);
            return null;
        }
        catch (Exception e) when (target.IsExpected(e))
        {
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }
}
