namespace CrossBorderHub.Host.Cli;

/// <summary>Arguments after a verb: files, options with a value, flags, and --Hub:X=Y configuration switches.</summary>
internal sealed class CliArgs
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    public List<string> Files { get; } = [];

    public List<string> Switches { get; } = [];

    public string? Error { get; private set; }

    public string? Value(string name) => _values.GetValueOrDefault(name);

    public bool Flag(string name) => _flags.Contains(name);

    public static CliArgs Parse(string[] args, string[] withValue, string[] flags)
    {
        var result = new CliArgs();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (withValue.Contains(arg))
            {
                if (i + 1 >= args.Length)
                {
                    result.Error = $"{arg} needs a value.";
                    return result;
                }
                result._values[arg] = args[++i];
            }
            else if (flags.Contains(arg))
            {
                result._flags.Add(arg);
            }
            else if (arg.StartsWith("--Hub:", StringComparison.OrdinalIgnoreCase))
            {
                result.Switches.Add(arg);
                if (!arg.Contains('=', StringComparison.Ordinal) && i + 1 < args.Length)
                {
                    result.Switches.Add(args[++i]);
                }
            }
            else if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                result.Error = $"unknown option {arg}.";
                return result;
            }
            else
            {
                result.Files.Add(arg);
            }
        }
        return result;
    }
}
