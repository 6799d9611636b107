namespace CrossBorderHub.Host.Cli;

/// <summary>
/// One `hub` verb: a class in Cli/, listed in <see cref="CliDispatcher.Verbs"/> (a test checks none is missing).
/// Exit codes: 0 success/all valid, 1 something invalid or failed, 2 usage or I/O error.
/// </summary>
internal interface ICliVerb
{
    /// <summary>The verb as typed: "run", "validate", "sign"...</summary>
    string Name { get; }

    /// <summary>One line for `hub help`: arguments and what it does.</summary>
    string Usage { get; }

    Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken);
}

/// <summary>Console streams and the way to build the hub's configuration and services for verbs that need them.</summary>
internal sealed class CliContext(TextWriter output, TextWriter error, string[] globalArgs)
{
    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>Configuration switches given before or after the verb (--config FILE, --Hub:DataRoot=...).</summary>
    public string[] GlobalArgs { get; } = globalArgs;
}
