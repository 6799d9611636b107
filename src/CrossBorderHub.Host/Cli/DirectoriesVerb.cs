using CrossBorderHub.Core.Edifact;
using CrossBorderHub.Core.Edifact.Directories;

namespace CrossBorderHub.Host.Cli;

/// <summary>
/// `hub directories`: the EDIFACT directories under schemas/edifact (name, messages, cached, source).
/// `hub directories add FILE.zip [--replace]`: installs a UNECE release archive as downloaded (see
/// <see cref="DirectoryInstaller"/>). Exit 0 installed, 1 the archive is broken, hostile or incomplete, 2 usage,
/// an unreadable file or a directory already installed without --replace.
/// </summary>
internal sealed class DirectoriesVerb : ICliVerb
{
    public string Name => "directories";

    public string Usage => "directories [add FILE.zip [--replace]]   list the EDIFACT directories, or install a UNECE release archive (d96b.zip)";

    public Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        var options = CliArgs.Parse(args, ["--config"], ["--replace"]);
        if (options.Error is not null)
        {
            throw new UsageException(options.Error);
        }
        var root = SchemasLocator.EdifactRoot(CliHub.LoadOptions(options.Value("--config"), options.Switches).Processing.SchemasPath);
        return Task.FromResult(options.Files switch
        {
            [] or ["list"] => List(root, context),
            ["add", var archive] => Add(archive, root, options.Flag("--replace"), context),
            ["add"] => throw new UsageException("add needs the archive: hub directories add d96b.zip."),
            [var other, ..] => throw new UsageException($"'{other}' is not a directories command (list or add)."),
        });
    }

    private static int List(string root, CliContext context)
    {
        IReadOnlyList<InstalledDirectory> directories;
        try
        {
            directories = DirectoryInstaller.List(root);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.Error.WriteLine($"hub directories: cannot read {root} ({e.Message}): check its permissions.");
            return 2;
        }
        if (directories.Count == 0)
        {
            context.Error.WriteLine($"hub directories: no directory in {root}: add one with `hub directories add d96b.zip`.");
            return 0;
        }
        context.Out.WriteLine($"{"NAME",-6} {"MESSAGES",8} {"CACHED",-6} SOURCE");
        foreach (var d in directories)
        {
            context.Out.WriteLine($"{d.Name,-6} {d.Messages,8} {(d.Cached ? "yes" : "no"),-6} {d.Source}");
        }
        return 0;
    }

    private static int Add(string archive, string root, bool replace, CliContext context)
    {
        try
        {
            var installed = DirectoryInstaller.Install(archive, root, replace, TimeProvider.System);
            context.Out.WriteLine($"installed {installed.Name} in {Path.Combine(root, installed.Name)}: {installed.Messages} messages, cache {(installed.Cached ? "built" : "not written (folder read-only?)")}.");
            return 0;
        }
        catch (DirectoryInstallException e)
        {
            context.Error.WriteLine($"hub directories add: {e.Message}");
            return e.ExitCode;
        }
    }
}
